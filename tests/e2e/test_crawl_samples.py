"""End to end: ``scrapy crawl issues`` on samples/, checked field by field against
samples/MANIFEST.json (written by ``python -m sitegen`` alongside the pages)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.support.crawl import CrawlResult, run_crawl
from tests.support.crawlers import finished
from tests.support.records import manifest
from tests.support.shared import check_output

# the crawl is conftest.py's samples_crawl: samples/index.html and one German story page
# (linked only from the German story pages of its issue), so the crawl meets the same story
# under two locales
MANIFEST = manifest()
STORIES = {s["canonical_url"]: s for s in MANIFEST["stories"]}


def test_the_manifest_lists_the_samples() -> None:
    assert len(STORIES) >= 40  # canonical stories (one is printed under two locales)
    assert len(MANIFEST["issues"]) >= 15
    assert len(MANIFEST["publications"]) >= 5


def test_one_article_per_canonical_story(samples_crawl: CrawlResult) -> None:
    canonicals = [a["canonical_url"] for a in samples_crawl.articles]
    assert len(canonicals) == len(set(canonicals))
    assert set(canonicals) == set(STORIES)
    assert samples_crawl.stats["aggregator/dedupe/article_repeats"] == 1


@pytest.mark.parametrize("canonical", sorted(STORIES))
def test_article_fields(samples_crawl: CrawlResult, canonical: str) -> None:
    expected = STORIES[canonical]
    article = next(a for a in samples_crawl.articles if a["canonical_url"] == canonical)
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


def test_teasers_are_the_distinct_cards(samples_crawl: CrawlResult) -> None:
    cards = {c["canonical_url"]: c for issue in MANIFEST["issues"] for c in issue["cards"]}
    teasers = samples_crawl.teasers
    assert len(teasers) == len({t["id"] for t in teasers}) == len(cards) >= 60
    for teaser in teasers:
        card = cards[teaser["canonical_url"]]
        assert teaser["title"] == card["title"]
        assert teaser["summary"] == card["summary"]
        assert teaser["read_time_minutes"] == card["read_time_minutes"]


def test_stats_tell_every_path_and_language(samples_crawl: CrawlResult) -> None:
    stats = samples_crawl.stats
    assert stats["aggregator/pages/issue"] == len(MANIFEST["issues"])
    assert stats["aggregator/fetch/missing"] == len(MANIFEST["missing_stories"])
    # MANIFEST's layout names are the crawler's: its layout classes, and the generic path
    # for the pages of unknown markup
    layouts = Counter(story["layout"] for story in MANIFEST["stories"])
    assert stats["aggregator/story/path/generic"] == layouts.pop("generic")
    assert len(layouts) >= 3  # classic, gold2025, reader
    for layout, pages in layouts.items():
        assert stats[f"aggregator/story/layout/{layout}"] == pages, layout
    for language in ("en", "nb", "de", "es", "ar"):
        assert stats[f"aggregator/prompts/removed/{language}"] > 0
    assert "log_count/ERROR" not in stats


def test_check_output_tool_passes(samples_crawl: CrawlResult) -> None:
    done = check_output(samples_crawl.output_dir)
    assert done.returncode == 0, done.stdout


def test_max_issues_and_since(tmp_path: Path) -> None:
    capped = finished(run_crawl("issues", tmp_path / "a", "-a", "max_issues=1"))
    assert capped.stats["aggregator/pages/issue"] == len(MANIFEST["publications"])
    recent = finished(run_crawl("issues", tmp_path / "b", "-a", "since=2025-01-01"))
    newer = [i for i in MANIFEST["issues"] if i["issue_date"] >= "2025-01"]
    assert recent.stats["aggregator/pages/issue"] == len(newer) > 0
    assert recent.articles
    assert all(a["issue_date"] >= "2025" for a in recent.articles)
