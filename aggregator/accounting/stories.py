"""Every story the crawl set out to read ends as read or as a named loss.

A story is "set out to read" when a request for its URL is scheduled (after the spider
middlewares, so a story page a resumed run skips is not one). From then on it is keyed by
the URL first requested: retries and redirects keep that key. It ends in one of:

- read: its page gave an article (the spider says so);
- lost, with a reason: ``aggregator/lost/<key>`` in the stats and one WARNING line naming
  the URL and what happened. Reasons come from the errback (``aggregator.accounting.reasons``),
  from a page that is no story page (a challenge page, unreadable markup), from an exception in
  the callback, or from the scheduler dropping a redirect back to a page already requested (a
  redirect loop). A story still open when the spider closes is lost as ``unaccounted``.

A crawl stopped before it ran out (a cap such as ``CLOSESPIDER_ITEMCOUNT``, or Ctrl-C) leaves
stories scheduled and not read: they are not lost (nothing went wrong with them, and a
resumed incremental run reads them) but *not reached*, counted in
``aggregator/stories/not_reached`` and in one line, not one line each.

Pages that are not story pages (catalog, archives, issues) do not count as stories, but one
not read hides the stories it lists: it is named the same way under
``aggregator/lost_pages/<key>``, and the run's health counts it.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.spiders import Spider
from twisted.python.failure import Failure

from aggregator import frontier
from aggregator.accounting.reasons import Loss, redirect_loop
from aggregator.site.urls import is_story_url
from aggregator.utils.compact import TextSet

logger = logging.getLogger(__name__)


def first_url(request: Request) -> str:
    """The URL a request was first made for, before redirects."""
    chain = request.meta.get("redirect_urls")
    return str(chain[0]) if chain else request.url


def is_story(request: Request) -> bool:
    return is_story_url(first_url(request))


class StoryAccounting:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler  # its stats exist once the crawl starts
        self.open: set[str] = set()
        self.settled = (
            TextSet()
        )  # every story of the crawl: 8 bytes each (aggregator.utils.compact)
        crawler.signals.connect(self._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(self._dropped, signal=signals.request_dropped)
        crawler.signals.connect(self._spider_error, signal=signals.spider_error)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        # a shared frontier (aggregator.frontier): a story handed to it is the outcome of the
        # worker that leases it, which then counts it as set out to read
        crawler.signals.connect(self._handed_over, signal=frontier.request_handed_over)
        crawler.signals.connect(self._leased, signal=frontier.request_leased)

    # -- outcomes -----------------------------------------------------------------------

    def read(self, request: Request) -> None:
        """The story's page gave an article."""
        self.settle(request)

    def settle(self, request: Request) -> None:
        """The story has an outcome named elsewhere (a missing page is counted as such)."""
        key = first_url(request)
        self.open.discard(key)
        self.settled.add(key)

    def start_failed(self) -> None:
        """A start page (or a dump's, a corpus file's whole input) could not be read: the run
        cannot stand for what it was asked to read (unhealthy, nothing published)."""
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("aggregator/start/failed")

    def lose(self, request: Request, loss: Loss) -> None:
        """Name the loss of ``request``'s story, or of the page when it is not a story."""
        key = first_url(request)
        stats = self.crawler.stats
        assert stats is not None
        if not is_story(request):
            stats.inc_value(f"aggregator/lost_pages/{loss.key}")
            logger.warning("Page not read: %s (%s)", key, loss.detail)
            return
        via = request.url if request.url != key else ""
        self.lose_story(key, loss, f" via {via}" * bool(via))

    def lose_story(self, url: str, loss: Loss, where: str = "") -> bool:
        """Name the loss of the story at ``url`` (a request's first URL, or a story a corpus
        file holds but that cannot be read), unless it has an outcome already: the first one
        stands. ``where``: what the WARNING adds (" via URL", " at FILE line N")."""
        if url in self.settled:
            return False
        stats = self.crawler.stats
        assert stats is not None
        self.open.discard(url)
        self.settled.add(url)
        stats.inc_value(f"aggregator/lost/{loss.key}")
        logger.warning("Story lost: %s (%s)%s", url, loss.detail, where)
        return True

    # -- signals ------------------------------------------------------------------------

    def _scheduled(self, request: Request, spider: Spider) -> None:
        key = first_url(request)
        if key not in self.settled and is_story(request):
            self.open.add(key)

    def _handed_over(self, requests: list[Request]) -> None:
        for request in requests:
            self.open.discard(first_url(request))

    def _leased(self, requests: list[Request]) -> None:
        for request in requests:
            key = first_url(request)
            if key not in self.settled and is_story(request):
                self.open.add(key)

    def _dropped(self, request: Request, spider: Spider) -> None:
        """The scheduler refused a request it saw before: only a redirect's matters."""
        chain: list[str] = request.meta.get("redirect_urls") or []
        if not chain:
            return  # the same link found twice: the first request stands for it
        hops = " → ".join([*chain, request.url])
        if request.url in chain:
            self.lose(request, redirect_loop(chain, request.url))
        else:
            self.lose(
                request,
                Loss("redirect_duplicate", f"redirected to a page already requested: {hops}"),
            )

    def _spider_error(self, failure: Failure, response: Response, spider: Spider) -> None:
        error = failure.value
        self.lose(
            response.request if response.request is not None else Request(response.url),
            Loss("parse_error", f"page not readable: {type(error).__name__}: {error}"),
        )

    def _closed(self, spider: Spider, reason: str) -> None:
        if reason == "finished":
            loss = Loss("unaccounted", "no outcome when the crawl finished")
            for key in sorted(self.open):
                self.lose(Request(key), loss)
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("aggregator/stories/not_reached", len(self.open))
        if self.open:
            logger.info(
                "%d stories scheduled were not reached: the crawl stopped (%s) before them",
                len(self.open),
                reason,
            )
        self.open.clear()
