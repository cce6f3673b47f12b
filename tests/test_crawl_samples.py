"""End to end: ``scrapy crawl issues`` on samples/, checked field by field against
samples/MANIFEST.json (written by ``python -m sitegen`` alongside the pages)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.crawl import ROOT, CrawlResult, file_url, run_crawl

SAMPLES = ROOT / "samples"
MANIFEST: dict[str, Any] = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
STORIES = {s["canonical_url"]: s for s in MANIFEST["stories"]}
# linked only from the German story pages of its issue: started explicitly, so the crawl
# meets the same story under two locales
SECOND_LOCALE = "de/stories/food/Brunch/SMALL-PLATES-BIG-AMBITIONS.html"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("samples")
    starts = f"{file_url(SAMPLES / 'index.html')},{file_url(SAMPLES / SECOND_LOCALE)}"
    result = run_crawl("issues", out, "-a", f"start_urls={starts}")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_one_article_per_canonical_story(crawl: CrawlResult) -> None:
    canonicals = [a["canonical_url"] for a in crawl.articles]
    assert len(canonicals) == len(set(canonicals))
    assert set(canonicals) == set(STORIES)
    assert crawl.stats["aggregator/dedupe/article_repeats"] == 1


@pytest.mark.parametrize("canonical", sorted(STORIES))
def test_article_fields(crawl: CrawlResult, canonical: str) -> None:
    expected = STORIES[canonical]
    article = next(a for a in crawl.articles if a["canonical_url"] == canonical)
    assert article["body"] == "\n\n".join(expected["paragraphs"])
    for name in ("title", "publication", "issue_date", "issue_label", "category"):
        assert article[name] == expected[name], name
    assert article["prompt_language"] == expected["prompt_language"]
    assert article["is_preview"] == expected["is_preview"]
    words = [token for token in article["body"].split() if any(c.isalnum() for c in token)]
    assert article["word_count"] == len(words)
    assert article["language"] == "en"
    if expected["has_json_ld"]:  # a page without JSON-LD prints these in unknown markup
        assert article["standfirst"] == expected["standfirst"]
        assert article["authors"] == expected["authors"]
    if canonical != "https://www.magzter.com/stories/food/Brunch/SMALL-PLATES-BIG-AMBITIONS":
        assert article["locale"] == expected["locale"]
        assert article["url"].endswith("/samples/" + expected["path"])


def test_teasers_are_the_distinct_cards(crawl: CrawlResult) -> None:
    cards = {c["canonical_url"]: c for issue in MANIFEST["issues"] for c in issue["cards"]}
    teasers = crawl.teasers
    assert len(teasers) == len({t["id"] for t in teasers}) == len(cards)
    for teaser in teasers:
        card = cards[teaser["canonical_url"]]
        assert teaser["title"] == card["title"]
        assert teaser["summary"] == card["summary"]
        assert teaser["read_time_minutes"] == card["read_time_minutes"]


def test_stats_tell_every_path_and_language(crawl: CrawlResult) -> None:
    stats = crawl.stats
    assert stats["aggregator/pages/issue"] == len(MANIFEST["issues"])
    assert stats["aggregator/missing_pages"] == len(MANIFEST["missing_stories"])
    # MANIFEST's layout names are the crawler's: its layout classes, and the generic path
    # for the pages of unknown markup
    layouts = Counter(story["layout"] for story in MANIFEST["stories"])
    assert stats["aggregator/story/path/generic"] == layouts.pop("generic")
    for layout, pages in layouts.items():
        assert stats[f"aggregator/story/layout/{layout}"] == pages, layout
    for language in ("en", "nb", "de", "es", "ar"):
        assert stats[f"aggregator/prompts/removed/{language}"] > 0
    assert "log_count/ERROR" not in stats


def test_check_output_tool_passes(crawl: CrawlResult) -> None:
    import subprocess
    import sys

    tool = ROOT.parent / "shared" / "tools" / "check_output.py"
    if not tool.is_file():
        pytest.skip(
            "../shared/tools/check_output.py is absent: the shared checker is kept outside "
            "this repository"
        )
    done = subprocess.run(
        [sys.executable, str(tool), str(crawl.output_dir)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_max_issues_and_since(tmp_path: Path) -> None:
    capped = run_crawl("issues", tmp_path / "a", "-a", "max_issues=1")
    assert capped.returncode == 0, capped.stderr[-2000:]
    assert capped.stats["aggregator/pages/issue"] == len(MANIFEST["publications"])
    recent = run_crawl("issues", tmp_path / "b", "-a", "since=2025-01-01")
    assert recent.returncode == 0, recent.stderr[-2000:]
    newer = [i for i in MANIFEST["issues"] if i["issue_date"] >= "2025-01"]
    assert recent.stats["aggregator/pages/issue"] == len(newer)
    assert all(a["issue_date"] >= "2025" for a in recent.articles)
