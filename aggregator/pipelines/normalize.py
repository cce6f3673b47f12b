"""First stage: Unicode and whitespace, so every later stage sees one form of text.

NFC; NBSP and other spaces become a plain space; invisible characters go; U+2028, U+2029
and U+0085 become line breaks (a JSON Lines reader splitting on ``str.splitlines()`` must
never break a record); paragraphs are one line each, separated by exactly one blank line.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from aggregator.utils.item_fields import ItemFields
from aggregator.utils.text import normalize_block, normalize_inline

BLOCK_FIELDS = ("body",)
INLINE_FIELDS = (
    "title",
    "standfirst",
    "summary",
    "publication",
    "issue_label",
    "category",
)


class NormalizePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemFields(item)
        changed = False
        for name in BLOCK_FIELDS:
            value = adapter.get(name)
            if isinstance(value, str):
                clean = normalize_block(value)
                if clean != value:
                    changed = True
                    adapter[name] = clean
        for name in INLINE_FIELDS:
            value = adapter.get(name)
            if isinstance(value, str):
                # (a field already in form is not set again: most are)
                clean = normalize_inline(value)
                if clean != value:
                    changed = True
                    adapter[name] = clean or None
                elif not clean:
                    adapter[name] = None  # an empty field is no field
        if "authors" in adapter:
            authors = [normalize_inline(a) for a in adapter.get("authors") or []]
            adapter["authors"] = [a for a in dict.fromkeys(authors) if a]
        if changed:
            self.stats.inc_value("aggregator/normalize/changed")
        return item
