"""``CsvExporter`` (``FEED_EXPORTERS`` for ``csv``): Scrapy's CSV exporter with a column for every
field of both item types.

Scrapy's CSV exporter takes its columns from the first item when ``FEED_EXPORT_FIELDS`` is not
set: a crawl that yields a teaser first would write no ``body`` column at all, and an article
first no ``source_url``. Here the columns are every field of ``Article`` then the fields of
``Teaser`` it lacks, ``type`` first, so one file holds both types and can be split by ``type``.
A field list given by the user (``FEED_EXPORT_FIELDS``, a feed's ``fields``) still wins.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.exporters import CsvItemExporter

from aggregator.items import Article, Teaser


def item_fields() -> list[str]:
    """The columns: every field of an article, then a teaser's fields an article lacks."""
    names: list[str] = []
    for kind in (Article, Teaser):
        names += [f.name for f in dataclasses.fields(kind) if f.name not in names]
    return names


class CsvExporter(CsvItemExporter):
    def __init__(self, file: Any, **kwargs: Any) -> None:
        if not kwargs.get("fields_to_export"):
            kwargs["fields_to_export"] = item_fields()
        super().__init__(file, **kwargs)
