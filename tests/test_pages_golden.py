"""Every page of samples/ and every dump shape against its reviewed golden file, as
``make golden`` (``python -m tests.golden``) compares them.

../shared/site has no golden files here (third-party text): tests/test_site_expected.py
checks its pages against ../shared/site/expected.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXPECTED
from tests.golden import (
    EXPECTED_DUMPS,
    MIRRORS,
    dump_outputs,
    expected_dump_path,
    expected_path,
    extract,
    golden_files,
    pages,
    render,
    response_for,
)

PAGES = list(pages())


def test_golden_files_are_the_samples_pages_and_the_dump_shapes() -> None:
    assert set(MIRRORS) == {"samples"}
    assert {mirror for mirror, _, _ in PAGES} == {"samples"}
    assert len(PAGES) >= 70
    wanted = {expected_path(mirror, relative) for mirror, _, relative in PAGES}
    assert set(EXPECTED.joinpath("samples").rglob("*.json")) == wanted
    assert not (EXPECTED / "site").exists()  # no copy of ../shared/site's text
    targets = [target for target, _ in golden_files()]
    assert (
        len(targets) == len(set(targets)) == len(wanted) + len(list(EXPECTED_DUMPS.glob("*.json")))
    )


@pytest.mark.parametrize(
    ("mirror", "path", "relative"), PAGES, ids=[f"{m}/{r}" for m, _, r in PAGES]
)
def test_page_matches_golden(mirror: str, path: Path, relative: str) -> None:
    target = expected_path(mirror, relative)
    assert target.exists(), f"no golden file {target}: run `make golden WRITE=1` and review it"
    expected = json.loads(target.read_text(encoding="utf-8"))
    assert extract(response_for(path, relative)) == expected


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, Any]]:
    return dump_outputs()


def test_dump_shapes_match_golden(outputs: dict[str, dict[str, Any]]) -> None:
    assert len(outputs) >= 16
    for name, output in outputs.items():
        target = expected_dump_path(name)
        assert target.exists(), f"no golden file {target}: run `make golden WRITE=1`, review it"
        assert target.read_text(encoding="utf-8") == render(output), name
