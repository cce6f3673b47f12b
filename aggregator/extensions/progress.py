"""``Progress``: how far a run is, while it lasts.

Every ``AGGREGATOR_PROGRESS_INTERVAL`` seconds (10) a line in the log: pages read, items out
of the pipelines, stories lost, the page rate since the last line. On a terminal (stderr is
a TTY and the log goes there) one live line (tqdm) stands instead of the stream of log lines:
the console shows WARNING and above while it runs, Scrapy's notice that the crawl is stopping
(Ctrl-C: "Received SIGINT, shutting down gracefully"), and the summary when it ends. Off with
``AGGREGATOR_PROGRESS_INTERVAL = 0``.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils import log as scrapy_log
from tqdm import tqdm
from twisted.internet import task

logger = logging.getLogger(__name__)


class Progress:
    def __init__(self, crawler: Crawler, interval: float, live: bool) -> None:
        self.crawler = crawler
        self.interval = interval
        self.live = live
        self.bar: tqdm[Any] | None = None
        self.loop: task.LoopingCall | None = None
        self.last = (time.monotonic(), 0)
        self.console: logging.Handler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("AGGREGATOR_PROGRESS_INTERVAL", 10.0)
        if interval <= 0:
            raise NotConfigured
        live = (
            _terminal_width() > 0
            and not crawler.settings.get("LOG_FILE")
            and crawler.settings.getbool("LOG_ENABLED", True)
        )
        extension = cls(crawler, interval, live)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def counts(self) -> tuple[int, int, int]:
        """(pages read, items out of the pipelines, stories lost)."""
        stats = self.crawler.stats
        assert stats is not None
        values = stats.get_stats()
        lost = sum(v for k, v in values.items() if k.startswith("aggregator/lost/"))
        pages = values.get("response_received_count", 0) or values.get(
            "aggregator/dumps/records", 0
        )
        return pages, values.get("item_scraped_count", 0), lost

    def engine_started(self) -> None:
        if self.live:
            self.console = scrapy_log._scrapy_root_handler
            if self.console is not None:  # the stream of log lines gives way to one line
                self.console.addFilter(self.shown)
            self.bar = tqdm(file=sys.stderr, unit=" pages", dynamic_ncols=True, leave=False)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(1.0 if self.live else self.interval, now=False)

    def shown(self, record: logging.LogRecord) -> bool:
        """Whether the console shows a log line while the live line stands: WARNING and
        above, and Scrapy's notice that the crawl is stopping; the live line is cleared
        first, so that the line is not drawn over."""
        stopping = record.name == "scrapy.crawler" and "shutting down" in str(record.msg)
        if record.levelno < logging.WARNING and not stopping:
            return False
        if self.bar is not None:
            self.bar.clear()
        return True

    def tick(self) -> None:
        pages, items, lost = self.counts()
        now = time.monotonic()
        then, pages_then = self.last
        rate = (pages - pages_then) / (now - then) * 60 if now > then else 0.0
        if self.bar is not None:
            self.bar.update(pages - self.bar.n)
            self.bar.set_postfix_str(f"{items} items, {lost} stories lost", refresh=True)
            if now - then < self.interval:
                return  # the log line keeps its own pace
        self.last = (now, pages)
        logger.info(
            "Progress: %d pages (%.0f/min), %d items, %d stories lost", pages, rate, items, lost
        )

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.bar is not None:
            self.bar.close()
        if self.console is not None:
            self.console.removeFilter(self.shown)  # the summary is shown


def _terminal_width() -> int:
    """The width of the terminal stderr is, 0 when it is none (or has no size to draw in)."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else 0
    except (OSError, ValueError):
        return 0
