"""Keep the first article of each id: one article per canonical story (the same story under
several locales is one article, the first one crawled). Repeats are counted under
``aggregator/dedupe/article_repeats``, not logged one by one.

Teaser repeats (the same card on its issue page and on every story page of the issue) are
dropped earlier, in one place:
``aggregator.spidermiddlewares.repeats.RepeatTeasersMiddleware``, at the spider's output (requests'
callbacks and ``start()`` alike), before they cost an item path.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article
from aggregator.utils.compact import TextSet


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen = TextSet()  # 8 bytes an id, for the whole crawl (aggregator.utils.compact)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if item.id in self.seen:
            self.stats.inc_value("aggregator/dedupe/article_repeats")
            raise DropItem(f"repeat of article {item.id}", log_level="DEBUG")
        self.seen.add(item.id)
        return item
