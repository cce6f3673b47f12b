"""End to end: ``scrapy crawl issues`` on ../shared/site (the reference mirror), field by field."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.crawl import SHARED, CrawlResult, file_url, run_crawl

SITE = SHARED / "site"
SEED = SHARED / "seeds" / "000_c93c0c6aaedbf7e3.txt"
LIVE = "https://www.magzter.com/stories/"

# canonical path -> (title, standfirst, publication, issue_date, issue_label, locale, paragraphs)
EXPECTED_ARTICLES: dict[str, tuple[str, str, str, str, str, str | None, int]] = {
    "newspaper/The-Independent/KIM-EXPECTS-LEVERAGE-FOR-LENDING-PUTIN-HIS-TROOPS": (
        "Kim expects leverage for lending Putin his troops",
        "North Korea’s leader wants cash, missile technology and food for letting thousands "
        "of his soldiers fight against Ukraine",
        "The Independent",
        "2024-11-07",
        "November 07, 2024",
        "nb",
        6,
    ),
    "lifestyle/Brunch/ENTREES-AND-ENCORES": (
        "Entrées and encores",
        "A season of comebacks on the restaurant circuit, and what the returning names "
        "learned while away",
        "Brunch",
        "2025-05-17",
        "May 17, 2025",
        "de",
        3,
    ),
    "lifestyle/Brunch/SMALL-WE-WANT-IT-ALL": (
        "Small? We want it all",
        "Small-size products look good and don't dent your pocket. But are they practical "
        "purchases?",
        "Brunch",
        "2025-05-17",
        "May 17, 2025",
        "ar",
        2,
    ),
    "lifestyle/Brunch/SEASON-OF-THE-SANDWICH": (
        "Season of the sandwich",
        "It used to be a soggy lunchbox staple. Now it is a gourmet meal.",
        "Brunch",
        "2025-05-10",
        "May 10, 2025",
        None,
        2,
    ),
    "lifestyle/Grazia/DIGITAL-DNA": (
        "Digital DNA",
        "How a generation raised online shops, dates and dresses differently",
        "Grazia",
        "2018-01",
        "January 2018",
        "es",
        3,
    ),
    "fashion/Grazia/UNDER-THE-NEEDLE": (
        "Under the needle",
        "A tattoo studio that books out months ahead",
        "Grazia",
        "2018-01",
        "January 2018",
        "fr",
        2,
    ),
}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("site")
    result = run_crawl("issues", out, "-a", f"start_urls={file_url(SITE / 'index.html')}")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def by_canonical(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"].removeprefix(LIVE): r for r in records}


def test_all_six_stories(crawl: CrawlResult) -> None:
    articles = by_canonical(crawl.articles)
    assert set(articles) == set(EXPECTED_ARTICLES)
    for path, (title, standfirst, pub, date, label, locale, count) in EXPECTED_ARTICLES.items():
        article = articles[path]
        assert article["title"] == title
        assert article["standfirst"] == standfirst
        assert article["publication"] == pub
        assert article["issue_date"] == date
        assert article["issue_label"] == label
        assert article["locale"] == locale
        assert article["source"] == "html"
        assert article["is_preview"] is True
        assert article["language"] == "en"
        assert len(article["body"].split("\n\n")) >= count


def article_body_paragraphs(canonical_path: str) -> list[str]:
    """The page's own JSON-LD articleBody, less the three prompt lines it ends with."""
    page = next(SITE.rglob(canonical_path.rsplit("/", 1)[-1] + ".html"))
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text("utf-8"))
    assert raw is not None
    paragraphs: list[str] = json.loads(raw.group(1))["articleBody"].split("\n\n")
    return paragraphs[:-3]


@pytest.mark.parametrize("path", sorted(EXPECTED_ARTICLES))
def test_body_is_exactly_the_article_paragraphs(crawl: CrawlResult, path: str) -> None:
    article = by_canonical(crawl.articles)[path]
    assert article["body"].split("\n\n") == article_body_paragraphs(path)
    assert article["prompt_language"] == {"nb": "nb", "de": "de", "ar": "ar", "es": "es"}.get(
        article["locale"], "en"
    )


def test_seed_story_has_every_paragraph(crawl: CrawlResult) -> None:
    article = by_canonical(crawl.articles)[
        "newspaper/The-Independent/KIM-EXPECTS-LEVERAGE-FOR-LENDING-PUTIN-HIS-TROOPS"
    ]
    seed_paragraphs = SEED.read_text(encoding="utf-8").splitlines()[:6]
    assert article["body"].split("\n\n") == seed_paragraphs
    assert article["issue_url"].endswith(
        "/GB/Independent-Digital-News-and-Media/The-Independent/Newspaper/1843251.html"
    )
    assert article["category"] == "newspaper"
    assert article["word_count"] > 250


def test_fifteen_distinct_teasers(crawl: CrawlResult) -> None:
    teasers = crawl.teasers
    assert len(teasers) == 15
    assert len({t["id"] for t in teasers}) == 15
    assert len({t["canonical_url"] for t in teasers}) == 15
    kim = next(t for t in teasers if t["title"].startswith("Kim expects"))
    assert kim["summary"].startswith("North Korea’s leader wants cash")
    assert kim["publication"] == "The Independent"
    assert kim["issue_date"] == "2024-11-07"
    assert kim["read_time_minutes"] == 5
    assert kim["story_id"] == next(
        a["id"] for a in crawl.articles if a["canonical_url"] == kim["canonical_url"]
    )


def test_stats_say_what_happened(crawl: CrawlResult) -> None:
    stats = crawl.stats
    assert stats["aggregator/pages/catalog"] == 1
    assert stats["aggregator/pages/publication"] == 3
    assert stats["aggregator/pages/issue"] == 4
    assert stats["aggregator/pages/story"] == 6
    assert stats["aggregator/story/path/jsonld"] == 6
    assert stats["aggregator/missing_pages"] == 9  # The Independent's premium stories
    assert stats["item_scraped_count"] == 21
    assert "log_count/ERROR" not in stats


def test_missing_pages_logged_once_each(crawl: CrawlResult) -> None:
    missing = [line for line in crawl.stderr.splitlines() if "Missing page" in line]
    assert len(missing) == 9 == len(set(missing))


def test_feeds_are_utf8_json_lines(crawl: CrawlResult) -> None:
    raw = (crawl.output_dir / "articles.jsonl").read_text(encoding="utf-8")
    assert "North Korea’s" in raw  # not \\u2019-escaped
    assert len(raw.splitlines()) == 6


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
    result = run_crawl("issues", tmp_path, "-a", f"start_urls={file_url(SITE / start)}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert {a["canonical_url"].rsplit("/", 1)[-1] for a in result.articles} == stories
