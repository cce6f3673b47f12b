"""Last gate, after dedupe: drop an item that lacks what its consumers need.

Articles need ``url`` and a non-empty ``body`` (after cleaning); teasers need ``title``
and ``source_url``. Every drop is counted under ``aggregator/dropped/<reason>``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article, Teaser
from aggregator.utils.item_fields import ItemFields

logger = logging.getLogger(__name__)

REQUIRED: dict[type, tuple[str, ...]] = {
    Article: ("id", "url", "body"),
    Teaser: ("id", "title", "source_url"),
}


class ValidatePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemFields(item)
        kind = type(item).__name__.lower()
        for name in REQUIRED.get(type(item), ()):
            value = adapter.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                reason = f"{kind}_empty_{name}" if name == "body" else f"{kind}_missing_{name}"
                self.stats.inc_value(f"aggregator/dropped/{reason}")
                url = adapter.get("url") or adapter.get("source_url")
                raise DropItem(f"{kind} from {url} dropped: {reason}")
        return item
