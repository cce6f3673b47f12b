"""A worker that leases back a request it queued itself reuses the Request it queued (no
rebuild from JSON, Scrapy's fingerprint cache kept); another worker's is rebuilt, equal, and
not fingerprinted again. On a real Valkey, with the scheduler built as ``scrapy crawl issues``
builds it."""

from __future__ import annotations

import itertools
from types import SimpleNamespace
from typing import Any

from scrapy import Request
from scrapy.core.downloader import Downloader
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.settings import BaseSettings
from scrapy.utils.request import fingerprint
from scrapy.utils.test import get_crawler

from aggregator.frontier import serialize
from aggregator.frontier.scheduler import LEASE_ID, FrontierScheduler
from aggregator.spiders.issues import IssuesSpider
from tests.servers.valkey import Valkey

BASE = "https://www.magzter.com/stories/news/The-Paper/STORY-"
_keys = itertools.count(1)
REBUILT = "aggregator/frontier/rebuilt"


def _scheduler(url: str, key: str, worker: str) -> tuple[Any, IssuesSpider]:
    project = BaseSettings()
    project.setmodule("aggregator.settings")
    settings = {name: project[name] for name in project if name != "TWISTED_REACTOR"}
    settings.update(
        {
            "SCHEDULER": "aggregator.frontier.scheduler.FrontierScheduler",
            "AGGREGATOR_FRONTIER": url,
            "AGGREGATOR_FRONTIER_KEY": key,
            "AGGREGATOR_FRONTIER_WORKER": worker,
        }
    )
    crawler = get_crawler(IssuesSpider, settings)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    spider = IssuesSpider.from_crawler(crawler, start_urls="https://www.magzter.com/")
    engine: Any = SimpleNamespace(downloader=Downloader(crawler))
    crawler.engine = engine
    scheduler: Any = FrontierScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


def _requests(spider: IssuesSpider, first: int, count: int) -> list[Request]:
    return [
        Request(
            f"{BASE}{n}",
            callback=spider.parse_page,
            errback=spider.on_error,
            meta={"story": n},
            priority=0,
        )
        for n in range(first, first + count)
    ]


def _queue_and_take(
    maker: Any, spider: IssuesSpider, count: int, taker: Any = None
) -> tuple[list[Request], list[Request]]:
    """``count`` story requests queued by ``maker``, then leased by ``taker`` (``maker``
    itself by default): those made, those taken, in their order."""
    made = _requests(spider, 0, count)
    for request in made:
        assert maker.enqueue_request(request)
    maker._flush()  # (its reactor call would do it, the engine's next turn)
    taker = maker if taker is None else taker
    taken = [taker.next_request() for _ in range(count)]
    assert all(request is not None for request in taken)
    return made, taken


def test_own_request_leased_back_is_the_same_object(valkey: Valkey) -> None:
    key = f"test:own:{next(_keys)}"
    scheduler, spider = _scheduler(valkey.url, key, "one")
    try:
        made, taken = _queue_and_take(scheduler, spider, 5)
        assert [id(request) for request in taken] == [id(request) for request in made]
        assert all(LEASE_ID in request.meta for request in taken)
        assert scheduler.own == {}  # each kept until it is leased back, not after
        assert scheduler.crawler.stats.get_value(REBUILT) is None
        assert scheduler.frontier.status().leased == 5
    finally:
        scheduler.frontier.clear()


def test_another_workers_request_is_rebuilt_equal(valkey: Valkey) -> None:
    key = f"test:own:{next(_keys)}"
    maker, maker_spider = _scheduler(valkey.url, key, "maker")
    taker, taker_spider = _scheduler(valkey.url, key, "taker")
    try:
        made, taken = _queue_and_take(maker, maker_spider, 3, taker)
        for original, rebuilt in zip(made, taken, strict=True):
            assert rebuilt is not original
            assert rebuilt.meta.pop(LEASE_ID)
            assert serialize.dumps(rebuilt, taker_spider) == serialize.dumps(original, maker_spider)
            assert rebuilt.callback == taker_spider.parse_page
        assert taker.own == {}
        assert len(maker.own) == 3  # queued by it, leased elsewhere: kept, bounded
        assert taker.crawler.stats.get_value(REBUILT) == 3
    finally:
        maker.frontier.clear()


def test_another_workers_request_is_not_fingerprinted_on_the_way(
    valkey: Valkey, monkeypatch: Any
) -> None:
    """The worker that leases a request does not fingerprint it (the queue's seen-set did,
    once, for the worker that queued it), nor a retry of it (a retry is not filtered); its
    fingerprint, asked later, is the one the queuing worker had."""
    key = f"test:own:{next(_keys)}"
    maker, maker_spider = _scheduler(valkey.url, key, "maker")
    taker, _ = _scheduler(valkey.url, key, "taker")
    fingerprinter = taker.crawler.request_fingerprinter
    assert fingerprinter is taker.df.fingerprinter
    asked: list[str] = []

    def counted(request: Request) -> bytes:
        asked.append(request.url)
        return fingerprint(request)

    monkeypatch.setattr(fingerprinter, "fingerprint", counted)
    try:
        made, taken = _queue_and_take(maker, maker_spider, 4, taker)
        assert asked == []
        retry = get_retry_request(taken[0], spider=taker.spider, reason="test")
        assert retry is not None and taker.enqueue_request(retry)
        assert taker.next_request() is retry
        assert asked == []
        first = maker.crawler.request_fingerprinter.fingerprint(made[0])
        assert taker.df.key(taken[0])[0] == first
        assert asked == [made[0].url]
    finally:
        maker.frontier.clear()


def test_past_the_bound_requests_are_rebuilt(valkey: Valkey, monkeypatch: Any) -> None:
    from aggregator.frontier import scheduler as module

    monkeypatch.setattr(module, "OWN_KEPT", 2)
    key = f"test:own:{next(_keys)}"
    scheduler, spider = _scheduler(valkey.url, key, "one")
    try:
        made, taken = _queue_and_take(scheduler, spider, 4)
        # the two oldest were let go: rebuilt from their JSON; the last two reused
        assert [a is b for a, b in zip(made, taken, strict=True)] == [False, False, True, True]
        assert [request.url for request in taken] == [request.url for request in made]
        assert scheduler.crawler.stats.get_value(REBUILT) == 2
    finally:
        scheduler.frontier.clear()
