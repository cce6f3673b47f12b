"""``SharedDupeFilter``: the crawl-wide seen-set, in the frontier's server.

A request is seen when its fingerprint, from Scrapy's own request fingerprinter
(``REQUEST_FINGERPRINTER_CLASS``, ``crawler.request_fingerprinter``), is in the server's
``seen`` hash: the same requests are repeats as in a single process, whichever worker found
them. A redirect's target is kept with the first URL of its chain (``origin``): the same
chain followed again, by the worker that took over a dead one's leases, is not a redirect to
a page already requested. ``FrontierScheduler`` asks ``key`` and looks the fingerprint up in
the same script that queues the request (one round trip); ``request_seen`` is the filter on
its own, for a scheduler of another kind.
"""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.dupefilters import BaseDupeFilter
from scrapy.http import Request
from scrapy.utils.request import RequestFingerprinterProtocol

from aggregator.frontier.leases import Frontier

logger = logging.getLogger(__name__)


def origin(request: Request) -> str:
    """The first URL of a redirect chain, or "" for a request that was not redirected."""
    chain = request.meta.get("redirect_urls")
    return str(chain[0]) if chain else ""


class SharedDupeFilter(BaseDupeFilter):
    def __init__(
        self, frontier: Frontier, fingerprinter: RequestFingerprinterProtocol, crawler: Crawler
    ) -> None:
        self.frontier = frontier
        self.fingerprinter = fingerprinter
        self.crawler = crawler
        self.debug = crawler.settings.getbool("DUPEFILTER_DEBUG")
        self._logged = False

    @classmethod
    def from_frontier(cls, crawler: Crawler, frontier: Frontier) -> SharedDupeFilter:
        assert crawler.request_fingerprinter is not None
        return cls(frontier, crawler.request_fingerprinter, crawler)

    def key(self, request: Request) -> tuple[bytes, str]:
        return self.fingerprinter.fingerprint(request), origin(request)

    def request_seen(self, request: Request) -> bool:
        fingerprint, first = self.key(request)
        return self.frontier.push(fingerprint, first, "", request.priority, check=True) == 0

    def log(self, request: Request, spider: Spider) -> None:
        """Scrapy's record of a filtered request: the stat, and a DEBUG line (every one with
        ``DUPEFILTER_DEBUG``, else the first)."""
        if self.debug or not self._logged:
            logger.debug("Filtered duplicate request: %s (crawl-wide)", request)
            self._logged = True
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("dupefilter/filtered")
