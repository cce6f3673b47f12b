"""The crawl's two feeds by name, and the folder they go to: the one place these are said.

- ``FEED_NAMES``: the file of each item type (``articles.jsonl``, ``teasers.jsonl``), in the
  order they are listed and loaded.
- ``output_dir``: ``OUTPUT_DIR``, or ``output`` when it is unset or empty.
- ``PROJECT_FEEDS``: the ``FEEDS`` setting that ``scrapy crawl`` installs
  (``aggregator.commands.crawl``): ``scrapy fetch``, ``parse``, ``shell``, ``check`` and
  ``list`` never open a feed.
- ``uri_params`` (``FEED_URI_PARAMS``): ``%(output_dir)s`` in a feed URI.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.settings import BaseSettings

DEFAULT_OUTPUT_DIR = "output"
# item type -> feed file name; the item classes in aggregator.items
FEED_NAMES: dict[str, str] = {"article": "articles.jsonl", "teaser": "teasers.jsonl"}
_ITEM_CLASSES = {"article": "aggregator.items.Article", "teaser": "aggregator.items.Teaser"}

PROJECT_FEEDS: dict[str, dict[str, Any]] = {
    f"%(output_dir)s/{name}": {
        "format": "jsonlines",
        "encoding": "utf-8",
        "item_classes": [_ITEM_CLASSES[kind]],
        "overwrite": True,
    }
    for kind, name in FEED_NAMES.items()
}


def output_dir(settings: BaseSettings) -> str:
    """The run's output folder: ``OUTPUT_DIR``, ``output`` when unset or empty."""
    return str(settings.get("OUTPUT_DIR") or DEFAULT_OUTPUT_DIR)


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``%(output_dir)s`` in ``FEEDS`` comes from the ``OUTPUT_DIR`` setting."""
    return {**params, "output_dir": output_dir(spider.settings).rstrip("/") or "/"}
