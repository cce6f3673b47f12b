"""The ledger on PostgreSQL (``aggregator.state.pg_ledger``) on a real server (a throwaway
cluster: ``tests/servers/postgres.py``; skipped with the reason where PostgreSQL is absent):

- the run life the SQLite and Valkey ledgers are held to (``play``) gives the same answers,
  alone and as a frontier's worker;
- what a frontier's worker has on it: a run left open is dropped, reads of a live worker's
  run settle an issue, a dead one's do not; alone, a run left open is resumed;
- many connections at once: the same ids staged together by four connections into one run
  are ``new`` once each, ``seen`` the other times; two workers publishing overlapping items
  at once both finish, and the last published hash is one of theirs;
- bad settings: an unreachable server, a bad URL, a ledger in use, each one line (exit 2, or
  3 for a ledger another run holds) from a real ``scrapy crawl``, nothing published.
"""

from __future__ import annotations

import random
import subprocess
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest

from aggregator.state.freshness import ISSUE, MISSING, STORY
from aggregator.state.ledger import Ledger
from aggregator.state.pg_ledger import LedgerUnavailable, PgLedger, hold_lock
from tests.frontier.test_shared_ledger_backend import article, play
from tests.servers.postgres import Cluster, _free_port, postgres_database
from tests.support.crawl import ROOT, scrapy_command

SETTLED = (STORY, MISSING)
SAMPLES = ROOT / "samples" / "index.html"


@pytest.fixture
def url(postgres_cluster: Cluster) -> str:
    """A new, empty database: the ledger's tables are made on first use."""
    return postgres_database(postgres_cluster)


def alive_of(live: set[str]) -> Any:
    return lambda workers: {worker for worker in workers if worker in live}


@pytest.mark.parametrize("worker", [None, "w0"], ids=["alone", "worker"])
def test_the_postgresql_ledger_answers_as_the_state_file(
    url: str, tmp_path: Path, worker: str | None
) -> None:
    alone = Ledger(tmp_path / "state.sqlite")
    try:
        want = play(alone)
    finally:
        alone.close()
    ledger = PgLedger(url, worker, alive_of(set()))
    try:
        got = play(ledger)
    finally:
        ledger.close()
    assert got == want
    assert want[1:4] == ["new", "new", "new"] and want[-5:-2] == ["unchanged", "changed", "new"]


def test_a_second_connection_finds_the_tables_and_what_was_published(url: str) -> None:
    first = PgLedger(url)
    run, _ = first.open_run()
    first.stage(run, "article", article("a", "text"))
    first.begin_publishing(run)
    first.mark_published(run)
    first.close()
    again = PgLedger(url)  # the next process: the tables are there, nothing made again
    second, resumed = again.open_run()
    assert not resumed and second != run
    assert again.stage(second, "article", article("a", "text")) == "unchanged"
    again.close()


def test_a_worker_starting_while_another_writes_takes_no_table_lock(url: str) -> None:
    """The tables there, a new connection runs no DDL: ``CREATE INDEX IF NOT EXISTS`` would
    wait for (and deadlock with) a worker inside a transaction on the same table."""
    PgLedger(url).close()
    with psycopg.connect(url) as writer:  # a transaction left open on ledger_reads
        writer.execute("DELETE FROM ledger_reads WHERE run_id = 'none'")
        impatient = f"{url}?options=-c%20lock_timeout%3D3000"  # a wait fails, not hangs
        ledger = PgLedger(impatient, "w1", alive_of(set()))
        run, _ = ledger.open_run()
        ledger.close()
    assert run


def test_a_dropped_run_is_not_published_by_its_old_worker(url: str) -> None:
    """A worker taken for dead (its run dropped when its name started again) publishes
    nothing if it still tries."""
    old = PgLedger(url, "w0", alive_of(set()))
    run, _ = old.open_run()
    old.stage(run, "article", article("a", "text"))
    new = PgLedger(url, "w0", alive_of(set()))
    second, _ = new.open_run()
    old.begin_publishing(run)
    old.mark_published(run)
    assert new.stage(second, "article", article("a", "text")) == "new"
    assert old.publishing_run() is None and new.publishing_run() is None
    state = new.db.execute("SELECT state FROM ledger_runs WHERE id = %s", (run,)).fetchone()
    assert state == ("dropped",)
    for ledger in (old, new):
        ledger.close()


def test_alone_a_run_left_open_is_resumed(url: str) -> None:
    ledger = PgLedger(url)
    run, _ = ledger.open_run()
    ledger.stage(run, "article", article("a", "text"))
    ledger.page_done(run, "http://127.0.0.1/stories/a.html")
    ledger.close()  # a stop
    again = PgLedger(url)
    assert again.open_run() == (run, True)
    assert list(again.done_pages(run)) == ["http://127.0.0.1/stories/a.html"]
    assert again.stage(run, "article", article("a", "text")) == "seen"
    again.close()


def test_a_workers_run_left_open_is_dropped_not_resumed(url: str) -> None:
    ledger = PgLedger(url, "w0", alive_of(set()))
    run, _ = ledger.open_run()
    ledger.stage(run, "article", article("a", "text"))
    ledger.page_done(run, "http://127.0.0.1/stories/a.html")
    ledger.record_read(run, STORY, "s1", None, None)
    other = PgLedger(url, "w1", alive_of(set()))
    kept, _ = other.open_run()
    other.stage(kept, "article", article("b", "text"))
    again = PgLedger(url, "w0", alive_of(set()))
    second, resumed = again.open_run()
    assert not resumed and second != run
    assert list(again.staged(second, "article")) == []
    assert list(again.done_pages(second)) == [] and list(again.done_pages(run)) == []
    assert not again.read_in_run(run, STORY, "s1")
    assert again.stage(second, "article", article("a", "text")) == "new"
    assert len(list(other.staged(kept, "article"))) == 1  # another worker's run is its own
    for each in (ledger, other, again):
        each.close()


def test_a_live_workers_reads_settle_an_issue_and_a_dead_ones_do_not(url: str) -> None:
    alive = alive_of({"w1"})  # w2 has stopped beating
    here, there, dead = (PgLedger(url, w, alive) for w in ("w0", "w1", "w2"))
    run, _ = here.open_run()
    other, _ = there.open_run()
    gone, _ = dead.open_run()
    here.record_read(run, STORY, "s1", None, None)
    there.record_read(other, STORY, "s2", None, None)
    dead.record_read(gone, STORY, "s3", None, None)
    here.list_stories(run, "i1", ["s1", "s2"])  # s2 read by the other worker, alive
    here.list_stories(run, "i2", ["s1", "s3"])  # s3 read only by the dead one
    assert here.settle_issues(run, SETTLED) == 1
    assert here.read_in_run(run, ISSUE, "i1") and not here.read_in_run(run, ISSUE, "i2")
    assert here.seen(STORY, "s2") is None  # the other worker's reads: its own until published
    there.mark_published(other)
    assert here.seen(STORY, "s2") is not None and here.seen(STORY, "s3") is None
    for ledger in (here, there, dead):
        ledger.close()


def test_four_connections_staging_the_same_ids_into_one_run_lose_none(url: str) -> None:
    first = PgLedger(url)
    run, _ = first.open_run()
    ids = [f"item-{n:03d}" for n in range(150)]
    said: list[tuple[str, str]] = []
    start = threading.Barrier(4)

    def stage_all(seed: int) -> None:
        ledger = PgLedger(url)
        order = ids[:]
        random.Random(seed).shuffle(order)
        start.wait()
        record = f"from {seed}"
        said.extend((item, ledger.stage(run, "article", article(item, record))) for item in order)
        ledger.close()

    threads = [threading.Thread(target=stage_all, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(said) == 4 * len(ids)
    news = Counter(item for item, change in said if change == "new")
    assert news == Counter(ids)  # each id new exactly once, in whichever connection won
    assert Counter(change for _, change in said) == {"new": 150, "seen": 450}
    assert first.staged_counts(run) == {"article/new": 150}
    first.close()


def test_two_workers_publishing_overlapping_items_at_once_both_finish(url: str) -> None:
    ledgers = [PgLedger(url, f"w{n}", alive_of(set())) for n in range(2)]
    runs = [ledger.open_run()[0] for ledger in ledgers]
    ids = [f"item-{n:03d}" for n in range(300)]
    for n, (ledger, run) in enumerate(zip(ledgers, runs, strict=True)):
        for item in ids if n == 0 else reversed(ids):
            ledger.stage(run, "article", article(item, f"from w{n}"))
            ledger.record_read(run, STORY, f"http://127.0.0.1/stories/{item}.html", None, None)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def publish(ledger: PgLedger, run: str) -> None:
        start.wait()
        try:
            ledger.begin_publishing(run)
            ledger.mark_published(run)
        except BaseException as error:  # a deadlock would be raised here
            errors.append(error)

    threads = [
        threading.Thread(target=publish, args=pair) for pair in zip(ledgers, runs, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [ledger.publishing_run() for ledger in ledgers] == [None, None]
    assert ledgers[0].count_seen(STORY) == len(ids)
    # each id's published hash is one worker's: staged again, one copy is unchanged, the other
    # (the first time in the run) changed, or (after the unchanged one went in) changed
    check, _ = ledgers[0].open_run()
    for item in ids[:20]:
        answers = [ledgers[0].stage(check, "article", article(item, f"from w{n}")) for n in (0, 1)]
        assert sorted(answers) == ["changed", "unchanged"], (item, answers)
    for ledger in ledgers:
        ledger.close()


# -- bad settings: one line from a real crawl --------------------------------------------------


def crawl(out: Path, state: str) -> subprocess.CompletedProcess[str]:
    command = scrapy_command(
        "crawl", "issues", "-a", f"start_urls={SAMPLES.as_uri()}",
        "-s", f"OUTPUT_DIR={out}", "-s", f"AGGREGATOR_STATE={state}",
    )  # fmt: skip
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def one_line(done: subprocess.CompletedProcess[str], status: int) -> str:
    assert done.returncode == status, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    return lines[0]


def test_an_unreachable_server_is_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    closed = f"postgresql://postgres:secret@127.0.0.1:{_free_port()}/ledger"
    line = one_line(crawl(tmp_path / "out", closed), 2)
    assert line.startswith("scrapy crawl issues: bad setting AGGREGATOR_STATE: cannot connect to ")
    assert "postgres:***@127.0.0.1" in line and "secret" not in line
    assert not (tmp_path / "out" / "runs").exists()


def test_a_bad_url_is_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    line = one_line(crawl(tmp_path / "out", "postgresql://127.0.0.1/ledger?bogus=1"), 2)
    assert line.startswith("scrapy crawl issues: bad setting AGGREGATOR_STATE: ")
    assert "is no PostgreSQL URL" in line and "bogus" in line


def test_a_ledger_another_run_holds_is_refused_in_one_line(url: str, tmp_path: Path) -> None:
    holder, held = hold_lock(url)
    assert holder is not None and held is None
    try:
        line = one_line(crawl(tmp_path / "out", url), 3)
        assert "is in use by another run (exit 3); try later" in line
        assert not (tmp_path / "out" / "runs").exists()
        # released (as it is when its process ends: the server closes the session), the next
        # run takes it; after close() alone the server may still be ending that session
        holder.execute("SELECT pg_advisory_unlock_all()")
        again, held = hold_lock(url)
        assert again is not None and held is None
        again.close()
    finally:
        holder.close()


def test_a_ledger_of_another_schema_version_is_refused_in_one_line(
    url: str, tmp_path: Path
) -> None:
    PgLedger(url).close()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("UPDATE ledger_schema SET version = 9")
    line = one_line(crawl(tmp_path / "out", url), 2)
    assert line.endswith("holds a ledger of schema version 9; this crawler reads version 1")
    with pytest.raises(LedgerUnavailable, match="schema version 9"):
        PgLedger(url)


def test_the_ledger_needs_a_server_that_answers(url: str) -> None:
    with pytest.raises(LedgerUnavailable, match="cannot connect to"):
        PgLedger(url.rsplit(":", 1)[0] + f":{_free_port()}/ledger")
