"""The checked redirect middlewares, hop by hop, with Scrapy's own middleware code around
them: a loop, a hop off the crawl's site and a chain too long are each a named loss
(``PageLost``, which reaches the errback), for HTTP and meta-refresh redirects alike; a hop
that stays on the site is Scrapy's redirect as ever."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from aggregator.accounting.reasons import PageLost
from aggregator.downloadermiddlewares.redirect import (
    CheckedMetaRefreshMiddleware,
    CheckedRedirectMiddleware,
)
from aggregator.site.scope import Scope
from aggregator.utils.signals import crawl_scope

Middleware = TypeVar("Middleware", CheckedRedirectMiddleware, CheckedMetaRefreshMiddleware)

SITE = "https://www.magzter.com"
A = f"{SITE}/stories/food/Brunch/A"
B = f"{SITE}/stories/food/Brunch/B"
C = f"{SITE}/stories/food/Brunch/C"


class Spider_(Spider):
    name = "redirects"


def crawler_for(**settings: Any) -> Crawler:
    return get_crawler(Spider_, settings_dict=settings)


def built(cls: type[Middleware], start: str = A, **settings: Any) -> Middleware:
    """The middleware as Scrapy builds it, told the crawl's site as the issues spider tells
    it when it opens (``crawl_scope``)."""
    crawler = crawler_for(**settings)
    middleware = cls.from_crawler(crawler)
    crawler.signals.send_catch_log(crawl_scope, scope=Scope.from_start_urls([start]))
    return middleware


def moved(request: Request, location: str, status: int = 301) -> Response:
    return Response(request.url, status=status, headers={"Location": location}, request=request)


def refresh(request: Request, location: str) -> HtmlResponse:
    body = f'<html><head><meta http-equiv="refresh" content="0;url={location}"></head></html>'
    return HtmlResponse(request.url, body=body.encode(), request=request)


def follow(middleware: CheckedRedirectMiddleware, request: Request, location: str) -> Request:
    followed = middleware.process_response(request, moved(request, location))
    assert isinstance(followed, Request)
    return followed


@pytest.fixture
def redirects() -> CheckedRedirectMiddleware:
    return built(CheckedRedirectMiddleware)


def test_a_hop_on_the_site_is_followed(redirects: CheckedRedirectMiddleware) -> None:
    first = Request(A)
    followed = follow(redirects, first, "/stories/food/Brunch/B")
    assert followed.url == B
    assert followed.meta["redirect_urls"] == [A]
    assert followed.meta["redirect_times"] == 1
    # checked here: Scrapy's offsite filter must not drop it afterwards
    assert followed.meta["allow_offsite"] is True
    # the site's bare domain is the same site (www.x.com -> x.com)
    bare = follow(redirects, followed, "https://magzter.com/stories/food/Brunch/C")
    assert bare.meta["redirect_urls"] == [A, B]


def test_without_a_scope_no_hop_is_off_site() -> None:
    """A crawler whose spider tells no scope (the dumps spider, ``scrapy fetch``)."""
    redirects = CheckedRedirectMiddleware.from_crawler(crawler_for())
    followed = follow(redirects, Request(A), "http://other.host/login")
    assert followed.url == "http://other.host/login"


def test_a_response_that_is_no_redirect_passes(redirects: CheckedRedirectMiddleware) -> None:
    request = Request(A)
    response = Response(A, status=200, request=request)
    assert redirects.process_response(request, response) is response


def test_a_loop_is_named_with_its_hops(redirects: CheckedRedirectMiddleware) -> None:
    second = follow(redirects, Request(A), B)
    with pytest.raises(PageLost) as lost:
        redirects.process_response(second, moved(second, A, status=302))
    assert lost.value.loss.key == "redirect_loop"
    assert lost.value.loss.detail == f"redirect loop: {A} → {B} → {A}"
    # a page redirecting to itself is the shortest loop
    with pytest.raises(PageLost, match=f"redirect loop: {A} → {A}$"):
        redirects.process_response(Request(A), moved(Request(A), A))


def test_a_hop_off_the_site_is_not_taken(redirects: CheckedRedirectMiddleware) -> None:
    with pytest.raises(PageLost) as lost:
        redirects.process_response(Request(A), moved(Request(A), "http://other.host/login"))
    assert lost.value.loss.key == "redirect_offsite"
    assert lost.value.loss.detail == (
        f"redirect off-site to other.host: {A} → http://other.host/login"
    )


def test_a_file_mirror_may_not_redirect_to_the_web(tmp_path: Path) -> None:
    start = (tmp_path / "site" / "stories" / "food" / "Brunch" / "A.html").as_uri()
    redirects = built(CheckedRedirectMiddleware, start)
    request = Request("http://127.0.0.1:1/stories/food/Brunch/A")
    with pytest.raises(PageLost, match=re.escape("redirect off-site to 127.0.0.2:")):
        redirects.process_response(request, moved(request, "http://127.0.0.2/x"))


def test_too_many_hops_are_a_chain() -> None:
    redirects = built(CheckedRedirectMiddleware, REDIRECT_MAX_TIMES=2)
    request = follow(redirects, Request(A), B)
    request = follow(redirects, request, C)
    with pytest.raises(PageLost) as lost:
        redirects.process_response(request, moved(request, f"{SITE}/stories/food/Brunch/D"))
    assert lost.value.loss.key == "redirect_chain"
    assert lost.value.loss.detail == (
        f"more than 2 redirects: {A} → {B} → {C} → {SITE}/stories/food/Brunch/D"
    )


def test_meta_refresh_hops_are_checked_the_same_way() -> None:
    refreshes = built(CheckedMetaRefreshMiddleware)
    followed = refreshes.process_response(Request(A), refresh(Request(A), B))
    assert isinstance(followed, Request) and followed.url == B
    assert followed.meta["redirect_urls"] == [A] and followed.meta["allow_offsite"] is True
    with pytest.raises(PageLost) as loop:
        refreshes.process_response(followed, refresh(followed, A))
    assert loop.value.loss.detail == f"redirect loop: {A} → {B} → {A}"
    with pytest.raises(PageLost) as offsite:
        refreshes.process_response(Request(A), refresh(Request(A), "https://evil.example/"))
    assert offsite.value.loss.key == "redirect_offsite"
