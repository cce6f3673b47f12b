"""``JsonLinesExporter`` (``FEED_EXPORTERS`` for ``jsonlines``): Scrapy's JSON Lines exporter,
the same bytes, reading a dataclass item's fields as attributes."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import cache
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.python import to_bytes


class JsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter, byte for byte, with a dataclass item's fields read as
    attributes. Scrapy's own wraps every item in an ``ItemAdapter``, lists the dataclass's
    fields twice (``dataclasses.fields``) and looks up each field's serializer: a visible
    share of what a dump record costs us (BENCHMARKS.md, "Dumps path"). Anything else (dicts,
    Scrapy items, a dataclass with a ``serializer``, ``FEED_EXPORT_FIELDS``) goes Scrapy's
    way."""

    def export_item(self, item: Any) -> None:
        kind: Any = type(item)  # (typeshed: a type is not Hashable)
        names = _plain_fields(kind) if self.fields_to_export is None else None
        if names is None:
            super().export_item(item)
            return
        try:
            # every field, in declaration order: what Scrapy exports of a dataclass, with or
            # without ``export_empty_fields`` (a dataclass's fields are all present)
            fields = {name: getattr(item, name) for name in names}
        except AttributeError:  # a field left unset: Scrapy's way leaves it out
            super().export_item(item)
            return
        self.file.write(to_bytes(self.encoder.encode(fields) + "\n", self.encoding))


@cache
def _plain_fields(cls: Any) -> tuple[str, ...] | None:
    """A dataclass's field names when no field has a ``serializer`` in its metadata."""
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls) or issubclass(cls, Mapping):
        return None
    fields = dataclasses.fields(cls)
    if any("serializer" in field.metadata for field in fields):
        return None
    return tuple(field.name for field in fields)
