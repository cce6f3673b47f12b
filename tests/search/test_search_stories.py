"""``scrapy search`` lists stories, on both engines: the samples crawl's feeds indexed with
``scrapy index``, searched with the real command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aggregator.site.urls import SITE
from tests.support.crawl import CrawlResult, run_scrapy

LIGHTHOUSE = f"{SITE}/stories/newspaper/The-Independent/THE-LAST-LIGHTHOUSE-KEEPERS"


@pytest.fixture
def indexed(index_url: str, samples_crawl: CrawlResult) -> list[str]:
    """The ``-s`` settings of an index of the samples crawl's feeds."""
    settings = ["-s", f"AGGREGATOR_INDEX={index_url}"]
    done = run_scrapy("index", str(samples_crawl.output_dir), *settings)
    assert done.returncode == 0, done.stderr
    return settings


def search(settings: list[str], *arguments: str) -> list[dict[str, Any]]:
    done = run_scrapy("search", *arguments, "--json", *settings)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_a_title_query_finds_the_article_once_with_its_cards(
    indexed: list[str], samples_crawl: CrawlResult
) -> None:
    results = search(indexed, "lighthouse keepers")
    first = results[0]
    assert (first["type"], first["url"], first["title"]) == (
        "article",
        LIGHTHOUSE,
        "The last lighthouse keepers",
    )
    cards = [t for t in samples_crawl.teasers if t["story_id"] == first["id"]]
    assert first["teasers"] == len(cards) > 0
    # none of its cards is listed beside it, and no story twice
    assert all(r.get("story_id") != first["id"] for r in results)
    assert len({r["url"] for r in results}) == len(results)


def test_a_card_whose_story_is_indexed_links_to_the_story(indexed: list[str]) -> None:
    (card, *_) = search(indexed, "lighthouse keepers", "--type", "teaser")
    assert card["type"] == "teaser" and card["premium"] is False
    assert card["url"] == LIGHTHOUSE  # the story, not the page the card was seen on
    (story,) = search(indexed, "lighthouse keepers", "--type", "article")
    assert card["story_id"] == story["id"]


def test_a_card_of_a_story_never_crawled_stays_a_premium_card(
    indexed: list[str], samples_crawl: CrawlResult
) -> None:
    crawled = {a["id"] for a in samples_crawl.articles}
    premium = next(t for t in samples_crawl.teasers if t["story_id"] not in crawled)
    results = search(indexed, f'"{premium["title"]}"')
    found = next(r for r in results if r["id"] == premium["id"])
    assert found["type"] == "teaser" and found["premium"] is True


def test_offset_pages_through_the_stories(indexed: list[str]) -> None:
    every = search(indexed, "the", "--limit", "6")
    pages = search(indexed, "the", "--limit", "3") + search(
        indexed, "the", "--limit", "3", "--offset", "3"
    )
    assert len(every) == 6 and [r["id"] for r in pages] == [r["id"] for r in every]
    text = run_scrapy("search", "the", "--limit", "1", "--offset", "2", *indexed)
    assert text.stdout.startswith("3. "), text.stdout


@pytest.mark.parametrize(
    "arguments",
    [
        ("--since", "2024-13"),
        ("--until", "2024-02-30"),
        ("--since", "2023-02-29"),
        ("--offset", "-1"),
    ],
)
def test_impossible_dates_and_offsets_are_one_line_and_exit_2(
    tmp_path: Path, arguments: tuple[str, str]
) -> None:
    done = run_scrapy("search", "anything", *arguments, "-s", f"OUTPUT_DIR={tmp_path}")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and f"bad {arguments[0]} '{arguments[1]}'" in lines[0], done.stderr


def test_a_real_leap_day_is_a_date(indexed: list[str]) -> None:
    search(indexed, "lighthouse", "--since", "2024-02-29")
