"""``scrapy crawl issues`` on samples/ with ``AGGREGATOR_INDEX``: what the run published is
in the index (both engines), each article found by a distinctive phrase of its body in the
top 3; incremental runs index their run folder; an index that fails makes the run unhealthy
and leaves the feeds published."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import regex

from aggregator.index import Filters, open_index
from tests.support.crawl import CrawlResult, file_url, run_crawl, run_scrapy
from tests.support.crawlers import finished
from tests.support.paths import SAMPLES

START = f"start_urls={file_url(SAMPLES / 'index.html')}"
_LETTERS = regex.compile(r"\p{L}+")
_EDGES = regex.compile(r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$")
PHRASE_WORDS = 5


def distinctive_phrases(articles: list[dict[str, str]]) -> dict[str, str]:
    """For each article id, the first run of words of its body, as written (letters only: a
    reader's phrase, not ``2.40am``), that no other body has."""
    windows: dict[str, list[str]] = {}
    for record in articles:
        words = [_EDGES.sub("", word) for word in record["body"].split()]
        windows[record["id"]] = [
            " ".join(words[i : i + PHRASE_WORDS])
            for i in range(len(words) - PHRASE_WORDS + 1)
            if all(_LETTERS.fullmatch(word) for word in words[i : i + PHRASE_WORDS])
        ]
    seen = Counter(window.casefold() for options in windows.values() for window in set(options))
    return {
        item: next(window for window in options if seen[window.casefold()] == 1)
        for item, options in windows.items()
    }


def search(output_dir: Path, url: str, query: str) -> list[dict[str, object]]:
    done = run_scrapy(
        "search",
        query,
        "--json",
        "--limit",
        "3",
        "-s",
        f"AGGREGATOR_INDEX={url}",
        "-s",
        f"OUTPUT_DIR={output_dir}",
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.fixture
def indexed_crawl(index_url: str, tmp_path: Path) -> tuple[CrawlResult, str]:
    out = tmp_path / "out"
    return finished(
        run_crawl("issues", out, "-a", START, "-s", f"AGGREGATOR_INDEX={index_url}")
    ), index_url


def test_every_article_is_found_by_a_phrase_of_its_body(
    indexed_crawl: tuple[CrawlResult, str],
) -> None:
    crawl, url = indexed_crawl
    articles, teasers = crawl.articles, crawl.teasers
    assert len(articles) > 10
    stats = crawl.stats
    assert stats["aggregator/index/articles"] == len(articles)
    assert stats["aggregator/index/teasers"] == len(teasers)
    assert stats["aggregator/index/new"] == len(articles) + len(teasers)
    assert (
        f"indexed {len(articles)} articles, {len(teasers)} teasers:"
        in stats["aggregator/health/summary"]
    )
    phrases = distinctive_phrases(articles)
    assert len(phrases) == len(articles)
    index = open_index(url)  # what `scrapy search` runs, without a process per phrase
    try:
        for item, phrase in phrases.items():
            top = [result.id for result in index.search(f'"{phrase}"', Filters(limit=3))]
            assert item in top, (phrase, top)
    finally:
        index.close()
    for item, phrase in list(phrases.items())[:3]:  # and the command itself
        top = [str(result["id"]) for result in search(crawl.output_dir, url, f'"{phrase}"')]
        assert item in top, (phrase, top)


def test_an_incremental_run_indexes_its_run_folder(index_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    state = [
        "-s",
        f"AGGREGATOR_STATE={tmp_path / 'state.sqlite'}",
        "-s",
        f"AGGREGATOR_INDEX={index_url}",
    ]
    first = finished(run_crawl("issues", out, "-a", START, *state))
    published = (
        first.stats["aggregator/published/articles"] + first.stats["aggregator/published/teasers"]
    )
    assert published > 0 and first.stats["aggregator/index/new"] == published
    again = finished(run_crawl("issues", out, "-a", START, *state))
    assert again.stats["aggregator/index/new"] == 0
    assert "indexed 0 articles, 0 teasers" in again.stats["aggregator/health/summary"]


def test_an_index_that_fails_makes_the_run_unhealthy_and_keeps_the_feeds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    # a port nothing listens on
    url = "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2"
    crawl = run_crawl("issues", out, "-a", START, "-s", f"AGGREGATOR_INDEX={url}")
    assert crawl.returncode == 1
    assert crawl.articles and (out / "teasers.jsonl").is_file()
    summary = crawl.stats["aggregator/health/summary"]
    assert (
        summary.startswith("aggregator: UNHEALTHY:")
        and "because: indexing failed: cannot connect" in summary
    )
    assert crawl.stats["aggregator/index/failed"] == 1


def test_a_crawl_with_an_unknown_index_scheme_does_not_start(tmp_path: Path) -> None:
    crawl = run_crawl("issues", tmp_path, "-a", START, "-s", "AGGREGATOR_INDEX=elastic://x")
    assert crawl.returncode == 2
    assert crawl.stderr.strip() == (
        "scrapy crawl issues: bad setting AGGREGATOR_INDEX: 'elastic://x' is no index URL: "
        "use sqlite:///path/index.sqlite or postgresql://user@host:port/db"
    )


def test_a_crawl_without_the_setting_makes_no_index(samples_crawl: CrawlResult) -> None:
    assert not (samples_crawl.output_dir / "index.sqlite").exists()
    assert not any(key.startswith("aggregator/index/") for key in samples_crawl.stats)
