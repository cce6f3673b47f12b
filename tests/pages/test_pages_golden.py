"""Every page of samples/ and every dump shape against its reviewed golden file, as
``make golden`` (``python -m tests.support.golden``) compares them.

../shared/site has no golden files here (third-party text): tests/e2e/test_site_expected.py
checks its pages against ../shared/site/expected.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aggregator.pages import PageType, detect_page_type
from tests.support.golden import (
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
from tests.support.paths import EXPECTED

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


def test_a_layout_reads_only_what_json_ld_left_empty() -> None:
    """The layout is asked only for the fields JSON-LD did not give (``have``); what the
    page yields is what reading every field and keeping the first found gives."""
    from aggregator.pages.story import JsonLdPath, StoryFields, StoryPage

    compared = 0
    for _, path, relative in PAGES:
        response = response_for(path, relative)
        if detect_page_type(response) is not PageType.STORY:
            continue
        page = StoryPage(response)
        if page.layout is None:
            continue
        jsonld = JsonLdPath().read(response)
        every_field = StoryFields()
        for reading in (jsonld, page.layout.read(response)):
            if reading is not None:
                every_field.fill_from(reading)
        asked = StoryFields()
        if jsonld is not None:
            asked.fill_from(jsonld)
        asked.fill_from(page.layout.read(response, have=asked))
        assert asked == every_field, relative
        compared += 1
    assert compared >= 20


@pytest.mark.parametrize("name", ["issue-head", "story-card", "story", "more-stories", "rd-card"])
def test_with_class_selects_what_the_class_selector_selects(name: str) -> None:
    from aggregator.pages.select import select, with_class

    found = 0
    for _, path, relative in PAGES:
        root = response_for(path, relative).selector.root
        expected = select(root, f".{name}")
        assert with_class(root, name) == expected, relative
        found += len(expected)
    assert found > 0
