"""JSON-LD blocks of a page: every object of its ``application/ld+json`` scripts, or the first of
given types."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from lxml import etree
from parsel import Selector

from aggregator.pages.select import page_index

JsonObject = dict[str, Any]


_TEXTS = etree.XPath("text()")


def _jsonld_texts(root: Any) -> list[Any]:
    """``//script[@type="application/ld+json"]/text()``, from the scripts of the page's one
    walk (``PageIndex``) rather than a walk of every element of the page for them."""
    return [
        text
        for script in page_index(root).by_tag["script"]
        if script.get("type") == "application/ld+json"
        for text in _TEXTS(script)
    ]


# the same in head alone: head comes first in document order, and is a small part of a page
_HEAD_JSONLD = etree.XPath('/html/head//script[@type="application/ld+json"]/text()')


def jsonld_objects(
    selector: Selector, query: Callable[[Any], list[Any]] = _jsonld_texts
) -> Iterator[JsonObject]:
    """Every JSON-LD object of the page, ``@graph`` members and list items included."""
    for raw in query(selector.root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack:
            if isinstance(obj, dict):
                graph = obj.get("@graph")
                if isinstance(graph, list):
                    yield from (g for g in graph if isinstance(g, dict))
                else:
                    yield obj


def jsonld_of_type(selector: Selector, *types: str) -> JsonObject | None:
    """The page's first JSON-LD object of one of ``types``. The blocks in ``head`` are read
    first: one found there is the first of the page too, without a walk of the whole
    page (its site chrome)."""
    for query in (_HEAD_JSONLD, _jsonld_texts):
        for obj in jsonld_objects(selector, query):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in types for k in kinds):
                return obj
    return None
