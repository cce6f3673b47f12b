"""The two ledger backends answer alike (``aggregator.state.backend.LedgerBackend``): the same
run life played on the SQLite state file and on ``SharedLedger`` in a real Valkey gives the
same answers; and what only the shared one has: a story another live worker of the crawl read
settles an issue, one a dead worker read does not."""

from __future__ import annotations

import itertools
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aggregator.frontier.connection import connect
from aggregator.state.backend import LedgerBackend, ledger_name_problem
from aggregator.state.freshness import ISSUE, MISSING, PAGE, STORY
from aggregator.state.ledger import Ledger
from aggregator.state.shared_ledger import SharedLedger, ledger_prefix
from tests.servers.valkey import Valkey
from tests.support.crawl import ROOT, scrapy_command

SETTLED = (STORY, MISSING)
_names = itertools.count(1)


@pytest.fixture
def name(valkey: Valkey) -> Iterator[str]:
    """A ledger of its own in the server, deleted after."""
    ledger = f"backend-{next(_names)}"
    yield ledger
    client = connect(valkey.url)
    keys = list(client.scan_iter(match=f"{ledger_prefix(ledger)}:*"))
    if keys:
        client.delete(*keys)


def shared(valkey: Valkey, name: str, worker: str, frontier: str = "test:backend") -> SharedLedger:
    return SharedLedger(connect(valkey.url), name, worker, frontier)


def article(item_id: str, body: str) -> dict[str, Any]:
    return {"id": item_id, "url": f"http://127.0.0.1/stories/{item_id}.html", "body": body}


def play(ledger: LedgerBackend) -> list[Any]:
    """Two runs: what each call answers, in order."""
    said: list[Any] = []
    run, resumed = ledger.open_run()
    said.append(resumed)
    for item_id in ("b", "a", "c"):
        said.append(ledger.stage(run, "article", article(item_id, f"text {item_id}")))
    said.append(ledger.stage(run, "article", article("a", "another copy")))  # the first kept
    said.append(ledger.stage(run, "teaser", {"id": "t1", "title": "T"}))
    said.append(sorted(ledger.staged_counts(run).items()))
    said.append(list(ledger.staged(run, "article")))
    ledger.page_done(run, "http://127.0.0.1/stories/a.html")
    said.append(sorted(ledger.done_pages(run)))
    ledger.record_read(run, STORY, "s1", '"e1"', "Mon, 07 Dec 2026 10:00:00 GMT")
    ledger.record_read(run, MISSING, "s2", None, None)
    ledger.record_read(run, PAGE, "p1", '"p"', None, zlib.compress(b"page text"))
    ledger.list_stories(run, "i1", ["s1", "s2"])
    ledger.list_stories(run, "i2", ["s1", "s3"])  # s3 never read: i2 not settled
    said.append(ledger.read_in_run(run, STORY, "s1"))
    said.append(ledger.read_in_run(run, STORY, "s2"))
    said.append(ledger.seen(STORY, "s1"))  # not before it is published
    said.append(ledger.settle_issues(run, SETTLED))
    said.append(ledger.publishing_run())
    ledger.begin_publishing(run)
    said.append(ledger.publishing_run() == run)
    ledger.mark_published(run)
    said.append(ledger.publishing_run())
    seen = ledger.seen(STORY, "s1")
    said.append(seen[1:] if seen else None)
    said.append(ledger.seen_body(PAGE, "p1"))
    said.append(ledger.seen_body(STORY, "s1"))
    said.append([ledger.count_seen(kind) for kind in (STORY, ISSUE, PAGE, MISSING)])
    said.append(ledger.seen(ISSUE, "i1") is not None)
    said.append(ledger.seen(ISSUE, "i2"))
    second, resumed = ledger.open_run()
    said.append((second != run, resumed))
    said.append(ledger.stage(second, "article", article("a", "text a")))
    said.append(ledger.stage(second, "article", article("b", "edited b")))
    said.append(ledger.stage(second, "article", article("d", "text d")))
    said.append(list(ledger.staged(second, "article")))
    said.append(sorted(ledger.done_pages(second)))
    return said


def test_both_backends_answer_alike(valkey: Valkey, name: str, tmp_path: Path) -> None:
    alone = Ledger(tmp_path / "state.sqlite")
    try:
        want = play(alone)
    finally:
        alone.close()
    ledger = shared(valkey, name, "w0")
    try:
        got = play(ledger)
    finally:
        ledger.close()
    assert got == want
    assert want[1:4] == ["new", "new", "new"] and want[-5:-2] == ["unchanged", "changed", "new"]


def test_a_live_workers_reads_settle_an_issue_and_a_dead_ones_do_not(
    valkey: Valkey, name: str
) -> None:
    client = connect(valkey.url)
    frontier = f"test:backend:{name}"
    here, there, dead = (shared(valkey, name, w, frontier) for w in ("w0", "w1", "w2"))
    run, _ = here.open_run()
    other, _ = there.open_run()
    gone, _ = dead.open_run()
    client.set(f"{frontier}:alive:w1", "1", px=60_000)  # w1 alive; w2's key has expired
    here.record_read(run, STORY, "s1", None, None)
    there.record_read(other, STORY, "s2", None, None)
    dead.record_read(gone, STORY, "s3", None, None)
    here.list_stories(run, "i1", ["s1", "s2"])  # s2 read by the other worker, alive
    here.list_stories(run, "i2", ["s1", "s3"])  # s3 read only by the dead one
    assert here.settle_issues(run, SETTLED) == 1
    assert here.read_in_run(run, ISSUE, "i1") and not here.read_in_run(run, ISSUE, "i2")
    # the other worker's reads stay its own until it is published
    assert here.seen(STORY, "s2") is None
    there.mark_published(other)
    assert here.seen(STORY, "s2") is not None and here.seen(STORY, "s3") is None
    client.delete(f"{frontier}:alive:w1")
    for ledger in (here, there, dead):
        ledger.close()


def test_a_run_left_open_is_dropped_not_resumed(valkey: Valkey, name: str) -> None:
    """A worker's pages belong to its leases: after a stop others read them, so its next
    start begins a new run, with nothing staged."""
    ledger = shared(valkey, name, "w0")
    run, _ = ledger.open_run()
    ledger.stage(run, "article", article("a", "text"))
    ledger.page_done(run, "http://127.0.0.1/stories/a.html")
    ledger.record_read(run, STORY, "s1", None, None)
    again = shared(valkey, name, "w0")
    second, resumed = again.open_run()
    assert not resumed and second != run
    assert list(again.staged(second, "article")) == []
    assert list(again.done_pages(second)) == []
    assert not again.read_in_run(second, STORY, "s1")
    assert again.stage(second, "article", article("a", "text")) == "new"
    ledger.close()
    again.close()


@pytest.mark.parametrize("value", ["state.sqlite", "crawl-2026_a"])
def test_a_ledger_name(value: str) -> None:
    assert ledger_name_problem(value) is None


@pytest.mark.parametrize("value", ["/tmp/state.sqlite", "a b", "", "x:*"])
def test_a_path_or_pattern_is_no_ledger_name(value: str) -> None:
    problem = ledger_name_problem(value)
    assert problem is not None and problem.startswith("bad setting AGGREGATOR_STATE: ")


def test_a_crawl_with_a_state_file_path_on_a_frontier_is_refused_in_one_line(
    valkey: Valkey, tmp_path: Path
) -> None:
    state = tmp_path / "state.sqlite"
    done = subprocess.run(
        scrapy_command(
            "crawl", "issues",
            "-s", f"AGGREGATOR_FRONTIER={valkey.url}",
            "-s", f"AGGREGATOR_STATE={state}",
            "-s", f"OUTPUT_DIR={tmp_path / 'out'}",
        ),
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith("scrapy crawl issues: bad setting AGGREGATOR_STATE: ")
    assert "names the ledger" in done.stderr and len(done.stderr.splitlines()) == 1
    assert not state.exists()
