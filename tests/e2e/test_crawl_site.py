"""End to end: ``scrapy crawl issues`` on ../shared/site (the reference mirror), field by field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.crawl import CrawlResult, file_url, run_crawl
from tests.support.crawlers import finished
from tests.support.paths import SITE, SITE_EXPECTED
from tests.support.shared import (
    same_issue_date,
    seed_text,
    shared_params,
    site_expected,
    skip_without_shared,
)

# The reference mirror and the seed are third-party text: read from ../shared, never copied
# here. What the crawl (conftest.py's site_crawl) must give is the mirror's own expected.json.
LIVE = "https://www.magzter.com/stories/"

pytestmark = skip_without_shared(SITE_EXPECTED)


def expected_articles() -> dict[str, dict[str, Any]]:
    """canonical path -> what expected.json says the article holds."""
    return {a["canonical_url"].removeprefix(LIVE): a for a in site_expected()["articles"]}


def canonical_paths() -> list[Any]:
    """Collection-time parameters (one skipped ``absent`` when the mirror is absent)."""
    return shared_params(SITE_EXPECTED, lambda: sorted(expected_articles()))


def seed_paragraphs() -> list[str]:
    return seed_text().splitlines()[:6]


def by_canonical(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"].removeprefix(LIVE): r for r in records}


def test_all_six_stories(site_crawl: CrawlResult) -> None:
    articles = by_canonical(site_crawl.articles)
    wanted = expected_articles()
    assert len(wanted) == 6
    assert set(articles) == set(wanted)
    for path, want in wanted.items():
        article = articles[path]
        for key in ("canonical_url", "title", "standfirst", "authors", "publication"):
            assert article[key] == want[key], (path, key)
        for key in ("issue_label", "category", "locale"):
            assert article[key] == want[key], (path, key)
        assert same_issue_date(article["issue_date"], want["issue_date"]), path
        assert article["source"] == "html"
        assert article["is_preview"] is True
        assert article["language"] == "en"
        assert article["body"].split("\n\n") == want["body_paragraphs"], path


def article_body_paragraphs(canonical_path: str) -> list[str]:
    """The page's own JSON-LD articleBody, less the three prompt lines it ends with."""
    page = next(SITE.rglob(canonical_path.rsplit("/", 1)[-1] + ".html"))
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"))
    assert raw is not None
    paragraphs: list[str] = json.loads(raw.group(1))["articleBody"].split("\n\n")
    return paragraphs[:-3]


@pytest.mark.parametrize("path", canonical_paths())
def test_body_is_exactly_the_article_paragraphs(site_crawl: CrawlResult, path: str) -> None:
    article = by_canonical(site_crawl.articles)[path]
    want = expected_articles()[path]
    assert article["body"].split("\n\n") == article_body_paragraphs(path)
    assert article_body_paragraphs(path) == want["body_paragraphs"]
    # "en-placeholder": the fr/ pages print the English prompt with {{placeholders}}
    assert article["prompt_language"] == want["prompt_locale"].split("-")[0]


def seed_story() -> dict[str, Any]:
    """The mirrored story page the seed is the visible text of."""
    paragraphs = seed_paragraphs()
    articles: list[dict[str, Any]] = site_expected()["articles"]
    (want,) = [a for a in articles if a["body_paragraphs"] == paragraphs]
    return want


def test_seed_story_has_every_paragraph(site_crawl: CrawlResult) -> None:
    want = seed_story()
    article = by_canonical(site_crawl.articles)[want["canonical_url"].removeprefix(LIVE)]
    assert article["body"].split("\n\n") == seed_paragraphs()
    assert len(seed_paragraphs()) == 6
    # the live URL of the issue the page links, whatever mirror it was read from
    assert article["issue_url"] == (
        "https://www.magzter.com/GB/Independent-Digital-News-and-Media/The-Independent/Newspaper/1843251"
    )
    assert article["category"] == "newspaper"
    assert article["word_count"] > 250


def test_fifteen_distinct_teasers(site_crawl: CrawlResult) -> None:
    teasers = site_crawl.teasers
    assert len(teasers) == 15
    assert len({t["id"] for t in teasers}) == 15
    assert len({t["canonical_url"] for t in teasers}) == 15
    cards = {t["canonical_url"]: t for t in site_expected()["teasers"]}
    assert set(cards) == {t["canonical_url"] for t in teasers}
    for teaser in teasers:
        card = cards[teaser["canonical_url"]]
        assert (teaser["title"], teaser["summary"], teaser["publication"]) == (
            card["title"],
            card["summary"],
            card["publication"],
        )
        assert same_issue_date(teaser["issue_date"], card["issue_date"])
    # the seed's story: a card of its issue, linked to the article
    want = seed_story()
    (card,) = [t for t in teasers if t["canonical_url"] == want["canonical_url"]]
    assert (card["title"], card["summary"]) == (want["title"], want["standfirst"])
    assert card["publication"] == "The Independent"
    assert card["issue_date"] == "2024-11-07"
    assert card["read_time_minutes"] == 5
    assert card["story_id"] == next(
        a["id"] for a in site_crawl.articles if a["canonical_url"] == card["canonical_url"]
    )


def test_stats_say_what_happened(site_crawl: CrawlResult) -> None:
    stats = site_crawl.stats
    assert stats["aggregator/pages/catalog"] == 1
    assert stats["aggregator/pages/publication"] == 3
    assert stats["aggregator/pages/issue"] == 4
    assert stats["aggregator/pages/story"] == 6
    assert stats["aggregator/story/path/jsonld"] == 6
    assert stats["aggregator/fetch/missing"] == 9  # The Independent's premium stories
    assert stats["item_scraped_count"] == 21
    assert "log_count/ERROR" not in stats


def test_missing_pages_logged_once_each(site_crawl: CrawlResult) -> None:
    missing = [line for line in site_crawl.stderr.splitlines() if "Missing page" in line]
    assert len(missing) == 9 == len(set(missing))


def test_feeds_are_utf8_json_lines(site_crawl: CrawlResult) -> None:
    raw = (site_crawl.output_dir / "articles.jsonl").read_text(encoding="utf-8")
    assert len(raw.splitlines()) == 6
    texts = [a[key] for a in site_expected()["articles"] for key in ("title", "standfirst")]
    assert len(texts) == 12
    assert any(not text.isascii() for text in texts)  # curly quotes, accents
    for text in texts:
        assert json.dumps(text, ensure_ascii=False) in raw  # not \\u2019-escaped
    assert "\\u" not in raw


@pytest.mark.parametrize(
    ("start", "stories"),
    [
        # an issue page: its stories, then its previous issue's
        (
            "IN/HT-Media/Brunch/Lifestyle/1901442.html",
            {"ENTREES-AND-ENCORES", "SMALL-WE-WANT-IT-ALL", "SEASON-OF-THE-SANDWICH"},
        ),
        ("magazines/Grazia/index.html", {"DIGITAL-DNA", "UNDER-THE-NEEDLE"}),
        ("de/stories/lifestyle/Brunch/ENTREES-AND-ENCORES.html", {"ENTREES-AND-ENCORES"}),
    ],
)
def test_any_page_type_can_start(tmp_path: Path, start: str, stories: set[str]) -> None:
    result = finished(run_crawl("issues", tmp_path, "-a", f"start_urls={file_url(SITE / start)}"))
    assert {a["canonical_url"].rsplit("/", 1)[-1] for a in result.articles} == stories
