"""``StateComponent``: what every component of an incremental run shares (on with
``AGGREGATOR_STATE``, off without it): the run (``aggregator.state.run.StateRun``) reaches it
with the ``state_opened`` signal, and a spider middleware's async output is its sync output."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from aggregator.state.freshness import Freshness
from aggregator.state.run import StateRun
from aggregator.utils.signals import state_opened


class StateComponent:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run: StateRun | None = None
        self.freshness: Freshness | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("AGGREGATOR_STATE"):
            raise NotConfigured
        component = cls(crawler)
        crawler.signals.connect(component.state_opened, signal=state_opened)
        return component

    def state_opened(self, run: StateRun) -> None:
        self.run = run
        self.freshness = run.freshness


class StateSpiderMiddleware(StateComponent):
    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from result

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        elements = [element async for element in result]
        for element in self.process_spider_output(response, elements):
            yield element
