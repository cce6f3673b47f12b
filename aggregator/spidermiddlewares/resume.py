"""``ResumeMiddleware`` (on with ``AGGREGATOR_STATE``): a resumed incremental run does not fetch
again the story pages a stopped run already read, and a story page is marked done once every
item it gave is staged or dropped. The run (``aggregator.state.run.StateRun``) reaches it with
the ``state_opened`` signal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy.http import Request, Response

from aggregator.site.urls import parse_story_url
from aggregator.state.component import StateSpiderMiddleware


class ResumeMiddleware(StateSpiderMiddleware):
    """Story pages a stopped run already read are not fetched again; a story page is done
    once every item it gave is staged or dropped."""

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
