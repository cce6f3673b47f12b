"""Feeds into the index, on both engines: ``scrapy index`` on an OUTPUT_DIR, run folders and
feed files, a malformed line refused whole, ``scrapy search`` and its arguments, and many
writers at once."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from aggregator.index import Filters, open_index
from aggregator.index.loader import FeedError, feed_files, load
from tests.support.crawl import run_scrapy
from tests.support.index_records import article, article_record, teaser_record


def write_feed(path: Path, records: list[dict[str, Any]], *extra_lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


def output_dir(root: Path) -> Path:
    """An OUTPUT_DIR with its two feeds: two articles, three teaser cards (one premium)."""
    write_feed(
        root / "articles.jsonl",
        [
            article_record(
                "a1",
                "Harbour lights",
                "The harbour of Bergen at night.",
                publication="Outlook",
                issue_date="2024-11-07",
                language="en",
            ),
            article_record(
                "a2",
                "Fjord ferries",
                "Ferries cross the fjord at dawn.",
                publication="Brunch",
                issue_date="2024-12",
                language="en",
            ),
        ],
    )
    write_feed(
        root / "teasers.jsonl",
        [
            teaser_record("t1", "Harbour lights", story_id="a1", position=1),
            teaser_record(
                "t2",
                "Harbour lights",
                story_id="a1",
                position=2,
                source_url="https://www.magzter.com/issues/2",
            ),
            teaser_record("t3", "Harbour secrets", story_id="premium", summary="Gold only."),
        ],
    )
    return root


def settings(url: str, out: Path) -> list[str]:
    return ["-s", f"AGGREGATOR_INDEX={url}", "-s", f"OUTPUT_DIR={out}"]


def test_scrapy_index_upserts_and_says_what_it_did(index_url: str, tmp_path: Path) -> None:
    out = output_dir(tmp_path / "out")
    first = run_scrapy("index", *settings(index_url, out))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("indexed 2 articles, 3 teasers: 5 new, 0 updated, 0 unchanged")
    again = run_scrapy("index", *settings(index_url, out))
    assert again.stdout.startswith("indexed 2 articles, 3 teasers: 0 new, 0 updated, 5 unchanged")
    found = run_scrapy("search", "harbour", "--json", *settings(index_url, out))
    assert found.returncode == 0, found.stderr
    results = {r["id"]: r for r in map(json.loads, found.stdout.splitlines())}
    assert set(results) == {"a1", "t3"}  # t1 and t2 are a1's cards: one story, counted
    assert results["a1"]["teasers"] == 2 and results["t3"]["premium"] is True
    assert "**harbour**" in results["a1"]["snippet"].lower()
    shown = run_scrapy(
        "search", "harbour", "--type", "teaser", "--limit", "1", *settings(index_url, out)
    )
    assert shown.stdout.count("\n1. ") + shown.stdout.startswith("1. ") == 1
    assert "teaser" in shown.stdout and "2. " not in shown.stdout


def test_a_malformed_line_is_refused_with_file_and_line(index_url: str, tmp_path: Path) -> None:
    good = write_feed(tmp_path / "good.jsonl", [article_record("g1", "Good", "Loaded first.")])
    bad = write_feed(
        tmp_path / "bad.jsonl",
        [article_record("b1", "First", "Of the bad file."), article_record("b2", "Second", "x")],
        '{"id": "b3", "title": "cut off',
        json.dumps(article_record("b4", "Fourth", "After the bad line.")),
    )
    done = run_scrapy("index", str(good), str(bad), *settings(index_url, tmp_path))
    assert done.returncode == 1
    assert f"{bad}:3: not JSON" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    index = open_index(index_url)
    try:
        assert index.count() == 1
        assert [r.id for r in index.search("loaded", Filters())] == ["g1"]
        assert index.search("bad", Filters()) == []
    finally:
        index.close()


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("[1, 2]", "not a JSON object"),
        ('{"id": "x", "title": "no kind"}', "neither an article"),
        ('{"body": "text", "url": "https://x"}', "'id' is missing"),
        ('{"id": "t", "source_url": "https://x", "title": 3}', "'title' is not a text"),
    ],
)
def test_what_is_no_feed_record(tmp_path: Path, line: str, why: str) -> None:
    path = write_feed(tmp_path / "feed.jsonl", [], line)
    index = open_index(f"sqlite:///{tmp_path / 'index.sqlite'}")
    with pytest.raises(FeedError, match=f"feed.jsonl:1: {why}"):
        load(index, [path])
    assert index.count() == 0


def test_run_folders_are_loaded_in_run_order(index_url: str, tmp_path: Path) -> None:
    runs = tmp_path / "out" / "runs"
    write_feed(runs / "20261101T000000Z" / "articles.jsonl", [article_record("a1", "Old", "x")])
    write_feed(runs / "20261101T000000Z-2" / "articles.jsonl", [article_record("a1", "Mid", "y")])
    write_feed(runs / "20261102T000000Z" / "articles.jsonl", [article_record("a1", "New", "z")])
    write_feed(runs / "20261102T000000Z" / "teasers.jsonl", [])
    (runs / "latest").symlink_to("20261102T000000Z")
    write_feed(
        runs / ".20261103T000000Z.partial" / "articles.jsonl", [article_record("a1", "No", "")]
    )
    files = feed_files([tmp_path / "out"])
    assert [f.parent.name for f in files] == [
        "20261101T000000Z",
        "20261101T000000Z-2",
        "20261102T000000Z",
        "20261102T000000Z",
    ]
    index = open_index(index_url)
    try:
        loaded = load(index, [tmp_path / "out"])
        assert loaded.counts.by_change == {"new": 1, "updated": 2}
        assert [r.title for r in index.search("new", Filters())] == ["New"]
    finally:
        index.close()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["search", "x", "--since", "yesterday"], "bad --since 'yesterday'"),
        (["search", "x", "--limit", "0"], "bad --limit '0'"),
        (["search", "-s", "AGGREGATOR_INDEX=mysql://db", "x"], "'mysql://db' is no index URL"),
        (["search", '"open'], "unclosed quote"),
        (["search", "-x"], "only excludes"),
        (["index", "/nonexistent/feeds"], "/nonexistent/feeds: no such file or folder"),
        (
            ["search", "-s", "AGGREGATOR_INDEX=sqlite:////nonexistent/i.sqlite", "x"],
            "no index at /nonexistent/i.sqlite: load feeds into it with scrapy index",
        ),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    output_dir(tmp_path)
    assert run_scrapy("index", "-s", f"OUTPUT_DIR={tmp_path}").returncode == 0
    done = run_scrapy(*arguments, "-s", f"OUTPUT_DIR={tmp_path}")
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_the_default_index_is_in_output_dir(tmp_path: Path) -> None:
    output_dir(tmp_path)
    assert run_scrapy("index", "-s", f"OUTPUT_DIR={tmp_path}").returncode == 0
    assert (tmp_path / "index.sqlite").is_file()
    found = run_scrapy("search", "ferries", "-s", f"OUTPUT_DIR={tmp_path}")
    assert "1. Fjord ferries — Brunch, 2024-12 (article, 0 teaser cards)" in found.stdout


def test_many_writers_at_once(index_url: str) -> None:
    """Two writers, the same and their own items, small transactions, at the same time:
    every item stored once, counted new once."""
    shared = [article(f"s{n}", f"Shared {n}", f"Body number {n} of both.") for n in range(400)]
    barrier = threading.Barrier(2, timeout=60)  # a writer that fails early cannot hang the other
    counted: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def write(name: str) -> None:
        index = open_index(index_url)
        try:
            own = [article(f"{name}{n}", f"Own {n}", f"Body {n} of {name}.") for n in range(400)]
            items = [item for pair in zip(shared, own, strict=True) for item in pair]
            barrier.wait()
            total: dict[str, int] = {}
            for start in range(0, len(items), 40):
                with index.transaction():
                    counts = index.upsert(items[start : start + 40])
                for key, value in counts.by_change.items():
                    total[key] = total.get(key, 0) + value
            counted.append(total)
        except BaseException as error:
            errors.append(error)
        finally:
            index.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    index = open_index(index_url)
    try:
        assert index.count() == 1200
    finally:
        index.close()
    assert sum(c.get("new", 0) for c in counted) == 1200
    assert sum(c.get("unchanged", 0) for c in counted) == 400


def test_crawls_opening_a_new_sqlite_index_at_once_all_open_it(tmp_path: Path) -> None:
    """Switching a new file to WAL is refused at once ("database is locked") to a second
    opener: four at a time, fifty times, every one opens it (7 in 200 rounds failed before)."""
    failures: list[BaseException] = []
    for round_ in range(50):
        path = tmp_path / f"{round_}.sqlite"
        barrier = threading.Barrier(4, timeout=60)

        def open_it(path: Path = path, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                open_index(f"sqlite:///{path}").close()
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert failures == []
