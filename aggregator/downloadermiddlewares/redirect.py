"""Redirects that lose a page say so: a loop, a hop off the crawl's site, too many hops.

Scrapy follows a redirect by scheduling a new request. A redirect back to a page already
requested is then dropped by the duplicate filter, and one to another host by the offsite
filter, both without calling the errback: the story simply vanished. These subclasses of
Scrapy's two redirect middlewares check each hop before it is scheduled and raise
``PageLost`` (an ``IgnoreRequest``, which reaches the errback) with the reason and the chain.

Both override ``_redirect``, the one method where Scrapy's status and meta-refresh
redirects meet, so the rule is written once for both.
"""

from __future__ import annotations

from typing import Self
from urllib.parse import urlsplit

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import (
    BaseRedirectMiddleware,
    MetaRefreshMiddleware,
    RedirectMiddleware,
)
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from aggregator.accounting.reasons import PageLost, redirect_loop
from aggregator.site.scope import Scope
from aggregator.utils.signals import crawl_scope


class _CheckedHops(BaseRedirectMiddleware):
    scope: Scope | None = None  # the crawl's site (crawl_scope); none: no off-site check

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.crawl_scope, signal=crawl_scope)
        return middleware

    def crawl_scope(self, scope: Scope) -> None:
        self.scope = scope

    def _redirect(self, redirected: Request, request: Request, reason: object) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        hops = " → ".join([*chain, redirected.url])
        if redirected.url in chain:
            raise PageLost.of(redirect_loop(chain, redirected.url))
        if self.scope is not None and not self.scope.same_site(redirected.url):
            where = urlsplit(redirected.url).hostname or redirected.url
            raise PageLost("redirect_offsite", f"redirect off-site to {where}: {hops}")
        try:
            followed: Request = super()._redirect(redirected, request, reason)
        except IgnoreRequest:
            raise PageLost(
                "redirect_chain", f"more than {self.max_redirect_times} redirects: {hops}"
            ) from None
        # checked here against the crawl's site: Scrapy's offsite filter would drop a hop to
        # the site's bare domain (www.x.com -> x.com) without a word
        followed.meta["allow_offsite"] = True
        return followed


class CheckedRedirectMiddleware(_CheckedHops, RedirectMiddleware):
    pass


class CheckedMetaRefreshMiddleware(_CheckedHops, MetaRefreshMiddleware):
    pass
