"""../shared, read where it lies: ``require_shared`` skips the calling test, with the reason,
when a file of it is absent, ``skip_without_shared`` marks a whole module, and ``shared_params``
gives one skipped parameter in place of the ones it would have read."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from tests.support.paths import CHECK_OUTPUT, SEED, SHARED, SITE, SITE_EXPECTED

_WHY_ABSENT = {
    "site": "the reference mirror is third-party text,",
    "seeds": "the seed is third-party text,",
    "tools": "the shared checker is",
}


def absent_reason(path: Path) -> str:
    """Why a test of ``path`` (a file or folder under ../shared) is skipped."""
    relative = path.relative_to(SHARED)
    why = _WHY_ABSENT.get(relative.parts[0], "it is")
    return f"../shared/{relative.as_posix()} is absent: {why} kept outside this repository"


def require_shared(path: Path) -> Path:
    """``path`` under ../shared, or skip the calling test (or fixture) with the reason."""
    if not path.exists():
        pytest.skip(absent_reason(path))
    return path


def skip_without_shared(path: Path) -> pytest.MarkDecorator:
    """A module's ``pytestmark`` when all its tests read ``path`` under ../shared."""
    return pytest.mark.skipif(not path.exists(), reason=absent_reason(path))


def shared_params(path: Path, values: Callable[[], list[Any]]) -> list[Any]:
    """Collection-time parameters read from ``path`` under ../shared by ``values()``; without
    it, one parameter ``absent`` that is skipped with the reason."""
    if not path.exists():
        skip = pytest.mark.skip(reason=absent_reason(path))
        return [pytest.param("absent", id="absent", marks=skip)]
    return values()


@functools.cache
def _site_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SITE_EXPECTED.read_text(encoding="utf-8"))
    return data


def site_expected() -> dict[str, Any]:
    """../shared/site/expected.json: the mirror's pages, articles (with their body paragraphs
    and prompt locale) and teaser cards. Skips the calling test without it."""
    require_shared(SITE_EXPECTED)
    return _site_expected()


def seed_text() -> str:
    """The seed page text (../shared/seeds/000_c93c0c6aaedbf7e3.txt), or skip."""
    return require_shared(SEED).read_text(encoding="utf-8")


def same_issue_date(got: str | None, want: str) -> bool:
    """expected.json writes a monthly as its first day; month precision matches too."""
    return got == want or (got is not None and len(got) == 7 and want == f"{got}-01")


def _text(node: Any) -> str:
    return " ".join("".join(node.css("::text").getall()).split())


@functools.cache
def _site_story(page: str) -> dict[str, Any]:
    article = next(a for a in _site_expected()["articles"] if a["path"] == page)
    html = require_shared(SITE / page).read_text(encoding="utf-8")
    selector = Selector(text=html)
    body: list[str] = article["body_paragraphs"]
    printed = [_text(p) for p in selector.css(".story-body > p")]
    # the story body prints the article's paragraphs, then the prompt block
    assert printed[: len(body)] == body, f"{page}: the body is not expected.json's"
    return {
        "page": page,
        "body_paragraphs": body,
        "prompt_paragraphs": printed[len(body) :],
        "overlay_lines": [_text(p) for p in selector.css(".paywall-overlay p")],
        "gold_cta": [_text(node) for node in selector.css(".gold-cta")],
        "more_stories_heading": _text(selector.css("section.more-stories h2")),
        "cards": [
            {
                "magazine": _text(card.css(".card-magazine")),
                "title": _text(card.css(".card-title")),
                "summary": _text(card.css(".card-summary")),
                "read_time": _text(card.css(".card-read-time")),
                "date": _text(card.css(".card-date")),
            }
            for card in selector.css("section.more-stories li.story-card")
        ],
    }


def site_story(page: str) -> dict[str, Any]:
    """What the story page ``page`` of ../shared/site prints: body, prompts, interface, cards."""
    require_shared(SITE_EXPECTED)
    return _site_story(page)


def site_stories() -> list[dict[str, Any]]:
    """Every story page listed in ../shared/site/expected.json, read from its HTML."""
    stories = [site_story(a["path"]) for a in site_expected()["articles"]]
    assert len(stories) == 6, "expected.json lists six story pages"
    return stories


def check_output(output_dir: Path) -> subprocess.CompletedProcess[str]:
    """../shared/tools/check_output.py on a crawl's output (skips the test without it)."""
    tool = require_shared(CHECK_OUTPUT)
    return subprocess.run(
        [sys.executable, str(tool), str(output_dir)], capture_output=True, text=True, check=False
    )
