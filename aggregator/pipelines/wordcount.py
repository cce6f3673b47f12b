"""Measure stage: an article's ``word_count``, from its final body.

It runs after every stage that changes text (normalize, prompts) and before validate, so the
count is taken once, on the body that is exported. Page classes leave it unset.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from aggregator.items import Article
from aggregator.utils.text import word_count


class WordCountPipeline:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WordCountPipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            item.word_count = word_count(item.body)
        return item
