"""The ceilings: minimal Scrapy spiders with none of our code in their way.

    scrapy crawl bare -s SPIDER_MODULES=benchmarks.bare -a start_url=URL -s BENCH_STATS_FILE=F
    scrapy crawl bare_dumps -s SPIDER_MODULES=benchmarks.bare -a path=FILE.jsonl -s FEEDS=...

``bare`` fetches every page of a mirror and yields nothing: the same Scrapy, the same project
settings and the same loopback concurrency as ``scrapy crawl issues`` (its ``LOCAL_OVERRIDES``),
but none of our pipelines, feeds or extensions. It follows every link to an ``.html`` page on
the start URL's host: the same pages the issues spider reads. ``bare_dumps`` is the same for
``scrapy crawl dumps``. Both write the crawl's stats (and the effective concurrency settings)
as JSON to ``BENCH_STATS_FILE`` when they close.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response

from aggregator.spiders.issues import LOCAL_OVERRIDES
from benchmarks.process import BENCH_STATS_SETTING

REPORTED_SETTINGS = (
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "AUTOTHROTTLE_ENABLED",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "LOG_LEVEL",
    "TWISTED_REACTOR",
)


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings: dict[str, Any] | None = {  # noqa: RUF012 (Scrapy reads it from the class)
        **LOCAL_OVERRIDES,  # exactly what the issues spider sets for a loopback start
        "ITEM_PIPELINES": {},
        "FEEDS": {},
        "EXTENSIONS": {},  # the project's; Scrapy's own (core stats, log stats…) stay on
    }

    def __init__(self, start_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc

    async def start(self) -> AsyncIterator[Request]:
        yield Request(self.start_url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Request]:
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            parts = urlsplit(url)
            if parts.netloc == self.host and parts.path.endswith(".html"):
                yield Request(url, callback=self.parse)

    def closed(self, reason: str) -> None:
        _write_stats(self, reason)


class BareDumpsSpider(scrapy.Spider):
    """The ceiling of ``scrapy crawl dumps``: reads the same JSON Lines file and sends
    ``items_per_record`` plain items per record through Scrapy to one JSON Lines feed, with no
    page reading and no pipelines. Writes its stats to ``BENCH_STATS_FILE``."""

    name = "bare_dumps"
    custom_settings: dict[str, Any] | None = {  # noqa: RUF012 (Scrapy reads it from the class)
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
    }

    def __init__(self, path: str = "", items_per_record: str = "2", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = Path(path)
        self.items_per_record = int(items_per_record)

    async def start(self) -> AsyncIterator[dict[str, Any]]:
        with self.path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                record = json.loads(line)
                for part in range(self.items_per_record):
                    yield {"id": f"{number}-{part}", "url": record["url"], "text": record["text"]}

    def closed(self, reason: str) -> None:
        _write_stats(self, reason)


def _write_stats(spider: scrapy.Spider, reason: str) -> None:
    target = spider.settings.get(BENCH_STATS_SETTING)
    if not target:
        return
    assert spider.crawler.stats is not None
    stats: dict[str, Any] = dict(spider.crawler.stats.get_stats())
    start = stats.get("start_time")
    if isinstance(start, datetime):
        stats["elapsed_time_seconds"] = (datetime.now(UTC) - start).total_seconds()
    stats["finish_reason"] = reason
    stats["settings"] = {name: spider.settings.get(name) for name in REPORTED_SETTINGS}
    Path(target).write_text(
        json.dumps(stats, default=lambda v: v.isoformat() if isinstance(v, datetime) else str(v))
    )
