"""Real ``scrapy crawl issues`` runs with the ledger on PostgreSQL (``AGGREGATOR_STATE=
postgresql://…``, a throwaway cluster; skipped with the reason where PostgreSQL is absent):

- alone, on samples/: the first run publishes what a run on the SQLite state file publishes,
  the second publishes an empty delta (no folder, ``runs/latest`` stays); a run killed at a
  step of the commit order is finished by the next, nothing lost, nothing twice;
- two workers on a frontier (a real Valkey) sharing one PostgreSQL ledger, the chain
  ``tests/frontier/test_shared_ledger.py`` plays on the Valkey ledger: the first run
  publishes every item once between them, the second (unchanged) nothing, asking what one
  process asks; one edited story is in exactly one worker's delta; a worker killed holding
  another edited story leaves nothing published, and the other publishes it, once.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from aggregator.feeds.names import FEED_NAMES
from tests.frontier import conftest as frontier_fixtures
from tests.frontier import test_shared_ledger as chain_of
from tests.frontier.test_shared_ledger import (
    WORKERS,
    Shared,
    Single,
    Site,
    play_chain,
    story_requests,
)
from tests.frontier.workers import Worker
from tests.servers.postgres import Cluster, postgres_database
from tests.servers.recording import RecordingServer
from tests.servers.valkey import Valkey
from tests.state.test_incremental_samples import published
from tests.support.crawl import CrawlResult, run_crawl

# the fixtures of the Valkey ledger's chain, here under their own names
valkey = frontier_fixtures.valkey
site = chain_of.site
server = chain_of.server
single = chain_of.single
_keys = itertools.count(1)


def incremental(out: Path, state: str, env: dict[str, str] | None = None) -> CrawlResult:
    return run_crawl("issues", out, "-s", f"AGGREGATOR_STATE={state}", env=env)


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Counter[tuple[str, str]]:
    """What one run on the SQLite state file publishes: (feed, id) -> folders."""
    out = tmp_path_factory.mktemp("pg-sqlite") / "out"
    result = incremental(out, str(out.parent / "state.sqlite"))
    assert result.returncode == 0, result.stderr[-2000:]
    return published(out)


def test_alone_twice_the_second_run_publishes_an_empty_delta(
    postgres_cluster: Cluster, tmp_path: Path, on_sqlite: Counter[tuple[str, str]]
) -> None:
    url = postgres_database(postgres_cluster)
    out = tmp_path / "out"
    first = incremental(out, url)
    assert first.returncode == 0, first.stderr[-2000:]
    assert published(out) == on_sqlite  # every item once, the ones the state file publishes
    assert sum(1 for feed, _ in on_sqlite if feed == "articles") == 45
    latest = (out / "runs" / "latest").resolve()
    second = incremental(out, url)
    assert second.returncode == 0, second.stderr[-2000:]
    assert second.stats["aggregator/state/nothing_new"] is True
    assert published(out) == on_sqlite  # no new folder
    assert (out / "runs" / "latest").resolve() == latest
    with psycopg.connect(url) as db:
        states = Counter(state for (state,) in db.execute("SELECT state FROM ledger_runs"))
        count = db.execute("SELECT count(*) FROM ledger_published").fetchone()
    assert states == {"published": 2}
    assert count == (len(on_sqlite),)


@pytest.mark.parametrize("point", ["staged:10", "folder_renamed"])
def test_a_run_killed_mid_commit_is_finished_by_the_next(
    postgres_cluster: Cluster, tmp_path: Path, on_sqlite: Counter[tuple[str, str]], point: str
) -> None:
    url = postgres_database(postgres_cluster)
    out = tmp_path / "out"
    crashed = incremental(out, url, env={"AGGREGATOR_CRASH_AT": point})
    assert crashed.returncode == 70, crashed.stderr[-2000:]
    again = incremental(out, url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert published(out) == on_sqlite  # nothing lost, nothing in two folders


# -- two workers, one frontier, one PostgreSQL ledger --------------------------------------------


def _holder(db: psycopg.Connection[Any]) -> Callable[[str], str | None]:
    """Who has staged an article in its open run: the worker of the row."""

    def holder(item_id: str) -> str | None:
        row = db.execute(
            "SELECT r.worker FROM ledger_staged AS s JOIN ledger_runs AS r "
            "ON r.id = s.run_id WHERE s.kind = 'article' AND s.id = %s AND r.state = 'open'",
            (item_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    return holder


def _tails(workers: list[Worker]) -> str:
    """The end of the log of each worker that did not exit 0."""
    return "\n".join(f"{w.name}:\n{w.tail()}" for w in workers if w.returncode != 0)


@pytest.fixture(scope="module")
def shared(
    valkey: Valkey,
    postgres_cluster: Cluster,
    site: Site,
    server: RecordingServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Shared]:
    """The chain of shared runs on one PostgreSQL ledger, in order."""
    number = next(_keys)
    chain = Shared(
        valkey,
        server,
        tmp_path_factory.mktemp("pg-shared"),
        postgres_database(postgres_cluster),
        f"test:pgledger:{number}",
    )
    with psycopg.connect(chain.ledger, autocommit=True) as db:
        play_chain(chain, site, _holder(db))
    yield chain


def test_the_first_shared_run_publishes_every_item_once(shared: Shared, single: Single) -> None:
    run = shared.runs["first"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS, _tails(run.workers)
    assert all(len(folders) == 1 for folders in run.new_folders.values()), run.new_folders
    folder = Path(str(single.first.stats["aggregator/published/feeds"][-1]))
    for kind, name in FEED_NAMES.items():
        feed = name.removesuffix(".jsonl")
        ids = Counter(record["id"] for record in run.records(feed))
        assert ids and max(ids.values()) == 1, f"{kind}s published twice"
        lines = (folder / name).read_text("utf-8").splitlines()
        assert set(ids) == {json.loads(line)["id"] for line in lines}  # one process's
    assert all(stats.get("aggregator/frontier/leased", 0) > 0 for stats in run.stats.values())


def test_an_unchanged_second_run_publishes_nothing_and_asks_what_one_process_asks(
    shared: Shared, single: Single
) -> None:
    run = shared.runs["unchanged"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS, _tails(run.workers)
    assert run.new_folders == {w.name: [] for w in run.workers}
    assert all(stats.get("aggregator/state/nothing_new") for stats in run.stats.values())
    want = story_requests(single.unchanged.log)
    assert not any("/stories/" in path for path, _, _ in want)
    assert story_requests(run.log) == want


def test_one_edited_story_is_in_exactly_one_workers_delta(shared: Shared, site: Site) -> None:
    run = shared.runs["edited"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS, _tails(run.workers)
    assert len(run.holding(site.edited_id)) == 1
    assert [r["id"] for r in run.records("articles")] == [site.edited_id]
    assert run.records("teasers") == []


def test_a_worker_killed_before_publishing_leaves_nothing_published(
    shared: Shared, site: Site
) -> None:
    run = shared.runs["killed"]
    survivors = [w for w in run.workers if w.name != shared.victim]
    assert [w.returncode for w in survivors] == [0] * (WORKERS - 1), _tails(survivors)
    assert run.new_folders[shared.victim] == []
    with psycopg.connect(shared.ledger) as db:
        states = db.execute(
            "SELECT state FROM ledger_runs WHERE worker = %s ORDER BY id", (shared.victim,)
        ).fetchall()
    assert states[-1] == ("open",)  # its run stays open, none of its items published
    assert run.holding(site.killed_id) == [survivors[0].name]
    assert [r["id"] for r in run.records("articles")] == [site.killed_id]
