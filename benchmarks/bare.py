"""The ceilings: minimal Scrapy spiders with none of our code in their way.

    scrapy crawl bare -s SPIDER_MODULES=benchmarks.bare -a start_url=URL -s BENCH_STATS_FILE=F
    scrapy crawl bare_items -s SPIDER_MODULES=benchmarks.bare -a start_url=URL -a items=DIR
    scrapy crawl bare_dumps -s SPIDER_MODULES=benchmarks.bare -a path=FILE.jsonl -s FEEDS=...

``bare`` makes exactly the requests of ``scrapy crawl issues`` and yields nothing: the same
Scrapy, the same project settings and the same loopback concurrency (the issues spider's
``LOCAL_OVERRIDES``), but none of our pipelines, feeds, extensions or spider middlewares. Its
link rules are the issues spider's, read with compiled selectors from the one parse of each
page: the catalog's publication links, an archive page's issue links and its next page, an
issue's story cards and its previous issue, nothing from a story page (whose cards the issues
spider does not follow). ``bare_items`` is ``bare`` plus the items a full crawl exported
(``articles.jsonl`` and ``teasers.jsonl`` of ``-a items=DIR``), each yielded by the page it
came from, through the project's two feeds: what Scrapy's item path alone costs for our
output. ``bare_dumps`` is the ceiling of ``scrapy crawl dumps``. All write the crawl's stats
(and the effective settings) as JSON to ``BENCH_STATS_FILE`` when they close.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from lxml import etree
from parsel.csstranslator import css2xpath
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from aggregator.feeds.storage import move_into_place
from aggregator.items import Article, Teaser
from aggregator.pages.page_type import body_class
from aggregator.spiders.issues import LOCAL_OVERRIDES
from aggregator.utils.signals import feed_stored
from benchmarks.process import BENCH_STATS_SETTING

REPORTED_SETTINGS = (
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "AUTOTHROTTLE_ENABLED",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "LOG_LEVEL",
    "LOG_FORMATTER",
    "TWISTED_REACTOR",
)


def _links(*css: str) -> etree.XPath:
    """The ``href`` of every element the CSS selectors select, in document order."""
    return etree.XPath(" | ".join(f"{css2xpath(c)}/@href" for c in css))


# The issues spider's link rules (aggregator.pages: CatalogPage, PublicationPage, IssuePage)
# by the page's body class (read as the issues spider reads it: from html's body child, no
# walk of the page); story pages yield no request.
LINK_RULES = {
    "catalog-page": _links("ul.magazine-list a.magazine-link"),
    "magazine-page": _links("ul.issue-list a.issue-link", "nav.pagination a[rel~=next]"),
    "issue-page": _links(
        "section.issue-toc li.story-card a.card-link", "nav.issue-nav a[rel~=prev]"
    ),
}

# None of the project's code on the way: no pipelines, extensions or spider middlewares.
_BARE_SETTINGS: dict[str, Any] = {
    **LOCAL_OVERRIDES,  # exactly what the issues spider sets for a loopback start
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},  # the project's; Scrapy's own (core stats, log stats…) stay on
    "SPIDER_MIDDLEWARES": {},
    "DUPEFILTER_CLASS": "scrapy.dupefilters.RFPDupeFilter",  # Scrapy's, not the project's
}


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings: dict[str, Any] | None = {  # noqa: RUF012 (Scrapy reads it from the class)
        **_BARE_SETTINGS,
        "FEEDS": {},
    }

    def __init__(self, start_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url

    async def start(self) -> AsyncIterator[Request]:
        yield Request(self.start_url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        root = response.selector.root  # type: ignore[attr-defined]
        for cls in (body_class(root) or "").split():
            rule = LINK_RULES.get(cls)
            if rule is not None:
                for href in rule(root):
                    yield Request(response.urljoin(str(href)).split("#", 1)[0], self.parse)
                return

    def closed(self, reason: str) -> None:
        _write_stats(self, reason)


class BareItemsSpider(BareSpider):
    """``bare`` plus the items of a full crawl (``-a items=DIR``: its ``articles.jsonl`` and
    ``teasers.jsonl``), read before the crawl starts and yielded by the page that gave them,
    through the project's two feeds (``OUTPUT_DIR``)."""

    name = "bare_items"
    custom_settings: dict[str, Any] | None = _BARE_SETTINGS  # the crawl command adds the feeds

    def __init__(self, start_url: str = "", items: str = "", **kwargs: Any) -> None:
        super().__init__(start_url, **kwargs)
        self.items: dict[str, list[Article | Teaser]] = defaultdict(list)
        self.stored: list[tuple[Path, Path]] = []  # the feeds stored, published at the end
        folder = Path(items)
        for name, kind, page in (("articles", Article, "url"), ("teasers", Teaser, "source_url")):
            with (folder / f"{name}.jsonl").open(encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    self.items[record[page]].append(kind(**record))

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> BareItemsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # the project's feeds are published by its Publish extension, which is off here
        crawler.signals.connect(spider.feed_stored, signal=feed_stored)
        crawler.signals.connect(spider.publish_feeds, signal=signals.engine_stopped)
        return spider

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from super().parse(response)
        yield from self.items.get(response.url, ())

    def feed_stored(self, partial: Path, final: Path) -> None:
        self.stored.append((partial, final))

    def publish_feeds(self) -> None:
        assert self.crawler.stats is not None
        finished = self.crawler.stats.get_value("finish_reason") == "finished"
        move_into_place(self.stored, publish=finished)


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
