"""``StoryAccounting``: every story scheduled ends read or lost under one named reason, driven
through the crawler's real signals (``request_scheduled``, ``request_dropped``,
``spider_error``, ``spider_closed``) as Scrapy's engine sends them."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse, Request
from scrapy.statscollectors import StatsCollector
from twisted.python.failure import Failure

from aggregator.accounting.reasons import Loss
from aggregator.accounting.stories import StoryAccounting, first_url, is_story
from tests.support.crawlers import open_crawler

STORY = "https://www.magzter.com/stories/newspaper/The-Independent/KIM-EXPECTS-LEVERAGE"
OTHER_STORY = "https://www.magzter.com/nb/stories/food/Brunch/SMALL-PLATES-BIG-AMBITIONS"
ISSUE = (
    "https://www.magzter.com/GB/Independent-Digital-News-and-Media/The-Independent/Newspaper/1234"
)


class Spider_(Spider):
    name = "accounting"


SPIDER = Spider_()


@pytest.fixture
def crawler() -> Crawler:
    """A crawler without Scrapy's extensions: the accounting alone hears its signals (the
    extensions would need a running crawl)."""
    return open_crawler(EXTENSIONS_BASE={})


@pytest.fixture
def accounting(crawler: Crawler) -> StoryAccounting:
    return StoryAccounting(crawler)


def stats_of(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats


def lost(crawler: Crawler) -> dict[str, object]:
    """The ``aggregator/lost…`` stats, the whole of what the accounting wrote."""
    return {k: v for k, v in stats_of(crawler).get_stats().items() if k.startswith("aggregator/")}


def schedule(crawler: Crawler, request: Request) -> None:
    crawler.signals.send_catch_log(signals.request_scheduled, request=request, spider=SPIDER)


def close(crawler: Crawler, reason: str) -> None:
    crawler.signals.send_catch_log(signals.spider_closed, spider=SPIDER, reason=reason)


def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the accounting logged (Scrapy's own extensions log beside it)."""
    return [r for r in caplog.records if r.name == "aggregator.accounting.stories"]


def redirected(chain: list[str], url: str) -> Request:
    """The request Scrapy's redirect middleware makes for the hop ``chain[-1]`` -> ``url``."""
    return Request(url, meta={"redirect_urls": chain})


def test_story_urls_are_told_by_their_path() -> None:
    assert is_story(Request(STORY)) and is_story(Request(OTHER_STORY))
    assert not is_story(Request(ISSUE))
    # a redirect keeps its story: the key is the URL first asked for
    hop = redirected([STORY], "https://www.magzter.com/login")
    assert first_url(hop) == STORY and is_story(hop)


def test_a_story_read_is_no_loss(crawler: Crawler, accounting: StoryAccounting) -> None:
    schedule(crawler, Request(STORY))
    assert accounting.open == {STORY}
    accounting.read(Request(STORY))
    close(crawler, "finished")
    assert accounting.open == set() and STORY in accounting.settled
    assert lost(crawler) == {}


def test_a_story_open_at_the_end_is_unaccounted(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    schedule(crawler, Request(STORY))
    schedule(crawler, Request(ISSUE))  # not a story: never open
    with caplog.at_level(logging.WARNING):
        close(crawler, "finished")
    assert lost(crawler) == {"aggregator/lost/unaccounted": 1}
    assert [r.getMessage() for r in warnings(caplog)] == [
        f"Story lost: {STORY} (no outcome when the crawl finished)"
    ]


def test_a_story_open_when_the_crawl_stopped_is_not_reached_not_lost(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    schedule(crawler, Request(OTHER_STORY))
    schedule(crawler, Request(STORY))
    with caplog.at_level(logging.INFO):
        close(crawler, "shutdown")
    # counted in one line, not one WARNING a story (issue 23)
    assert lost(crawler) == {"aggregator/stories/not_reached": 2}
    assert [r.getMessage() for r in warnings(caplog)] == [
        "2 stories scheduled were not reached: the crawl stopped (shutdown) before them"
    ]


def test_one_outcome_per_story_the_first_stands(
    crawler: Crawler, accounting: StoryAccounting
) -> None:
    schedule(crawler, Request(STORY))
    accounting.lose(Request(STORY), Loss("timeout", "timeout: no answer"))
    accounting.lose(Request(STORY), Loss("http_503", "HTTP 503"))
    accounting.read(Request(OTHER_STORY))
    accounting.lose(Request(OTHER_STORY), Loss("http_503", "HTTP 503"))  # read first
    schedule(crawler, Request(STORY))  # a settled story scheduled again is not reopened
    close(crawler, "finished")
    assert lost(crawler) == {"aggregator/lost/timeout": 1}


def test_a_lost_redirect_names_the_story_and_the_hop(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    hop = redirected([STORY], "https://www.magzter.com/login")
    schedule(crawler, Request(STORY))
    with caplog.at_level(logging.WARNING):
        accounting.lose(hop, Loss("http_500", "HTTP 500 Internal Server Error"))
    assert lost(crawler) == {"aggregator/lost/http_500": 1}
    assert warnings(caplog)[0].getMessage() == (
        f"Story lost: {STORY} (HTTP 500 Internal Server Error) via https://www.magzter.com/login"
    )
    assert accounting.open == set()


def test_a_page_that_is_no_story_is_a_lost_page_every_time(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        accounting.lose(Request(ISSUE), Loss("http_503", "HTTP 503 after 6 attempts"))
        accounting.lose(Request(ISSUE + "/2"), Loss("http_503", "HTTP 503 after 6 attempts"))
    assert lost(crawler) == {"aggregator/lost_pages/http_503": 2}
    assert warnings(caplog)[0].getMessage() == f"Page not read: {ISSUE} (HTTP 503 after 6 attempts)"


def test_a_redirect_dropped_by_the_scheduler_is_a_loop_or_a_duplicate(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    schedule(crawler, Request(STORY))
    schedule(crawler, Request(OTHER_STORY))
    elsewhere = "https://www.magzter.com/stories/food/Brunch/ELSEWHERE"
    with caplog.at_level(logging.WARNING):
        for request in (
            Request(STORY),  # the same link found twice: not a loss
            redirected([STORY, elsewhere], STORY),
            redirected([OTHER_STORY], elsewhere),
        ):
            crawler.signals.send_catch_log(signals.request_dropped, request=request, spider=SPIDER)
    assert lost(crawler) == {
        "aggregator/lost/redirect_loop": 1,
        "aggregator/lost/redirect_duplicate": 1,
    }
    assert [r.getMessage() for r in warnings(caplog)] == [
        f"Story lost: {STORY} (redirect loop: {STORY} → {elsewhere} → {STORY})",
        f"Story lost: {OTHER_STORY} (redirected to a page already requested: "
        f"{OTHER_STORY} → {elsewhere}) via {elsewhere}",
    ]


def test_an_exception_in_the_callback_is_a_parse_error(
    crawler: Crawler, accounting: StoryAccounting, caplog: pytest.LogCaptureFixture
) -> None:
    request = Request(STORY)
    schedule(crawler, request)
    response = HtmlResponse(STORY, body=b"<html></html>", request=request)
    try:
        raise ValueError("no headline")
    except ValueError:
        failure = Failure()  # type: ignore[no-untyped-call]  # the exception being handled
    with caplog.at_level(logging.WARNING):
        crawler.signals.send_catch_log(
            signals.spider_error, failure=failure, response=response, spider=SPIDER
        )
    assert lost(crawler) == {"aggregator/lost/parse_error": 1}
    assert warnings(caplog)[0].getMessage() == (
        f"Story lost: {STORY} (page not readable: ValueError: no headline)"
    )
    close(crawler, "finished")
    assert lost(crawler) == {"aggregator/lost/parse_error": 1}  # settled: not unaccounted
