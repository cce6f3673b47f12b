"""The incremental ledger shared through the frontier's server (``AGGREGATOR_FRONTIER`` with
``AGGREGATOR_STATE=NAME``, ``aggregator.state.shared_ledger``): deltas exact crawl-wide.

One chain of crawls over a generated mirror served on 127.0.0.1 by a server that records every
request and answers conditional ones (``tests.servers.recording``), on a real Valkey:

- a single process (its own SQLite state file) crawls it twice: the requests of its second,
  unchanged run are what a shared second run must ask for;
- two ``scrapy crawl issues`` workers sharing a ledger: the first run publishes every item
  once between them; the second, unchanged, publishes nothing and asks for what the single
  process asked for; with one story edited (everything due, asked conditionally) exactly one
  worker's new run folder holds it; with another edited, the worker that staged it is killed
  with SIGKILL before publishing: nothing of its run is published, and the other worker, which
  takes its leases, publishes the story, once.

Between two shared runs the frontier is cleared (``scrapy frontier clear``'s ``Frontier.clear``),
the ledger stays. The server's port stays the same along the chain (``issue_url`` holds it).
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from aggregator.frontier.connection import Keys, connect
from aggregator.frontier.leases import Frontier
from aggregator.site.urls import article_id
from aggregator.state.retention import run_folders
from aggregator.state.shared_ledger import ledger_prefix
from benchmarks.mirror import plan, write_mirror
from benchmarks.mirror_changes import Copy, all_stories, edit_body, write_copy
from tests.frontier.workers import Crawl, Worker
from tests.servers.recording import Logged, RecordingServer, recording
from tests.servers.valkey import Valkey
from tests.state.runs import Place, Run, crawl

STORY_PAGES = 60
SEED = 5
EDITED = 7  # the story edited for the third run
KILLED = 30  # the story edited for the fourth, the one its worker is killed holding
DUE_NOW = "AGGREGATOR_STATE_REFRESH_DAYS=0.000001"  # everything due: asked conditionally
WORKERS = 2
# the server answers at once: each worker waits between its requests, so that the crawl lasts
# a few seconds and both workers (started together) read a share of it
PACE = ("DOWNLOAD_DELAY=0.1", "CONCURRENT_REQUESTS=2")
STAGED_TIMEOUT = 120.0
_names = itertools.count(1)


@dataclass(frozen=True)
class Site:
    root: Path
    edited: Copy
    killed: Copy  # the edited copy, with one more story edited
    edited_id: str
    killed_id: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("shared-ledger")
    mirror = write_mirror(folder / "mirror", STORY_PAGES, SEED)
    content = plan(STORY_PAGES, SEED)
    first, second = all_stories(content)[EDITED], all_stories(content)[KILLED]
    edit_body(first)
    edited = write_copy(mirror.root, content, folder / "edited")
    edit_body(second)
    killed = write_copy(edited.root, content, folder / "killed")
    return Site(
        mirror.root,
        edited,
        killed,
        article_id(first.canonical_url),
        article_id(second.canonical_url),
    )


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[RecordingServer]:
    with recording(site.root) as running:
        yield running


@dataclass
class Single:
    first: Run
    unchanged: Run


@pytest.fixture(scope="module")
def single(site: Site, server: RecordingServer, tmp_path_factory: pytest.TempPathFactory) -> Single:
    """One process, one SQLite state file: a full run, then the same mirror again."""
    server.root = site.root
    place = Place.fresh(tmp_path_factory.mktemp("single"))
    return Single(crawl(place, server), crawl(place, server))


@dataclass
class SharedRun:
    workers: list[Worker]
    log: list[Logged]
    new_folders: dict[str, list[str]]  # worker -> the run folders this run published
    stats: dict[str, dict[str, Any]]  # worker -> its stats file (a later run overwrites it)

    def records(self, feed: str) -> list[dict[str, Any]]:
        return [
            record
            for worker in self.workers
            for name in self.new_folders[worker.name]
            for record in _records(worker.output_dir / "runs" / name / f"{feed}.jsonl")
        ]

    def holding(self, item_id: str) -> list[str]:
        """The workers whose new run folders hold the article ``item_id`` (once each)."""
        return [
            worker.name
            for worker in self.workers
            for name in self.new_folders[worker.name]
            for record in _records(worker.output_dir / "runs" / name / "articles.jsonl")
            if record["id"] == item_id
        ]


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@dataclass
class Shared:
    """Crawls of two workers sharing a ledger: each run on a cleared frontier."""

    valkey: Valkey
    server: RecordingServer
    folder: Path
    ledger: str
    key: str
    runs: dict[str, SharedRun] = field(default_factory=dict)
    victim: str = ""  # the worker killed in the last run

    def settings(self, *extra: str) -> tuple[str, ...]:
        return (f"AGGREGATOR_STATE={self.ledger}", "LOG_LEVEL=WARNING", *PACE, *extra)

    def start(self, *extra: str) -> Crawl:
        Frontier(connect(self.valkey.url), Keys(self.key), "", 0).clear()
        self.server.clear()
        shared = Crawl(self.valkey.url, self.server.url_for("index.html"), self.folder, self.key)
        for _ in range(WORKERS):
            shared.start(*self.settings(*extra))
        return shared

    def finish(self, name: str, shared: Crawl, before: dict[str, list[str]]) -> SharedRun:
        try:
            shared.wait()
        finally:
            shared.stop()
        new = {
            w.name: [f for f in run_folders(w.output_dir / "runs") if f not in before[w.name]]
            for w in shared.workers
        }
        stats = {
            w.name: w.stats if w.returncode == 0 else {} for w in shared.workers
        }  # a killed worker's stats file is an earlier run's
        run = SharedRun(shared.workers, self.server.clear(), new, stats)
        self.runs[name] = run
        return run

    def folders(self) -> dict[str, list[str]]:
        return {f"w{n}": run_folders(self.folder / f"w{n}" / "runs") for n in range(WORKERS)}

    def run(self, name: str, *extra: str) -> SharedRun:
        before = self.folders()
        return self.finish(name, self.start(*extra), before)


@pytest.fixture(scope="module")
def shared(
    valkey: Valkey, site: Site, server: RecordingServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shared]:
    """The chain of shared runs, in order, whatever order the tests run in."""
    number = next(_names)
    chain = Shared(
        valkey,
        server,
        tmp_path_factory.mktemp("shared"),
        f"test-ledger-{number}",
        f"test:ledger:{number}",
    )
    client = connect(valkey.url)
    prefix = ledger_prefix(chain.ledger)

    def holder(item_id: str) -> str | None:
        for worker in (f"w{n}" for n in range(WORKERS)):
            if client.hexists(f"{prefix}:staged:{worker}", f"article|{item_id}"):
                return worker
        return None

    play_chain(chain, site, holder)
    yield chain
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def play_chain(chain: Shared, site: Site, holder: Callable[[str], str | None]) -> None:
    """The runs, in order: first, unchanged, edited, killed; ``holder`` names the worker whose
    open run has staged an article (the ledger's own keys or rows)."""
    chain.server.root = site.root
    chain.run("first")
    chain.run("unchanged")
    chain.server.root = site.edited.root
    chain.run("edited", DUE_NOW)
    chain.server.root = site.killed.root
    _killed_run(chain, site, holder)
    chain.server.root = site.root


def _killed_run(chain: Shared, site: Site, holder: Callable[[str], str | None]) -> None:
    """Everything due; the worker that stages the edited story first is killed before it can
    publish (the crawl ends only one lease time after the last page: ``LEASE``)."""
    before = chain.folders()
    crawl_ = chain.start(DUE_NOW)
    deadline = time.monotonic() + STAGED_TIMEOUT
    victim: Worker | None = None
    while victim is None and time.monotonic() < deadline:
        name = holder(site.killed_id)
        victim = next((w for w in crawl_.workers if w.name == name), None)
        if victim is None:
            time.sleep(0.02)
    assert victim is not None, "no worker staged the edited story"
    victim.kill()
    chain.finish("killed", crawl_, before)
    chain.victim = victim.name


def story_requests(log: list[Logged]) -> Counter[tuple[str, int, bool]]:
    """What was asked for, but robots.txt (each worker reads it once, as any process does)."""
    return Counter((e.path, e.status, e.conditional) for e in log if e.path != "/robots.txt")


def test_the_first_shared_run_publishes_every_item_once(shared: Shared, single: Single) -> None:
    run = shared.runs["first"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS
    assert all(len(folders) == 1 for folders in run.new_folders.values()), run.new_folders
    for feed in ("articles", "teasers"):
        ids = Counter(record["id"] for record in run.records(feed))
        assert ids and max(ids.values()) == 1, f"{feed} published twice"
    for feed in ("articles", "teasers"):  # what one process publishes alone
        assert {r["id"] for r in run.records(feed)} == set(_ids_of_single_first(single, feed))
    # the work was shared: each worker leased pages and published a share
    assert all(stats.get("aggregator/frontier/leased", 0) > 0 for stats in run.stats.values())


def _ids_of_single_first(single: Single, feed: str) -> list[str]:
    stats = single.first.stats
    folder = Path(str(stats["aggregator/published/feeds"][-1]))
    return [record["id"] for record in _records(folder / f"{feed}.jsonl")]


def test_an_unchanged_second_run_publishes_nothing_and_asks_what_one_process_asks(
    shared: Shared, single: Single
) -> None:
    assert single.unchanged.returncode == 0, single.unchanged.stderr[-2000:]
    run = shared.runs["unchanged"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS
    assert run.new_folders == {w.name: [] for w in run.workers}
    assert all(stats.get("aggregator/state/nothing_new") for stats in run.stats.values())
    want = story_requests(single.unchanged.log)
    assert not any("/stories/" in path for path, _, _ in want)  # the single run skipped them
    assert story_requests(run.log) == want


def test_one_edited_story_is_in_exactly_one_workers_delta(shared: Shared, site: Site) -> None:
    run = shared.runs["edited"]
    assert [w.returncode for w in run.workers] == [0] * WORKERS
    assert site.edited.written  # the copy did change a story page
    assert len(run.holding(site.edited_id)) == 1
    assert [r["id"] for r in run.records("articles")] == [site.edited_id]
    assert run.records("teasers") == []
    # asked conditionally: every story page once, the edited one's answered whole
    stories = Counter(e.path for e in run.log if "/stories/" in e.path)
    assert stories and set(stories.values()) == {1}
    assert {e.path for e in run.log if "/stories/" in e.path and e.status == 200} == {
        f"/{path}" for path in site.edited.written if "/stories/" in path
    }


def test_a_worker_killed_before_publishing_leaves_nothing_published(
    shared: Shared, site: Site
) -> None:
    run = shared.runs["killed"]
    victim = shared.victim
    survivors = [w for w in run.workers if w.name != victim]
    assert [w.returncode for w in survivors] == [0] * (WORKERS - 1)
    assert run.new_folders[victim] == []
    # the killed worker's run stays open in the ledger, none of its items published
    client = connect(shared.valkey.url)
    runs = client.hget(f"{ledger_prefix(shared.ledger)}:runs", victim)
    assert runs is not None and json.loads(runs)["state"] == "open"
    assert run.holding(site.killed_id) == [survivors[0].name]
    assert [r["id"] for r in run.records("articles")] == [site.killed_id]
