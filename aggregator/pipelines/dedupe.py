"""Keep the first item of each id: one article per canonical story (the same story under
several locales is one article), one teaser per distinct card (the same card shows on the
issue page and on every story page of the issue). Repeats are counted, not logged one by one.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        kind = type(item).__name__.lower()
        key = (kind, str(ItemAdapter(item).get("id")))
        if key in self.seen:
            self.stats.inc_value(f"aggregator/dedupe/{kind}_repeats")
            raise DropItem(f"repeat of {kind} {key[1]}", log_level="DEBUG")
        self.seen.add(key)
        return item
