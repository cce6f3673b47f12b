"""``SharedItemIds`` (a spider middleware, on with ``AGGREGATOR_FRONTIER``): an article or
teaser id is published by one worker of a shared crawl, as by the one process of a crawl alone.

The same teaser card is on story pages that other workers read, and the same story under
another locale: each id the spider yields is claimed in the server (``Frontier.claim``), and
one another worker claimed is dropped here, counted under ``aggregator/frontier/repeats``.
It sits before this process's own repeat filters (``RepeatTeasersMiddleware``, then
``DedupePipeline``), so that they remember only ids this worker publishes. A claim lasts as
long as its worker's leases: when they are given back (the worker died, or stopped
unfinished), each of its ids waits for the page that gave it (the leased request, named in
``request.meta``), read again by another worker, so that the same page's version of it is
published (a story page's copy of a card has no issue date). No id goes unpublished, none is
published twice.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from aggregator.frontier.connection import Keys, connect, worker_name
from aggregator.frontier.leases import Frontier
from aggregator.frontier.scheduler import LEASE_ID
from aggregator.items import Article, Teaser


class SharedItemIds(BaseSpiderMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        url = settings.get("AGGREGATOR_FRONTIER")
        if not url:
            raise NotConfigured
        assert crawler.spidercls is not None and crawler.stats is not None
        self.stats = crawler.stats
        # lease time 0: this view only claims; the scheduler keeps the worker alive
        self.frontier = Frontier(
            connect(str(url)), Keys.of(settings, crawler.spidercls.name), worker_name(settings), 0
        )

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        if not isinstance(item, Article | Teaser):
            return item
        request = response.request if response is not None else None
        lease = str(request.meta.get(LEASE_ID, "")) if request is not None else ""
        if not self.frontier.claim(item.id, lease):
            self.stats.inc_value("aggregator/frontier/repeats")
            return None
        return item
