"""Every page of samples/ and ../shared/site against its reviewed golden file."""

from __future__ import annotations

import json

import pytest

from tests.golden import expected_path, extract, pages, response_for

PAGES = list(pages())


def test_both_mirrors_have_pages() -> None:
    mirrors = {mirror for mirror, _, _ in PAGES}
    assert mirrors == {"samples", "site"}
    assert sum(1 for m, _, _ in PAGES if m == "site") == 14


@pytest.mark.parametrize(
    ("mirror", "path", "relative"), PAGES, ids=[f"{m}/{r}" for m, _, r in PAGES]
)
def test_page_matches_golden(mirror: str, path: object, relative: str) -> None:
    target = expected_path(mirror, relative)
    assert target.exists(), f"no golden file {target}: run `make golden WRITE=1` and review it"
    expected = json.loads(target.read_text(encoding="utf-8"))
    assert extract(response_for(path, relative)) == expected  # type: ignore[arg-type]
