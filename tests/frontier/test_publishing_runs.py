"""A worker of a crawl with a shared ledger (``AGGREGATOR_STATE=NAME``) killed while it
publishes its run folder: after the folder is renamed into place (``folder_renamed``), after
``runs/latest`` points to it (``latest_updated``), or with its folder written and its marker
recorded but not yet renamed (``run_marked``). Another worker finishes the crawl, a third
starts once the victim is dead to the server: the union of the run folders (the deltas) holds
every story exactly once, as an article or a named loss, and no page is read twice.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from aggregator.frontier.connection import connect
from aggregator.state.retention import run_folders
from aggregator.state.run import CRASH_STATUS
from aggregator.state.shared_ledger import ledger_prefix
from tests.frontier.conftest import BROKEN, STORY_PAGES, Site, frontier_of
from tests.frontier.test_workers import SLOW, assert_over
from tests.frontier.workers import Crawl, Worker
from tests.servers.slow import SlowServer


def deltas(worker: Worker, feed: str) -> list[dict[str, Any]]:
    """The records of every run folder ``worker`` has in place."""
    runs = worker.output_dir / "runs"
    return [
        json.loads(line)
        for name in run_folders(runs)
        for line in (runs / name / f"{feed}.jsonl").read_text("utf-8").splitlines()
    ]


def wait_dead(crawl: Crawl, worker: Worker) -> None:
    frontier = frontier_of(crawl)
    deadline = time.monotonic() + 60
    while frontier.client.exists(frontier.keys.alive(worker.name)):
        assert time.monotonic() < deadline, "the victim's heartbeat never expired"
        time.sleep(0.1)


def clean_ledger(url: str, name: str) -> None:
    client = connect(url)
    keys = list(client.scan_iter(match=f"{ledger_prefix(name)}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.parametrize("point", ["folder_renamed", "latest_updated", "run_marked"])
def test_a_worker_killed_publishing_its_run_is_in_one_delta(
    crawl: Crawl, point: str, site: Site, web: SlowServer, tmp_path: Path
) -> None:
    ledger = f"publish-{point}-{tmp_path.name}"
    state = f"AGGREGATOR_STATE={ledger}"
    before = web.story_pages
    try:
        victim = crawl.start(*SLOW, state, env={"AGGREGATOR_CRASH_AT": point})
        other = crawl.start(*SLOW, state)
        assert victim.wait() == CRASH_STATUS, victim.tail()
        assert other.wait() == 0, other.tail()
        wait_dead(crawl, victim)
        late = crawl.start(*SLOW, state)
        assert late.wait() == 0, late.tail()
        workers = [victim, other, late]
        assert late.stats.get("aggregator/frontier/leased", 0) == 0, "pages read again"
        assert web.story_pages - before == STORY_PAGES, "a story page was read twice"
        assert deltas(victim, "articles"), "the victim's run folder is not in place"
        for feed in ("articles", "teasers"):
            ids = Counter(r["id"] for w in workers for r in deltas(w, feed))
            assert ids and max(ids.values()) == 1, f"{feed} in two deltas"
        outcomes = Counter(r["url"] for w in workers for r in deltas(w, "articles"))
        outcomes.update(url for w in workers for url in w.lost_stories)
        assert outcomes == Counter(web.url_for(path) for path in site.story_paths)
        assert sum(len(w.lost_stories) for w in workers) == BROKEN
        # the victim's run is published in the ledger: its items are the published ones
        client = connect(crawl.frontier)
        prefix = ledger_prefix(ledger)
        assert client.hget(f"{prefix}:runs", victim.name) is None
        published = {key.decode() for key in client.hkeys(f"{prefix}:published")}
        assert {f"article|{r['id']}" for r in deltas(victim, "articles")} <= published
        assert (victim.output_dir / "runs" / "latest").resolve().parent == (
            victim.output_dir / "runs"
        ).resolve()
        assert_over(crawl)
    finally:
        clean_ledger(crawl.frontier, ledger)


def test_a_worker_killed_writing_its_run_folder_leaves_nothing_behind(
    crawl: Crawl, site: Site, web: SlowServer, tmp_path: Path
) -> None:
    """Killed before its marker (``folder_written``): its leases go back, its pages are read
    again; the next worker of this host drops its run from the ledger and removes its
    ``.<run-id>.partial`` folder, logged and counted."""
    ledger = f"publish-written-{tmp_path.name}"
    state = f"AGGREGATOR_STATE={ledger}"
    try:
        victim = crawl.start(*SLOW, state, env={"AGGREGATOR_CRASH_AT": "folder_written"})
        other = crawl.start(*SLOW, state)
        assert victim.wait() == CRASH_STATUS, victim.tail()
        assert other.wait() == 0, other.tail()
        partials = list((victim.output_dir / "runs").glob(".*.partial"))
        assert len(partials) == 1, "the victim left no partial run folder"
        wait_dead(crawl, victim)
        late = crawl.start(*SLOW, state)
        assert late.wait() == 0, late.tail()
        assert late.stats["aggregator/state/dead_runs_dropped"] == 1
        assert late.stats["aggregator/state/leftovers_removed"] == 1
        assert not partials[0].exists()
        assert f"Removed {partials[0].name}, left in" in late.log_text
        client = connect(crawl.frontier)
        assert client.hget(f"{ledger_prefix(ledger)}:runs", victim.name) is None
        workers = [victim, other, late]
        assert deltas(victim, "articles") == []
        for feed in ("articles", "teasers"):
            ids = Counter(r["id"] for w in workers for r in deltas(w, feed))
            assert ids and max(ids.values()) == 1, f"{feed} in two deltas"
        # the victim published nothing: its losses were named again by the worker that read
        # its pages
        outcomes = Counter(r["url"] for w in workers for r in deltas(w, "articles"))
        outcomes.update(url for w in (other, late) for url in w.lost_stories)
        assert outcomes == Counter(web.url_for(path) for path in site.story_paths)
        assert_over(crawl)
    finally:
        clean_ledger(crawl.frontier, ledger)
