"""``Health``: is the run good enough for a scheduler to trust: the verdict, and only that.

A run is healthy when it finished (finish reason ``finished``, or a cap the user set:
``CLOSESPIDER_ITEMCOUNT``, ``…_PAGECOUNT``, ``…_TIMEOUT``, see ``CAPS``), every start page was read,
it read at least ``AGGREGATOR_HEALTH_MIN_ARTICLES`` articles, and no more stories were lost,
items dropped, ERROR lines logged or pages missing than the ``AGGREGATOR_HEALTH_MAX_*``
settings allow (``-1``: no limit). A page the site answers 404/410 for is missing, not lost.

A run is publishable when it finished, read its start pages and at least the minimum of
articles: lost stories and all (they are named, and the run is unhealthy). A run that read
none of it (a typo in a start URL, an empty dump) must not empty good feeds.

When the engine has stopped, the extension judges the run and sends ``run_judged`` with the
verdict; the publish extension (``aggregator.extensions.publish``) then publishes (or drops)
the feeds and writes the verdict and the summary line into the stats with ``record_verdict``:
``aggregator/health/verdict`` (``healthy`` / ``unhealthy``), ``aggregator/health/reasons``,
``aggregator/published/articles`` and ``…/teasers``, and ``aggregator/health/summary``.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.misc import load_object

from aggregator.items import Article, Teaser
from aggregator.pipelines.manager import CountingPipelineManager
from aggregator.utils.signals import run_judged

logger = logging.getLogger(__name__)

HEALTHY = "healthy"
UNHEALTHY = "unhealthy"

#: Finish reasons of a run stopped at a cap the user set on purpose (Scrapy's CloseSpider):
#: it ends as planned, publishes what it read, and the stories it did not reach are not lost.
CAPS = frozenset({"closespider_itemcount", "closespider_pagecount", "closespider_timeout"})


def ended_as_planned(reason: str | None) -> bool:
    """Whether a finish reason is the end of the run: the crawl ran out, or met its cap."""
    return reason == "finished" or reason in CAPS


@dataclass(frozen=True)
class Limits:
    min_articles: int = 1
    max_lost: int = 0
    max_dropped: int = 0
    max_errors: int = 0
    max_missing: int = -1
    max_lost_pages: int = 0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Limits:
        return cls(
            min_articles=settings.getint("AGGREGATOR_HEALTH_MIN_ARTICLES", 1),
            max_lost=settings.getint("AGGREGATOR_HEALTH_MAX_LOST", 0),
            max_dropped=settings.getint("AGGREGATOR_HEALTH_MAX_DROPPED", 0),
            max_errors=settings.getint("AGGREGATOR_HEALTH_MAX_ERRORS", 0),
            max_missing=settings.getint("AGGREGATOR_HEALTH_MAX_MISSING", -1),
            max_lost_pages=settings.getint("AGGREGATOR_HEALTH_MAX_LOST_PAGES", 0),
        )


@dataclass
class Verdict:
    reasons: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.reasons


def judge(stats: dict[str, Any], reason: str | None, articles: int, limits: Limits) -> Verdict:
    """The run's health from its closing stats."""
    verdict = Verdict()
    if not ended_as_planned(reason):
        verdict.reasons.append(f"finish reason {reason or 'unknown'}")
    if stats.get("aggregator/start/failed", 0):
        verdict.reasons.append(f"{stats['aggregator/start/failed']} start page(s) not read")
    if stats.get("aggregator/frontier/leases_lost"):
        verdict.reasons.append("taken for dead by the frontier: its pages are read elsewhere")
    if stats.get("aggregator/dumps/empty"):  # the dumps spider's reason why it read nothing
        verdict.reasons.append(str(stats["aggregator/dumps/empty"]))
    if articles < limits.min_articles:
        verdict.reasons.append(f"{articles} article(s) read (at least {limits.min_articles})")
    lost = _by_reason(stats, "aggregator/lost/")
    counted = (
        ("stories lost", sum(lost.values()), limits.max_lost),
        ("pages not read", _total(stats, "aggregator/lost_pages/"), limits.max_lost_pages),
        ("items dropped", _total(stats, "aggregator/dropped/"), limits.max_dropped),
        ("ERROR log lines", stats.get("log_count/ERROR", 0), limits.max_errors),
        ("missing pages", stats.get("aggregator/fetch/missing", 0), limits.max_missing),
    )
    for what, count, limit in counted:
        if limit >= 0 and count > limit:
            verdict.reasons.append(f"{count} {what} (at most {limit})")
    return verdict


def _by_reason(stats: dict[str, Any], prefix: str) -> Counter[str]:
    return Counter(
        {key.removeprefix(prefix): value for key, value in stats.items() if key.startswith(prefix)}
    )


def _total(stats: dict[str, Any], prefix: str) -> int:
    return sum(_by_reason(stats, prefix).values())


def record_verdict(
    stats: StatsCollector,
    verdict: Verdict,
    outcome: str,
    publishable: bool,
    articles: int,
    teasers: int,
) -> str:
    """The run's verdict and summary line into the stats; the summary."""
    lost = _by_reason(stats.get_stats(), "aggregator/lost/")
    lost_text = ", ".join(f"{k} {v}" for k, v in sorted(lost.items()))
    summary = (
        f"aggregator: {HEALTHY if verdict.healthy else UNHEALTHY.upper()}: {outcome}; "
        f"{sum(lost.values())} stories lost{f' ({lost_text})' if lost_text else ''}"
    )
    not_reached = stats.get_value("aggregator/stories/not_reached", 0)
    if not_reached:
        summary += f"; {not_reached} stories scheduled, not reached (not lost)"
    pages = _by_reason(stats.get_stats(), "aggregator/lost_pages/")
    if pages:
        pages_text = ", ".join(f"{k} {v}" for k, v in sorted(pages.items()))
        summary += f"; {sum(pages.values())} other pages not read ({pages_text})"
    if not verdict.healthy:
        summary += f"; because: {'; '.join(verdict.reasons)}"
    stats.set_value("aggregator/health/verdict", HEALTHY if verdict.healthy else UNHEALTHY)
    stats.set_value("aggregator/health/reasons", verdict.reasons)
    stats.set_value("aggregator/published/articles", articles if publishable else 0)
    stats.set_value("aggregator/published/teasers", teasers if publishable else 0)
    stats.set_value("aggregator/health/summary", summary)
    return summary


class Health:
    def __init__(self, crawler: Crawler, limits: Limits) -> None:
        self.crawler = crawler
        self.limits = limits
        self.reason: str | None = None
        self.items: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Health:
        if not crawler.settings.getbool("AGGREGATOR_HEALTH_ENABLED", True):
            # scrapy parse / fetch / shell / view: they read pages and publish nothing (no
            # message: Scrapy would log one as a WARNING on every such command)
            raise NotConfigured
        extension = cls(crawler, Limits.from_settings(crawler.settings))
        if not issubclass(load_object(crawler.settings["ITEM_PROCESSOR"]), CountingPipelineManager):
            # another item processor: the items are counted as item_scraped tells them (a
            # receiver of it costs an asyncio task an item; ours counts them at no such cost)
            crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if isinstance(item, Article):
            self.items["articles"] += 1
        elif isinstance(item, Teaser):
            self.items["teasers"] += 1

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.reason = reason

    def _scraped(self) -> Counter[str]:
        """The articles and teasers scraped: counted by the project's item processor
        (``aggregator.pipelines.manager``), else by ``item_scraped``."""
        engine = self.crawler.engine
        itemproc = engine.scraper.itemproc if engine is not None else None
        if isinstance(itemproc, CountingPipelineManager):
            return itemproc.scraped
        return self.items

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        # an incremental run resumed after a stop does not read its done story pages again
        resumed = stats.get_value("aggregator/state/resumed_pages", 0)
        # ... nor the stories a published run read and that are not due or answered 304
        unchanged = stats.get_value("aggregator/state/skipped/story", 0) + stats.get_value(
            "aggregator/state/skipped/not_modified", 0
        )
        scraped = self._scraped()
        articles_read = scraped["articles"] + resumed + unchanged
        shared = bool(self.crawler.settings.get("AGGREGATOR_FRONTIER"))
        # a worker of a shared crawl (aggregator.frontier) reads a share of it: its own count
        # of articles says nothing of the crawl's
        limits = replace(self.limits, min_articles=0) if shared else self.limits
        verdict = judge(stats.get_stats(), self.reason, articles_read, limits)
        publishable = ended_as_planned(self.reason) and not (
            stats.get_value("aggregator/start/failed", 0) or articles_read < limits.min_articles
        )
        if shared:
            # a worker's leases are done only once its share is published, whatever it is;
            # one taken for dead publishes nothing (its pages are read again elsewhere)
            publishable = self.reason == "finished" and not stats.get_value(
                "aggregator/frontier/leases_lost", 0
            )
        self.crawler.signals.send_catch_log(
            signal=run_judged,
            verdict=verdict,
            publishable=publishable,
            finish_reason=self.reason,
            articles=scraped["articles"],
            teasers=scraped["teasers"],
        )
