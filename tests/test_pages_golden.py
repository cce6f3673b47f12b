"""Every page of samples/ against its reviewed golden file.

../shared/site has no golden files here (third-party text): tests/test_site_expected.py
checks its pages against ../shared/site/expected.json.
"""

from __future__ import annotations

import json

import pytest

from tests.golden import EXPECTED, MIRRORS, expected_path, extract, pages, response_for

PAGES = list(pages())


def test_golden_files_are_the_samples_pages() -> None:
    assert set(MIRRORS) == {"samples"}
    assert {mirror for mirror, _, _ in PAGES} == {"samples"}
    assert len(PAGES) >= 70
    wanted = {expected_path(mirror, relative) for mirror, _, relative in PAGES}
    assert set(EXPECTED.joinpath("samples").rglob("*.json")) == wanted
    assert not (EXPECTED / "site").exists()  # no copy of ../shared/site's text


@pytest.mark.parametrize(
    ("mirror", "path", "relative"), PAGES, ids=[f"{m}/{r}" for m, _, r in PAGES]
)
def test_page_matches_golden(mirror: str, path: object, relative: str) -> None:
    target = expected_path(mirror, relative)
    assert target.exists(), f"no golden file {target}: run `make golden WRITE=1` and review it"
    expected = json.loads(target.read_text(encoding="utf-8"))
    assert extract(response_for(path, relative)) == expected  # type: ignore[arg-type]
