"""Incremental runs: ``-s AGGREGATOR_STATE=PATH``.

Each finished run publishes only what is new or changed since the last published run, as one
folder ``OUTPUT_DIR/runs/<run-id>/`` (``articles.jsonl``, ``teasers.jsonl``, ``stats.json``),
which appears whole or not at all; ``OUTPUT_DIR/runs/latest`` links the newest. A stopped run
(``kill -9`` included) is resumed by the same command: the story pages whose items it staged
are not fetched again, navigation pages are (new issues are always found).

- ``StateRun`` (in ``_runs``): the crawler's run: the ledger (``aggregator.state.ledger``), its id,
  the story pages done, and the pages whose items are still on their way to the feeds.
- ``IncrementalExtension``: opens (or resumes) the run when the crawler is made, stages every
  item that comes out of the pipelines.
- ``ResumeMiddleware`` (spider middleware): drops requests for story pages already done, and
  marks a story page done once all its items are staged (or dropped).
- ``finish``: called by ``aggregator.extensions.health.Health`` when the engine has stopped.

``AGGREGATOR_CRASH_AT=<point>`` (tests only) makes the process ``os._exit(70)`` at a point of
the commit order: ``staged:<N>``, ``folder_written``, ``folder_renamed``, ``latest_updated``,
``published``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from aggregator.items import Article, Teaser
from aggregator.site.urls import parse_story_url
from aggregator.state.ledger import Ledger
from aggregator.utils.compact import TextSet

logger = logging.getLogger(__name__)

CRASH_STATUS = 70
FEED_NAMES = {"article": "articles.jsonl", "teaser": "teasers.jsonl"}


def crash_point(name: str, count: int | None = None) -> None:
    """``os._exit`` here when ``AGGREGATOR_CRASH_AT`` names this point (tests only)."""
    wanted = os.environ.get("AGGREGATOR_CRASH_AT")
    if not wanted:
        return
    point, _, number = wanted.partition(":")
    if point == name and (count is None or (number.isdigit() and int(number) == count)):
        logging.shutdown()
        os._exit(CRASH_STATUS)


class StateRun:
    def __init__(self, ledger: Ledger, runs_dir: Path) -> None:
        self.ledger = ledger
        self.runs_dir = runs_dir
        self._recover()
        self.run_id, self.resumed = ledger.open_run()
        # the story pages done, read at a resume and added to as pages finish: 8 bytes each
        self.done = TextSet(ledger.done_pages(self.run_id))
        self.pending: Counter[str] = Counter()  # story page -> items (and its output) pending
        self.owner: dict[int, str] = {}  # id(item) -> the story page it came from
        self.counts: Counter[str] = Counter()
        self.staged_items = 0

    def _recover(self) -> None:
        """Finish, or roll back, a publication that a crash interrupted."""
        run_id = self.ledger.publishing_run()
        if run_id is None:
            return
        if (self.runs_dir / run_id).is_dir():
            _point_latest(self.runs_dir, run_id)
            self.ledger.mark_published(run_id)
            logger.info("Finished publishing run %s, which a stop interrupted", run_id)
        else:
            shutil.rmtree(self.runs_dir / f".{run_id}.partial", ignore_errors=True)
            self.ledger.reopen(run_id)
            logger.info("Run %s was stopped while publishing: resuming it", run_id)

    # -- items ----------------------------------------------------------------------------

    def stage(self, item: Any) -> None:
        kind = "article" if isinstance(item, Article) else "teaser"
        change = self.ledger.stage(self.run_id, kind, ItemAdapter(item).asdict())
        self.counts[change] += 1
        self.staged_items += 1
        crash_point("staged", self.staged_items)
        self.release(item)

    def track(self, url: str, items: Iterable[Any]) -> Iterator[Any]:
        """Pass a story page's output on, remembering which items are its."""
        self.pending[url] += 1  # the output itself, until it has all been read
        try:
            for element in items:
                if isinstance(element, Article | Teaser):
                    self.pending[url] += 1
                    self.owner[id(element)] = url
                yield element
        finally:
            self._settle(url)

    def release(self, item: Any) -> None:
        url = self.owner.pop(id(item), None)
        if url is not None:
            self._settle(url)

    def _settle(self, url: str) -> None:
        self.pending[url] -= 1
        if self.pending[url] <= 0:
            del self.pending[url]
            self.ledger.page_done(self.run_id, url)
            self.done.add(url)

    # -- publishing -----------------------------------------------------------------------

    def publish(self, stats: dict[str, Any]) -> Path:
        """Write the run folder, move it into place, link it, mark its items published."""
        self.ledger.begin_publishing(self.run_id)
        partial = self.runs_dir / f".{self.run_id}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for kind, name in FEED_NAMES.items():
            with (partial / name).open("w", encoding="utf-8") as feed:
                for record in self.ledger.staged(self.run_id, kind):
                    feed.write(record + "\n")
                feed.flush()
                os.fsync(feed.fileno())
        with (partial / "stats.json").open("w", encoding="utf-8") as out:
            json.dump(stats, out, default=str, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        crash_point("folder_written")
        final = self.runs_dir / self.run_id
        os.replace(partial, final)
        _fsync(self.runs_dir)
        crash_point("folder_renamed")
        _point_latest(self.runs_dir, self.run_id)
        crash_point("latest_updated")
        self.ledger.mark_published(self.run_id)
        crash_point("published")
        return final


def _point_latest(runs_dir: Path, run_id: str) -> None:
    """``runs/latest`` -> ``<run_id>``, replaced atomically."""
    temporary = runs_dir / f".latest-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(run_id)
    os.replace(temporary, runs_dir / "latest")
    _fsync(runs_dir)


def _fsync(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_runs: WeakKeyDictionary[Crawler, StateRun] = WeakKeyDictionary()


def current(crawler: Crawler) -> StateRun | None:
    return _runs.get(crawler)


class IncrementalExtension:
    def __init__(self, run: StateRun) -> None:
        self.run = run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalExtension:
        path = crawler.settings.get("AGGREGATOR_STATE")
        if not path:
            raise NotConfigured
        output_dir = Path(str(crawler.settings.get("OUTPUT_DIR") or "output"))
        run = StateRun(Ledger(Path(path)), output_dir / "runs")
        _runs[crawler] = run
        assert crawler.stats is not None
        crawler.stats.set_value("aggregator/state/run_id", run.run_id)
        logger.info(
            "%s run %s (state %s)", "Resuming" if run.resumed else "Starting", run.run_id, path
        )
        extension = cls(run)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_left, signal=signals.item_dropped)
        crawler.signals.connect(extension.item_left, signal=signals.item_error)
        return extension

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, Article | Teaser):
            self.run.stage(item)

    def item_left(self, item: Any, spider: Spider) -> None:
        self.run.release(item)


class ResumeMiddleware:
    """Story pages a stopped run already read are not fetched again; a story page is done
    once every item it gave is staged or dropped."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeMiddleware:
        if not crawler.settings.get("AGGREGATOR_STATE"):
            raise NotConfigured
        return cls(crawler)

    def _keep(self, element: Any) -> bool:
        run = current(self.crawler)
        if run is None or not isinstance(element, Request) or element.url not in run.done:
            return True
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/state/resumed_pages")
        return False

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for element in start:
            if self._keep(element):
                yield element

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        run = current(self.crawler)
        story = run is not None and parse_story_url(response.url) is not None
        stream = run.track(response.url, result) if run is not None and story else result
        for element in stream:
            if self._keep(element):
                yield element

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        elements = [element async for element in result]
        for element in self.process_spider_output(response, elements):
            yield element


def finish(crawler: Crawler, publish: bool, stats: dict[str, Any]) -> Path | None:
    """The run folder of a publishable run, or None (the run stays open for a resume)."""
    run = _runs.pop(crawler, None)
    if run is None:
        return None
    try:
        return run.publish(stats) if publish else None
    finally:
        run.ledger.close()
