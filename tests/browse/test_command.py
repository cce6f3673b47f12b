"""``scrapy browse`` without a browser: what it refuses (one line, exit 2), the run
history the crawls wrote, the metadata's column descriptions from the record field docs,
an index made before the browser brought up to date, and the pages it serves."""

from __future__ import annotations

import json
import sqlite3
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from aggregator.browse import INSTALL, missing
from aggregator.browse.fields import field_docs
from aggregator.browse.metadata import build
from aggregator.index import Filters, open_index
from aggregator.index.sqlite import SqliteIndex
from aggregator.index.views import VIEWS
from tests.browse.conftest import START, BrowsedIndex, Served
from tests.support.crawl import run_crawl, run_scrapy
from tests.support.crawlers import finished


def browse(*arguments: str) -> tuple[int, list[str]]:
    done = run_scrapy("browse", *arguments, timeout=60)
    return done.returncode, done.stderr.splitlines()


def test_a_postgresql_index_is_refused_in_one_line() -> None:
    code, lines = browse("-s", "AGGREGATOR_INDEX=postgresql://nobody@127.0.0.1:9/none")
    assert code == 2
    assert lines == [
        "scrapy browse: browsing needs the SQLite index (AGGREGATOR_INDEX=sqlite:///path/"
        "index.sqlite, or scrapy index OUTPUT_DIR into one): a postgresql:// index cannot "
        "be browsed"
    ]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("-s", "AGGREGATOR_INDEX=sqlite:////nonexistent/index.sqlite"), "no index at "),
        (("--port", "http", "-s", "AGGREGATOR_INDEX=sqlite:////x.sqlite"), "bad --port 'http'"),
        (("-s", "AGGREGATOR_INDEX=elastic://x"), "'elastic://x' is no index URL"),
    ],
)
def test_bad_arguments_exit_2_naming_them(arguments: tuple[str, ...], said: str) -> None:
    code, lines = browse(*arguments)
    assert code == 2 and len(lines) == 1 and said in lines[0], lines


def test_without_datasette_it_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasette", None)  # import datasette: ImportError
    problem = missing()
    assert problem is not None and problem.startswith(INSTALL)


def test_every_run_is_recorded_with_its_closing_figures(browsed_index: BrowsedIndex) -> None:
    db = sqlite3.connect(browsed_index.path)
    db.row_factory = sqlite3.Row
    runs = [dict(row) for row in db.execute("SELECT * FROM runs ORDER BY started_at, run_id")]
    crawl, unhealthy = browsed_index.crawl, browsed_index.unhealthy
    assert [run["verdict"] for run in runs] == ["healthy", "unhealthy"]
    healthy = runs[0]
    assert (healthy["articles"], healthy["teasers"]) == (len(crawl.articles), len(crawl.teasers))
    assert healthy["spider"] == "issues" and healthy["finish_reason"] == "finished"
    assert healthy["indexed"] in crawl.stats["aggregator/health/summary"]
    assert json.loads(healthy["reasons"]) == []
    assert healthy["stories_lost"] == sum(
        v for k, v in crawl.stats.items() if k.startswith("aggregator/lost/")
    )
    failed = runs[1]
    assert (failed["articles"], failed["teasers"], failed["indexed"]) == (0, 0, None)
    assert json.loads(failed["reasons"]) == unhealthy.stats["aggregator/health/reasons"]
    assert failed["started_at"] <= failed["finished_at"]
    assert failed["run_id"] != healthy["run_id"]


def test_every_column_has_a_description_from_the_field_docs(browsed_index: BrowsedIndex) -> None:
    docs = field_docs()
    assert docs["Article"]["title"] == "The headline."
    assert docs["Teaser"]["position"] == "The card's place on that page, from 1."
    tables = build("index")["databases"]["index"]["tables"]
    db = sqlite3.connect(browsed_index.path)
    for name in (*VIEWS, "runs", "run_losses"):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({name})")]
        described = tables[name]["columns"]
        assert columns and all(described.get(column) for column in columns), name
    assert tables["articles"]["columns"]["standfirst"] == docs["Article"]["standfirst"]
    assert tables["teasers"]["columns"]["summary"] == docs["Teaser"]["summary"]


def test_an_index_made_before_the_browser_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    SqliteIndex(path).close()
    db = sqlite3.connect(path)
    for name in VIEWS:
        db.execute(f"DROP VIEW {name}")
    db.execute("DROP TABLE run_losses")
    db.execute("DROP TABLE runs")
    db.execute("ALTER TABLE items DROP COLUMN record")
    db.commit()
    db.close()
    from aggregator.browse.server import needs_upgrade

    assert needs_upgrade(path)
    SqliteIndex(path).close()
    assert not needs_upgrade(path)
    db = sqlite3.connect(path)
    assert "record" in {row[1] for row in db.execute("PRAGMA table_info(items)")}


def test_it_prints_its_url_and_serves_the_index_read_only(
    served: Served, browsed_index: BrowsedIndex
) -> None:
    assert served.line.startswith(f"scrapy browse: {served.base}/ ")
    assert "read-only" in served.line
    with urllib.request.urlopen(f"{served.base}/-/databases.json") as answer:
        databases = json.loads(answer.read())
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("index", True)]
    # the canned search finds and scores what scrapy search does (open_index: its engine)
    title = browsed_index.crawl.articles[0]["title"]
    query = urllib.parse.urlencode({"q": f'"{title}" -zzz', "_shape": "objects"})
    with urllib.request.urlopen(f"{served.base}/index/search.json?{query}") as answer:
        rows = json.loads(answer.read())["rows"]
    index = open_index(browsed_index.url, create=False)
    try:
        results = index.search(f'"{title}" -zzz', Filters(limit=50))
    finally:
        index.close()
    assert len(rows) > 1  # the article and the cards that share its headline
    assert {(row["type"], row["id"], row["score"]) for row in rows} == {
        (result.type, result.id, round(result.score, 6)) for result in results
    }
    assert browsed_index.crawl.articles[0]["id"] in {row["id"] for row in rows}


def test_an_incremental_run_is_recorded_under_its_ledger_run_id(tmp_path: Path) -> None:
    out, index = tmp_path / "out", tmp_path / "index.sqlite"
    state = ["-s", f"AGGREGATOR_STATE={tmp_path / 'state.sqlite'}"]
    state += ["-s", f"AGGREGATOR_INDEX=sqlite:///{index}"]
    first = finished(run_crawl("issues", out, "-a", START, *state))
    published = first.stats["aggregator/published/articles"]  # before the next run's stats
    first_run = first.stats["aggregator/state/run_id"]
    second = finished(run_crawl("issues", out, "-a", START, *state))
    db = sqlite3.connect(index)
    runs = db.execute("SELECT run_id, articles FROM runs ORDER BY started_at, run_id").fetchall()
    folders = sorted(p.name for p in (out / "runs").iterdir() if not p.is_symlink())
    # the first run's folder; the second, with nothing new, published none (runs/latest stays)
    assert folders == [first_run]
    assert [run_id for run_id, _ in runs] == [*folders, second.stats["aggregator/state/run_id"]]
    assert published > 0
    assert [articles for _, articles in runs] == [published, 0]  # nothing new the second time
