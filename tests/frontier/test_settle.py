"""A worker killed while publishing on a host no other worker sees (its publishing marker
names a run folder on another machine): ``scrapy frontier status`` names it, ``scrapy
frontier settle`` leaves it, ``settle --roll-back WORKER`` rolls its run back (its leases to
the queue, nothing of it published, its folder to be set aside on its host), and a worker
with ``AGGREGATOR_FRONTIER_SETTLE_UNSEEN`` rolls it back itself once it has waited that long.
The dead workers' runs of this host are dropped, and their leftovers removed, by the next
one to start. All on a real Valkey, with real files and real ``scrapy frontier`` processes.
"""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy.settings import Settings

from aggregator.frontier.connection import Keys, connect
from aggregator.frontier.leases import Frontier
from aggregator.frontier.publishing import AGAIN, WAITING, Publishing, marker
from aggregator.state.run import run_marker
from aggregator.state.shared_ledger import SharedLedger, ledger_prefix
from tests.servers.valkey import Valkey
from tests.support.crawl import ROOT, scrapy_command

LEASED = 3
LOST_HOST = "lost-box"
_numbers = itertools.count(1)


@dataclass
class Ghost:
    """A worker killed while publishing its run on ``LOST_HOST``."""

    url: str
    key: str
    ledger: str
    run_id: str
    runs_dir: Path

    def command(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            scrapy_command(
                "frontier", *arguments,
                "-s", f"AGGREGATOR_FRONTIER={self.url}",
                "-s", f"AGGREGATOR_FRONTIER_KEY={self.key}",
            ),
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    def frontier(self) -> Frontier:
        return Frontier(connect(self.url), Keys(self.key), "", 0)

    def forget(self) -> None:
        self.frontier().clear()
        client = connect(self.url)
        keys = list(client.scan_iter(match=f"{ledger_prefix(self.ledger)}:*"))
        if keys:
            client.delete(*keys)


def staged_ledger(url: str, ledger: str, key: str, worker: str, runs_dir: Path) -> SharedLedger:
    shared = SharedLedger(connect(url), ledger, worker, key, str(runs_dir))
    run_id, _ = shared.open_run()
    shared.stage(run_id, "article", {"id": f"{worker}-story", "title": "A story"})
    return shared


def make_ghost(valkey: Valkey, host: str, runs_dir: Path) -> Ghost:
    """A worker that leased ``LEASED`` requests, staged a story, wrote its run folder (its
    partial, in ``runs_dir``, when that exists), recorded its marker as on ``host``, died."""
    number = next(_numbers)
    key, ledger = f"test:settle:{number}", f"settle-{number}"
    frontier = Frontier(connect(valkey.url), Keys(key), "ghost", 60_000)
    frontier.join()
    for n in range(LEASED):
        frontier.push(f"fp{n}".encode(), "", json.dumps({"url": f"http://x/{n}"}), 0, check=True)
    assert len(frontier.lease(LEASED) or []) == LEASED
    shared = staged_ledger(valkey.url, ledger, key, "ghost", runs_dir)
    run_id = json.loads(shared.client.hget(f"{ledger_prefix(ledger)}:runs", "ghost"))["id"]
    shared.begin_publishing(run_id)
    partial = runs_dir / f".{run_id}.partial"
    if runs_dir.is_dir():
        partial.mkdir()
        (partial / "articles.jsonl").write_text('{"id": "ghost-story"}\n', encoding="utf-8")
    run = run_marker(run_id, ledger, runs_dir)
    data = json.loads(marker([(partial, runs_dir / run_id)], {"articles": 1}, run))
    assert Publishing(frontier).mark(json.dumps({**data, "host": host}))
    frontier.client.delete(frontier.keys.alive("ghost"))  # killed: its heartbeat is gone
    return Ghost(valkey.url, key, ledger, run_id, runs_dir)


@pytest.fixture
def ghost(valkey: Valkey) -> Iterator[Ghost]:
    """Killed while publishing on ``LOST_HOST``, its runs folder seen from no host here."""
    made = make_ghost(valkey, LOST_HOST, Path("/nonexistent") / LOST_HOST / "runs")
    yield made
    made.forget()


def test_status_names_it_settle_leaves_it_roll_back_reads_it_again(ghost: Ghost) -> None:
    status = ghost.command("status")
    assert status.returncode == 0, status.stderr
    line = next(line for line in status.stdout.splitlines() if "worker ghost" in line)
    assert f"run {ghost.run_id} on host {LOST_HOST}" in line
    assert "--roll-back ghost" in line
    settled = ghost.command("settle")
    assert settled.returncode == 0, settled.stderr
    assert "worker ghost: " in settled.stdout and "not seen from here, left" in settled.stdout
    assert ghost.frontier().status().leased == LEASED

    unknown = ghost.command("settle", "--roll-back", "nobody")
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        "scrapy frontier: --roll-back nobody: no dead worker of that name holds a publishing "
        "marker (see scrapy frontier status)"
    ]

    rolled = ghost.command("settle", "--roll-back", "ghost")
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.strip() == f"worker ghost: rolled back, {LEASED} leases back in the queue"
    status_after = ghost.frontier().status()
    assert (status_after.queued, status_after.leased, status_after.workers) == (LEASED, 0, {})
    client = connect(ghost.url)
    prefix = ledger_prefix(ghost.ledger)
    assert client.hget(f"{prefix}:runs", "ghost") is None  # rolled back: nothing published
    assert not client.exists(f"{prefix}:staged:ghost", f"{prefix}:hash:ghost")
    assert client.hlen(f"{prefix}:published") == 0
    void = json.loads(client.hget(f"{prefix}:void", f"ghost|{ghost.run_id}"))
    assert (void["host"], void["runs_dir"]) == (LOST_HOST, str(ghost.runs_dir))


def test_a_worker_rolls_back_an_unseen_marker_after_waiting_for_it(ghost: Ghost) -> None:
    settings = Settings(
        {"AGGREGATOR_FRONTIER": ghost.url, "AGGREGATOR_FRONTIER_SETTLE_UNSEEN": 0.3}
    )
    waiting = Publishing(ghost.frontier(), settings)
    assert waiting.settle_dead()[WAITING] == 1
    assert ghost.frontier().status().leased == LEASED
    time.sleep(0.4)
    assert waiting.settle_dead()[AGAIN] == LEASED
    assert ghost.frontier().status().queued == LEASED
    # without the setting, a worker leaves another host's marker be
    client = connect(ghost.url)
    assert client.hget(f"{ledger_prefix(ghost.ledger)}:runs", "ghost") is None


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def test_the_next_worker_here_drops_dead_runs_and_sets_void_folders_aside(
    valkey: Valkey, tmp_path: Path
) -> None:
    number = next(_numbers)
    key, ledger = f"test:leftovers:{number}", f"leftovers-{number}"
    client = connect(valkey.url)
    prefix = ledger_prefix(ledger)
    # a dead worker of this host: its run open, a partial folder left in its runs folder
    gone_runs = tmp_path / "gone" / "runs"
    staged_ledger(valkey.url, ledger, key, "gone", gone_runs)
    gone_run = json.loads(client.hget(f"{prefix}:runs", "gone"))
    client.hset(f"{prefix}:runs", "gone", json.dumps({**gone_run, "pid": dead_pid()}))
    (gone_runs / f".{gone_run['id']}.partial").mkdir(parents=True)
    (gone_runs / f".{gone_run['id']}.partial" / "articles.jsonl").write_text("{}\n")
    # a live one (this process), and a dead one whose marker waits to be settled on it
    staged_ledger(valkey.url, ledger, key, "live", tmp_path / "live" / "runs")
    staged_ledger(valkey.url, ledger, key, "marked", tmp_path / "marked" / "runs")
    marked_run = json.loads(client.hget(f"{prefix}:runs", "marked"))
    client.hset(f"{prefix}:runs", "marked", json.dumps({**marked_run, "pid": dead_pid()}))
    client.set(f"{key}:publishing:marked", "{}")
    # a run rolled back from another host, whose folder is here after all
    void_runs = tmp_path / "void" / "runs"
    for name in ("20250101T000000Z", "20250102T000000Z"):
        (void_runs / name).mkdir(parents=True)
    (void_runs / "latest").symlink_to("20250102T000000Z")
    run = {"id": "20250102T000000Z", "host": socket.gethostname(), "runs_dir": str(void_runs)}
    client.hset(f"{prefix}:void", "void|20250102T000000Z", json.dumps(run))

    dropped, removed = SharedLedger(client, ledger, "next", key, "").clean_up_here()

    assert dropped == [f"gone/{gone_run['id']}"]
    assert not gone_runs.joinpath(f".{gone_run['id']}.partial").exists()
    assert removed == [f".{gone_run['id']}.partial", ".20250102T000000Z.void"]
    assert sorted(k.decode() for k in client.hkeys(f"{prefix}:runs")) == ["live", "marked"]
    assert not client.exists(f"{prefix}:staged:gone", f"{prefix}:hash:gone")
    assert client.exists(f"{prefix}:staged:live", f"{prefix}:staged:marked") == 2
    assert sorted(p.name for p in void_runs.iterdir()) == [
        ".20250102T000000Z.void",
        "20250101T000000Z",
        "latest",
    ]
    assert os.readlink(void_runs / "latest") == "20250101T000000Z"
    assert client.hlen(f"{prefix}:void") == 0
    client.delete(*client.scan_iter(match=f"{prefix}:*"), f"{key}:publishing:marked")


def test_a_run_is_published_only_under_its_own_id(valkey: Valkey, tmp_path: Path) -> None:
    """A settler coming second, or after the worker started a new run, publishes nothing."""
    number = next(_numbers)
    ledger, key = f"guard-{number}", f"test:guard:{number}"
    shared = staged_ledger(valkey.url, ledger, key, "w", tmp_path / "runs")
    prefix = ledger_prefix(ledger)
    run_id = json.loads(shared.client.hget(f"{prefix}:runs", "w"))["id"]
    try:
        shared.mark_published(f"{run_id}-older")
        assert shared.client.hlen(f"{prefix}:published") == 0
        assert shared.client.hexists(f"{prefix}:runs", "w")
        shared.mark_published(run_id)
        assert [k.decode() for k in shared.client.hkeys(f"{prefix}:published")] == [
            "article|w-story"
        ]
        assert not shared.client.hexists(f"{prefix}:runs", "w")
    finally:
        shared.client.delete(*shared.client.scan_iter(match=f"{prefix}:*"))


def test_settle_on_the_dead_workers_host_publishes_its_run(valkey: Valkey, tmp_path: Path) -> None:
    """Its folder waiting beside its name: moved into place, linked, its run published in the
    ledger, its leases done."""
    runs = tmp_path / "runs"
    runs.mkdir()
    ghost = make_ghost(valkey, socket.gethostname(), runs)
    try:
        settled = ghost.command("settle")
        assert settled.returncode == 0, settled.stderr
        assert settled.stdout.strip() == f"worker ghost: published, {LEASED} leases done"
        assert (runs / ghost.run_id / "articles.jsonl").is_file()
        assert os.readlink(runs / "latest") == ghost.run_id
        prefix = ledger_prefix(ghost.ledger)
        client = connect(ghost.url)
        assert [k.decode() for k in client.hkeys(f"{prefix}:published")] == ["article|ghost-story"]
        status = ghost.frontier().status()
        assert (status.queued, status.leased, status.workers) == (0, 0, {})
        assert (status.counts["done"], status.counts["articles"]) == (LEASED, 1)
        again = ghost.command("settle")
        assert again.stdout.strip() == "no worker was killed while publishing"
    finally:
        ghost.forget()
