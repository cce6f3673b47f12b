"""Articles and teasers for the index tests, made with the crawler's own item classes and
turned into index records the way ``scrapy index`` reads a feed line."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aggregator.index.loader import to_item
from aggregator.index.protocol import IndexItem
from aggregator.items import Article, Teaser

CRAWLED_AT = "2026-11-25T06:47:44+00:00"


def article_record(id: str, title: str, body: str, **fields: Any) -> dict[str, Any]:
    url = fields.pop("url", f"https://www.magzter.com/stories/news/Test/{id.upper()}")
    fields.setdefault("crawled_at", CRAWLED_AT)
    return asdict(Article(id=id, url=url, canonical_url=url, title=title, body=body, **fields))


def teaser_record(id: str, title: str, **fields: Any) -> dict[str, Any]:
    fields.setdefault("source_url", "https://www.magzter.com/issues/1")
    fields.setdefault("position", 1)
    return asdict(Teaser(id=id, title=title, **fields))


def article(id: str, title: str, body: str, **fields: Any) -> IndexItem:
    return to_item(article_record(id, title, body, **fields))


def teaser(id: str, title: str, **fields: Any) -> IndexItem:
    return to_item(teaser_record(id, title, **fields))
