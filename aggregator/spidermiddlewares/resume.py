"""``ResumeMiddleware`` (on with ``AGGREGATOR_STATE``): a resumed incremental run does not fetch
again the story pages a stopped run already read, and a story page is marked done once every
item it gave is staged or dropped. The run (``aggregator.state.run.StateRun``) reaches it with
the ``state_opened`` signal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from aggregator.site.urls import parse_story_url
from aggregator.state.run import StateRun
from aggregator.utils.signals import state_opened


class ResumeMiddleware:
    """Story pages a stopped run already read are not fetched again; a story page is done
    once every item it gave is staged or dropped."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run: StateRun | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeMiddleware:
        if not crawler.settings.get("AGGREGATOR_STATE"):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.state_opened, signal=state_opened)
        return middleware

    def state_opened(self, run: StateRun) -> None:
        self.run = run

    def _keep(self, element: Any) -> bool:
        run = self.run
        if run is None or not isinstance(element, Request) or element.url not in run.done:
            return True
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/state/resumed_pages")
        return False

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for element in start:
            if self._keep(element):
                yield element

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        run = self.run
        story = run is not None and parse_story_url(response.url) is not None
        stream = run.track(response.url, result) if run is not None and story else result
        for element in stream:
            if self._keep(element):
                yield element

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        elements = [element async for element in result]
        for element in self.process_spider_output(response, elements):
            yield element
