"""``scrapy frontier status|push|clear``: the shared frontier of ``AGGREGATOR_FRONTIER``.

- ``status``: requests queued and leased, the workers (busy or idle), and the crawl-wide
  counts: requests queued in all, done (published), given back, taken from dead workers,
  articles and teasers published, stories and pages lost.
- ``push URL …``: the spider's start requests for these URLs (its own ``start()``, so they
  are what a first worker would queue), unless the crawl has seen them; workers started
  after take them.
- ``clear``: deletes every key of the crawl (queue, leases, seen-set, counts): the next
  worker starts a new crawl.
- ``settle``: settles the publishing markers of workers killed while publishing
  (``aggregator.frontier.publishing``) whose files this host sees: run it on the host where
  such a worker wrote (``status`` names them). ``--roll-back WORKER``: that dead worker's
  marker rolled back, whatever its files say (its host is lost): nothing of its run is
  published, its leases go back to the queue, and its folder, should its host come back, is
  set aside there by the first worker that starts.

``--spider`` (default ``issues``) names the crawl, with ``AGGREGATOR_FRONTIER_KEY``. Exit
status 0, or 2 with one line: no ``AGGREGATOR_FRONTIER``, a server that does not answer, a
bad URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.commands import ScrapyCommand
from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.misc import build_from_crawler, load_object

from aggregator.frontier import serialize
from aggregator.frontier.connection import FrontierUnavailable, Keys, connect
from aggregator.frontier.leases import Frontier, Status
from aggregator.frontier.publishing import DONE, UNSEEN, Publishing
from aggregator.spiders.arguments import argument_error

ACTIONS = ("status", "push", "clear", "settle")
COUNTS = (
    ("queued", "queued in all"),
    ("done", "done"),
    ("released", "given back"),
    ("reclaimed", "taken from dead workers"),
    ("articles", "articles published"),
    ("teasers", "teasers published"),
    ("stories_lost", "stories lost"),
    ("pages_lost", "other pages not read"),
)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "status | push URL [URL ...] | clear | settle [--roll-back WORKER]"

    def short_desc(self) -> str:
        return "Show, feed or reset the shared frontier (AGGREGATOR_FRONTIER)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--spider", default="issues", help="the crawl's spider (issues)")
        parser.add_argument(
            "--roll-back",
            metavar="WORKER",
            help="settle: roll back this dead worker's publishing (its host is lost)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        problem = self._problem(args)
        url = self.settings.get("AGGREGATOR_FRONTIER")
        if problem is None and not url:
            problem = "no frontier: set -s AGGREGATOR_FRONTIER=redis://host:port/db"
        frontier: Frontier | None = None
        if problem is None:
            try:
                client = connect(str(url))
                frontier = Frontier(client, Keys.of(self.settings, opts.spider), "", 0)
            except FrontierUnavailable as error:
                problem = str(error)
        if problem is not None or frontier is None:
            print(f"scrapy frontier: {problem}", file=sys.stderr)
            self.exitcode = 2
            return
        action = args[0]
        if action == "status":
            marked = Publishing(frontier).marked()
            print(describe(frontier.status(), frontier.keys.prefix, marked))
        elif action == "settle":
            self.exitcode = self._settle(frontier, opts.roll_back)
        elif action == "clear":
            print(f"cleared {frontier.keys.prefix}: {frontier.clear()} keys deleted")
        else:
            self.exitcode = self._push(frontier, opts.spider, args[1:])

    def _problem(self, args: list[str]) -> str | None:
        if not args or args[0] not in ACTIONS:
            return f"say one of {', '.join(ACTIONS)}"
        if args[0] == "push" and len(args) < 2:
            return "push: give the URLs to start from"
        if args[0] != "push" and len(args) > 1:
            return f"{args[0]} takes no arguments"
        return None

    def _settle(self, frontier: Frontier, roll_back: str | None) -> int:
        publishing = Publishing(frontier, self.settings)
        marked = publishing.marked()
        if roll_back is not None and roll_back not in marked:
            print(
                f"scrapy frontier: --roll-back {roll_back}: no dead worker of that name holds "
                "a publishing marker (see scrapy frontier status)",
                file=sys.stderr,
            )
            return 2
        for worker, text in sorted(marked.items()):
            if roll_back is not None and worker != roll_back:
                continue
            found, count = publishing.settle(worker, text, roll_back=roll_back is not None)
            if found == UNSEEN:
                print(f"worker {worker}: {where(text)}: not seen from here, left")
            elif count < 0:
                print(f"worker {worker}: settled by another worker first")
            elif found == DONE:
                print(f"worker {worker}: published, {count} leases done")
            else:
                print(f"worker {worker}: rolled back, {count} leases back in the queue")
        if not marked:
            print("no worker was killed while publishing")
        return 0

    def _push(self, frontier: Frontier, spider_name: str, urls: list[str]) -> int:
        assert self.settings is not None
        try:
            spidercls = get_spider_loader(self.settings).load(spider_name)
        except KeyError:
            print(f"scrapy frontier: no spider {spider_name!r}", file=sys.stderr)
            return 2
        kwargs = {"start_urls": ",".join(urls)}
        problem = argument_error(spidercls, self.settings, kwargs)
        if problem:
            print(f"scrapy frontier: {problem}", file=sys.stderr)
            return 2
        spider, requests = start_requests(spidercls, self.settings, kwargs)
        fingerprinter = spider.crawler.request_fingerprinter
        queued = 0
        for request in requests:
            text = serialize.dumps(request, spider)
            fingerprint = fingerprinter.fingerprint(request)
            queued += frontier.push(fingerprint, "", text, request.priority, check=True) == 1
        print(f"queued {queued} of {len(requests)} start requests ({len(requests) - queued} seen)")
        return 0


def start_requests(
    spidercls: type[Spider], settings: Any, kwargs: dict[str, str]
) -> tuple[Spider, list[Request]]:
    """The spider's ``start()`` requests, from a crawler that is never started (its stats
    and fingerprinter made as Scrapy makes them)."""
    crawler = Crawler(spidercls, settings)
    crawler.stats = load_object(crawler.settings["STATS_CLASS"])(crawler)
    crawler.request_fingerprinter = build_from_crawler(
        load_object(crawler.settings["REQUEST_FINGERPRINTER_CLASS"]), crawler
    )
    spider = spidercls.from_crawler(crawler, **kwargs)

    async def collect() -> list[Request]:
        return [r async for r in spider.start() if isinstance(r, Request)]

    return spider, asyncio.run(collect())


def where(text: bytes | str) -> str:
    """Where a publishing marker's files are: its host, and its run folder or first feed."""
    data = json.loads(text)
    run = data.get("run")
    if run:
        return f"run {run['id']} on host {data.get('host')} in {run['runs_dir']}"
    feeds = data.get("feeds") or [["", "?"]]
    return f"feeds on host {data.get('host')} in {Path(feeds[0][1]).parent}"


def describe(status: Status, prefix: str, marked: dict[str, bytes] | None = None) -> str:
    marked = marked or {}
    lines = [
        f"frontier {prefix}: {status.queued} queued, {status.leased} leased, "
        f"{len(status.workers)} workers"
    ]
    for name, state in sorted(status.workers.items()):
        if name in marked:
            state = (
                f"killed while publishing ({where(marked[name])}): its leases wait; run "
                f"`scrapy frontier settle` on that host, or `scrapy frontier settle "
                f"--roll-back {name}` if it is lost"
            )
        lines.append(f"  worker {name}: {state}")
    lines += [f"  {status.counts.get(key, 0)} {label}" for key, label in COUNTS]
    return "\n".join(lines)
