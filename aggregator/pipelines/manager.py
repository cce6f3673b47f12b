"""``CountingPipelineManager`` (``ITEM_PROCESSOR``): Scrapy's item pipeline manager, which also
counts the articles and teasers that come out of the pipelines.

Scrapy sends ``item_scraped`` for exactly the items its item processor returns, and the
health extension needs how many of each type there were. A receiver of ``item_scraped`` costs
an asyncio task an item (Scrapy gathers the receivers of an async signal, one task each), a
visible share of an item's path (BENCHMARKS.md, "Issue 25, fifth pass (items30"); here,
where every scraped item passes anyway, the count is a ``Counter``'s. The health extension
reads ``scraped`` when the engine has stopped (``aggregator.extensions.health``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scrapy.pipelines import ItemPipelineManager

from aggregator.items import Article, Teaser


class CountingPipelineManager(ItemPipelineManager):
    def __init__(self, *middlewares: Any, **kwargs: Any) -> None:
        super().__init__(*middlewares, **kwargs)
        # "articles" and "teasers" out of the pipelines: the items item_scraped is sent for
        self.scraped: Counter[str] = Counter()

    async def process_item_async(self, item: Any) -> Any:
        output = await super().process_item_async(item)  # DropItem and errors: not counted
        if isinstance(output, Article):
            self.scraped["articles"] += 1
        elif isinstance(output, Teaser):
            self.scraped["teasers"] += 1
        return output
