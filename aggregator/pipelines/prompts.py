"""Prompt stage (placeholder until the cleaning issue lands): passes items through."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler


class PromptPipeline:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PromptPipeline:
        return cls()

    def process_item(self, item: Any) -> Any:
        return item
