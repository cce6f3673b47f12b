"""``RepeatTeasersMiddleware``: the one place where repeat teaser cards are dropped.

The same card is printed on its issue page and on every story page of the issue (and in
every dump record of those pages): about seven of every nine teasers the spiders yield are
such repeats. Scrapy's item path costs much per item before any pipeline runs, so
repeats are dropped here, at the spider's output (callbacks' output and ``start()``'s items
alike), and counted under ``aggregator/dedupe/teaser_repeats``. A teaser's id comes from
the page classes, never from cleaning, so the decision needs nothing the pipelines add.
Article repeats (one story under several locales) are the dedupe stage's.

Better still, a repeat is not built at all: when the spider opens, the middleware sends its
``is_repeat`` with the ``repeat_check_ready`` signal; the spiders keep it and pass it to the
page classes; they ask it with the id a card's link gives, before reading
the card's texts (``aggregator.pages.cards.read_cards``). ``is_repeat`` counts the repeats it
recognises, so the stat is the same whichever of the two places drops a card.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from aggregator.items import Teaser
from aggregator.utils.batched_stats import BatchedCounts
from aggregator.utils.compact import TextSet
from aggregator.utils.signals import repeat_check_ready

BATCH = 200


class RepeatTeasersMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.seen = TextSet()  # 8 bytes an id, for the whole crawl (aggregator.utils.compact)
        # added to the stats in batches: a stats call per repeat (seven a story page) was a
        # visible share of a dump crawl
        self.repeats = BatchedCounts(self.stats, every=BATCH)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.flush, signal=signals.spider_closed)

    def spider_opened(self, spider: Spider) -> None:
        self.crawler.signals.send_catch_log(signal=repeat_check_ready, check=self.is_repeat)

    def is_repeat(self, teaser_id: str) -> bool:
        """Whether a teaser of this id passed already (counted as a repeat when it did)."""
        if teaser_id in self.seen:
            self.repeats.inc("aggregator/dedupe/teaser_repeats")
            return True
        return False

    def flush(self) -> None:
        """The repeats counted so far into ``aggregator/dedupe/teaser_repeats`` (at most
        ``BATCH`` behind while the crawl runs, exact once the spider closes)."""
        self.repeats.flush()

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        if not isinstance(item, Teaser):
            return item
        if self.is_repeat(item.id):
            return None
        self.seen.add(item.id)
        return item
