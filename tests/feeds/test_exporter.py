"""``aggregator.feeds.exporter.JsonLinesExporter`` writes what Scrapy's JSON Lines exporter writes,
byte for byte, for our items and for anything else, with the exporter options feeds use."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from scrapy.exporters import JsonLinesItemExporter

from aggregator.feeds.exporter import JsonLinesExporter
from aggregator.items import Article, Teaser
from aggregator.settings import FEED_EXPORTERS


@dataclasses.dataclass
class Priced:
    name: str
    price: float = dataclasses.field(metadata={"serializer": lambda v: f"{v:.2f}"})


@dataclasses.dataclass(slots=True)
class Partly:
    name: str
    note: str = ""


def items(unset: bool = True) -> list[Any]:
    partly = Partly("left unset")
    del partly.note  # Scrapy leaves an unset field out (and fails on it with empty fields)
    return [
        Article(
            id="a1",
            url="https://www.magzter.com/stories/x/Pub/SLUG",
            title="“Quoted” ünïcode",
            authors=["A", "B"],
            body="One.\n\nTwo — 2.",
            word_count=3,
            is_preview=True,
            source="dump",
            crawled_at="2026-01-01T00:00:00+00:00",
        ),
        Teaser(id="t1", title="Card", source_url="https://www.magzter.com/x", position=2),
        {"id": "d1", "text": "a dict item"},
        Priced("with a serializer", 1.5),
        *([partly] if unset else []),
    ]


def export(cls: type[JsonLinesItemExporter], **options: Any) -> bytes:
    file = io.BytesIO()
    exporter = cls(file, encoding="utf-8", **options)
    exporter.start_exporting()
    for item in items(unset=not options.get("export_empty_fields")):
        exporter.export_item(item)
    exporter.finish_exporting()
    return file.getvalue()


@pytest.mark.parametrize(
    "options",
    [{}, {"export_empty_fields": True}, {"fields_to_export": ["id", "title"]}, {"indent": 2}],
)
def test_same_bytes_as_scrapy(options: dict[str, Any]) -> None:
    ours = export(JsonLinesExporter, **options)
    assert ours == export(JsonLinesItemExporter, **options)
    assert ours.count(b"\n") >= len(items()) - 1


def test_the_serializer_and_unset_fields_are_scrapy_s() -> None:
    lines = export(JsonLinesExporter).decode("utf-8").splitlines()
    assert lines[3] == '{"name": "with a serializer", "price": "1.50"}'
    assert lines[4] == '{"name": "left unset"}'


def test_the_project_feeds_use_it() -> None:
    assert FEED_EXPORTERS["jsonlines"] == "aggregator.feeds.exporter.JsonLinesExporter"
