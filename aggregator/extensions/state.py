"""``StateExtension``: the incremental run of ``-s AGGREGATOR_STATE=PATH`` (off without it;
with ``AGGREGATOR_FRONTIER``, ``AGGREGATOR_STATE=NAME`` is a ledger shared by the workers:
``aggregator.state.backend``).

It opens the run (``aggregator.state.run.StateRun``: a new one, or the one a stop left to
resume) when the crawler is made, so that a state file that cannot be opened stops the crawl
before any request; announces it with ``state_opened`` when the spider opens (the resume
middleware and the publish extension keep it); and stages every item that comes out of the
pipelines. At the start, what dead runs left is cleaned up, logged and counted: in this run's
runs folder (``StateRun.leftovers``), and with a shared ledger the runs of dead workers of this
host (``SharedLedger.clean_up_here``): stats keys ``aggregator/state/leftovers_removed`` and
``aggregator/state/dead_runs_dropped``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from aggregator.feeds.names import output_dir
from aggregator.items import Article, Teaser
from aggregator.state.backend import open_ledger
from aggregator.state.freshness import DEFAULT_REFRESH_DAYS, Freshness
from aggregator.state.run import StateRun
from aggregator.state.shared_ledger import SharedLedger
from aggregator.utils.signals import state_opened

logger = logging.getLogger(__name__)


class StateExtension:
    def __init__(self, crawler: Crawler, run: StateRun) -> None:
        self.crawler = crawler
        self.run = run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateExtension:
        path = crawler.settings.get("AGGREGATOR_STATE")
        if not path:
            raise NotConfigured
        assert crawler.spidercls is not None
        ledger = open_ledger(crawler.settings, crawler.spidercls.name)
        run = StateRun(ledger, Path(output_dir(crawler.settings)) / "runs")
        run.freshness = Freshness(
            run.ledger,
            run.run_id,
            refresh_days=crawler.settings.getfloat(
                "AGGREGATOR_STATE_REFRESH_DAYS", DEFAULT_REFRESH_DAYS
            ),
            refresh_all=crawler.settings.get("AGGREGATOR_STATE_REFRESH") == "all",
        )
        assert crawler.stats is not None
        crawler.stats.set_value("aggregator/state/run_id", run.run_id)
        removed = list(run.leftovers)
        if isinstance(ledger, SharedLedger):  # other workers of this host, dead, many workers
            dropped, cleaned = ledger.clean_up_here()
            removed += cleaned
            if dropped:
                crawler.stats.set_value("aggregator/state/dead_runs_dropped", len(dropped))
        if removed:
            crawler.stats.set_value("aggregator/state/leftovers_removed", len(removed))
        logger.info(
            "%s run %s (state %s)", "Resuming" if run.resumed else "Starting", run.run_id, path
        )
        extension = cls(crawler, run)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_left, signal=signals.item_dropped)
        crawler.signals.connect(extension.item_left, signal=signals.item_error)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.crawler.signals.send_catch_log(signal=state_opened, run=self.run)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, Article | Teaser):
            self.run.stage(item)

    def item_left(self, item: Any, spider: Spider) -> None:
        self.run.release(item)
