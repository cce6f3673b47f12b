"""A spider for tests/tools/test_scrapy_tools.py only (``-s SPIDER_MODULES=tests.tools.spiders``):
the issues spider's story callback with a contract its sample cannot keep, to show that
``scrapy check`` fails and names the empty field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import TextResponse

from aggregator.spiders.issues import IssuesSpider


class BrokenContractSpider(IssuesSpider):
    name = "broken_contract"

    def parse_story(self, response: TextResponse) -> Iterator[Any]:
        """A page of the generic layout: no JSON-LD, so no publisher is printed.

        @sample stories/newspaper/The-Independent/THE-LAST-LIGHTHOUSE-KEEPERS.html
        @fills article title publisher
        """
        return super().parse_story(response)
