"""``StoryFields``: what one reading path of a story page found, and the small readers of
JSON values the paths share."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from aggregator.pages.jsonld import JsonObject
from aggregator.utils.text import collapse


@dataclass
class StoryFields:
    """What one reading path found. None (or empty) means: not found on this path."""

    title: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    publication: str | None = None
    issue_date: str | None = None
    issue_label: str | None = None
    issue_url: str | None = None
    category: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    is_preview: bool | None = None
    publisher: str | None = None
    issue_number: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    image_url: str | None = None
    image_caption: str | None = None
    tags: list[str] = field(default_factory=list)

    def fill_from(self, other: StoryFields) -> None:
        for f in fields(self):
            if not getattr(self, f.name) and getattr(other, f.name):
                setattr(self, f.name, getattr(other, f.name))


def as_object(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


def author_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(collapse(name))
    return names


def paragraphs_of(body: Any) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()] if isinstance(body, str) else []


def as_text(value: Any) -> str | None:
    return collapse(value) or None if isinstance(value, str) else None


def name_of(value: Any) -> str | None:
    """A schema.org ``Organization`` or ``Person``'s name, or the plain text that stands for
    one (``"publisher": "HT Media"``)."""
    return as_text(value.get("name") if isinstance(value, dict) else value)


def tag_list(values: Any) -> list[str]:
    """Keywords as a list: a JSON list, or one text separated by commas (``keywords`` may be
    either), in order, no repeats, none empty."""
    items = values if isinstance(values, list) else [values]
    tags: list[str] = []
    for item in items:
        if isinstance(item, str):
            tags.extend(collapse(part) for part in item.split(","))
    return [tag for tag in dict.fromkeys(tags) if tag]
