"""The fixture files' records: JSON Lines fixtures, the wild page texts, samples/MANIFEST.json."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from tests.support.paths import MANIFEST, PAGE_SHAPES, WILD


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines fixture (blank lines are no records)."""
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


@functools.cache
def _wild_records() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl(WILD))


def wild_records() -> list[dict[str, Any]]:
    """tests/fixtures/dumps/wild.jsonl (read once; a fresh list each call)."""
    return list(_wild_records())


def page_shape_records() -> list[dict[str, Any]]:
    """tests/fixtures/dumps/page_shapes.jsonl: records like the wild ones, each with the
    ``shapes`` it exercises."""
    return read_jsonl(PAGE_SHAPES)


def manifest() -> dict[str, Any]:
    """samples/MANIFEST.json: what ``python -m sitegen`` put in every page of samples/."""
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data
