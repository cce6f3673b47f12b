"""End to end: ``scrapy crawl dumps`` in a subprocess, through the real pipelines and feeds.

Every text shape in tests/fixtures/dumps/shapes.jsonl has its hand-reviewed output in
tests/expected/dumps/<name>.json (records carry a ``name`` key; other keys are ignored).
``python -m tests.support.golden`` makes the same outputs in process (``make golden``); a test here
holds them to the real crawl's. Bad arguments are tests/run/test_arguments.py's.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aggregator.site.urls import article_id, canonical_story_url, slug_key, stable_id
from aggregator.utils.text import word_count
from tests.support.crawl import CrawlResult, run_crawl
from tests.support.crawlers import finished
from tests.support.golden import (
    ARTICLE_KEYS,
    EXPECTED_DUMPS,
    TEASER_KEYS,
    dump_outputs,
    expected_dump_path,
)
from tests.support.paths import DUMP_FIXTURES, SEED, SEED_URL, SHAPES, TXT_PAGE
from tests.support.records import read_jsonl
from tests.support.shared import check_output, require_shared

NAMES = sorted(path.stem for path in EXPECTED_DUMPS.glob("*.json"))


def shape_records() -> list[dict[str, Any]]:
    return read_jsonl(SHAPES)


def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(expected_dump_path(name).read_text(encoding="utf-8"))
    return data


def assert_matches(result: CrawlResult, want: dict[str, Any], url: str) -> None:
    """The article and teasers of ``url`` are what ``want`` says, field by field."""
    articles = [a for a in result.articles if a["url"] == url]
    assert len(articles) == 1, [a["url"] for a in result.articles]
    article = articles[0]
    assert tuple(want["article"]) == ARTICLE_KEYS
    for key, value in want["article"].items():
        got = article["body"].split("\n\n") if key == "body" else article[key]
        assert got == value, key
    canonical = canonical_story_url(url)
    assert canonical is not None
    assert article["id"] == article_id(canonical)
    assert article["word_count"] == word_count(article["body"])
    teasers = sorted(
        (t for t in result.teasers if t["source_url"] == url), key=lambda t: t["position"]
    )
    assert [{k: t[k] for k in TEASER_KEYS} for t in teasers] == want["teasers"]
    for teaser in teasers:
        assert (teaser["url"], teaser["canonical_url"], teaser["story_id"]) == (None, None, None)
        # publication and headline folded to letters and digits, as an HTML card's slugs are
        assert teaser["id"] == stable_id(
            "teaser", slug_key(teaser["publication"]), slug_key(teaser["title"])
        )


def test_every_shape_has_an_expected_output() -> None:
    assert sorted(r["name"] for r in shape_records()) == NAMES
    assert len(NAMES) >= 16


def test_golden_outputs_are_the_crawls(shapes_crawl: CrawlResult) -> None:
    """What ``make golden`` compares the expected files with, made in process, is what the
    real crawl exports, shape by shape."""
    outputs = dump_outputs()
    assert sorted(outputs) == NAMES
    assert len(outputs) >= 16
    for output in outputs.values():
        assert_matches(shapes_crawl, output, output["url"])
    assert sum(len(output["teasers"]) for output in outputs.values()) == len(shapes_crawl.teasers)


@pytest.mark.parametrize("name", NAMES)
def test_shape(shapes_crawl: CrawlResult, name: str) -> None:
    want = expected(name)
    assert_matches(shapes_crawl, want, want["url"])


def test_shapes_feeds_and_stats(shapes_crawl: CrawlResult) -> None:
    records = shape_records()
    assert len(records) >= 16
    assert len(shapes_crawl.articles) == len(records)
    assert len(shapes_crawl.teasers) == sum(len(expected(r["name"])["teasers"]) for r in records)
    assert len(shapes_crawl.teasers) >= 37
    stats = shapes_crawl.stats
    assert stats["aggregator/dumps/records"] == len(records)
    assert stats["aggregator/dumps/header/classic"] == 1
    assert stats["aggregator/dumps/header/2025"] == 1
    assert stats["aggregator/dumps/teaser_shape/blank"] == 3
    assert stats["aggregator/dumps/teaser_shape/2025"] == 3
    assert stats["aggregator/prompts/removed/und"] == 6  # Dutch and Turkish, three lines each
    assert "aggregator/dumps/skipped_not_story" not in stats
    assert not any(key.startswith("aggregator/dropped/") for key in stats)
    assert "Traceback" not in shapes_crawl.stderr
    for article in shapes_crawl.articles:
        assert article["source"] == "dump"
        assert article["crawled_at"].endswith("+00:00")


def test_shapes_output_passes_check_output(shapes_crawl: CrawlResult) -> None:
    done = check_output(shapes_crawl.output_dir)
    assert done.returncode == 0, done.stdout


def test_gzip_dump_gives_the_same_feeds(shapes_crawl: CrawlResult, tmp_path: Path) -> None:
    packed = tmp_path / "shapes.jsonl.gz"
    with SHAPES.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    result = finished(run_crawl("dumps", tmp_path / "out", "-a", f"path={packed}"))

    def without_time(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "crawled_at"} for r in records]

    assert result.articles and result.teasers
    assert without_time(result.articles) == without_time(shapes_crawl.articles)
    assert without_time(result.teasers) == without_time(shapes_crawl.teasers)


def test_txt_page(tmp_path: Path) -> None:
    record = next(r for r in shape_records() if r["name"] == "gold2025")
    assert TXT_PAGE.read_text(encoding="utf-8").strip() == record["text"]
    result = finished(
        run_crawl("dumps", tmp_path / "out", "-a", f"path={TXT_PAGE}", "-a", f"url={record['url']}")
    )
    assert_matches(result, expected("gold2025"), record["url"])


# -- the seed -----------------------------------------------------------------------------------


def check_seed(result: CrawlResult) -> None:
    finished(result)
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == 32
    (article,) = result.articles
    assert article["body"].split("\n\n") == lines[:6]
    # the page's own card (the ninth of ten) gives the title and the standfirst
    assert (article["title"], article["standfirst"]) == (lines[28], lines[29])
    assert article["publication"] == "The Independent"
    assert article["issue_date"] == "2024-11-07"
    assert article["prompt_language"] == "nb"
    assert (article["url"], article["source"], article["locale"]) == (SEED_URL, "dump", "nb")
    cards = lines[12:]
    assert [(t["title"], t["summary"]) for t in result.teasers] == list(
        zip(cards[::2], cards[1::2], strict=True)
    )
    assert len(result.teasers) == 10
    assert {t["source_url"] for t in result.teasers} == {SEED_URL}
    assert [t["position"] for t in result.teasers] == list(range(1, 11))
    done = check_output(result.output_dir)
    assert done.returncode == 0, done.stdout


def test_seed_as_a_record(tmp_path: Path) -> None:
    dump = tmp_path / "seed.jsonl"
    text = require_shared(SEED).read_text(encoding="utf-8")
    record = {"url": SEED_URL, "text": text, "timestamp": "2024-11-08T00:00:00Z"}
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    check_seed(run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}"))


def test_seed_as_a_txt_page(tmp_path: Path) -> None:
    seed = require_shared(SEED)
    check_seed(run_crawl("dumps", tmp_path / "out", "-a", f"path={seed}", "-a", f"url={SEED_URL}"))


# -- records that are not stories, malformed lines ------------------------------------------------


def test_skipped_and_malformed_records(tmp_path: Path) -> None:
    records = DUMP_FIXTURES / "records.jsonl"
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={records}")
    # two of the malformed lines are stories (a cut-off line, one without text): lost, named
    assert result.returncode == 1, result.stderr[-3000:]
    stats = result.stats
    assert stats["aggregator/dumps/records"] == 4
    assert stats["aggregator/dumps/skipped_not_story"] == 2
    assert stats["aggregator/dumps/malformed/bad_json"] == 1
    assert stats["aggregator/dumps/malformed/no_text"] == 1
    assert stats["aggregator/dumps/malformed/no_url"] == 1
    assert stats["aggregator/dumps/malformed/not_an_object"] == 1
    assert (stats["aggregator/lost/bad_json"], stats["aggregator/lost/no_text"]) == (1, 1)
    assert "2 stories lost (bad_json 1, no_text 1)" in stats["aggregator/health/summary"]
    for line, reason in ((5, "no_url"), (9, "not_an_object")):
        assert f"records.jsonl line {line}: malformed record skipped ({reason})" in result.stderr
    for line, slug, reason in ((3, "BROKEN", "bad_json"), (4, "NO-TEXT", "no_text")):
        url = f"https://www.magzter.com/stories/news/Outlook/{slug}"
        assert f"Story lost: {url} ({reason}: " in result.stderr
        assert f"records.jsonl line {line}\n" in result.stderr
    assert "line 6" not in result.stderr  # a blank line is not a record
    assert [a["url"].rsplit("/", 1)[1] for a in result.articles] == [
        "A-KITCHEN-IN-A-SUITCASE",
        "THE-LAST-IRANI-CAFE-ON-THE-STREET",
    ]
    assert [a["prompt_language"] for a in result.articles] == ["en", "de"]
    assert [t["title"] for t in result.teasers] == ["A kitchen in a suitcase"]
    done = check_output(result.output_dir)
    assert done.returncode == 0, done.stdout


def test_counts_of_a_long_dump_and_its_repeat_cards(tmp_path: Path) -> None:
    """More records than the spider's stats batch: every count reaches the stats, and the
    cards that every record prints again are counted as repeats, never exported twice."""
    from aggregator.pages.saved_text import SavedTextPage
    from aggregator.prompts import PromptMatcher
    from aggregator.spiders.dumps import STATS_BATCH

    (classic,) = [r for r in shape_records() if r["name"] == "classic"]
    count = 2 * STATS_BATCH + 50
    dump = tmp_path / "long.jsonl"
    with dump.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = {"url": f"{classic['url']}-{n}", "text": classic["text"]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    cards = SavedTextPage(classic["url"], classic["text"], PromptMatcher.default()).teasers()
    assert len(cards) >= 2
    result = finished(run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}"))
    stats = result.stats
    assert stats["aggregator/dumps/records"] == count
    headers = sum(v for k, v in stats.items() if k.startswith("aggregator/dumps/header/"))
    assert headers == count
    assert stats["aggregator/dedupe/teaser_repeats"] == (count - 1) * len(cards)
    assert len(result.articles) == count
    teasers = result.teasers
    assert [(t["title"], t["position"]) for t in teasers] == [(c.title, c.position) for c in cards]
    assert {t["source_url"] for t in teasers} == {f"{classic['url']}-0"}
