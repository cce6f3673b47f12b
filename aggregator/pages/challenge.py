"""``ChallengePage``: a bot-protection check served in place of the page asked for.

Such a page ("Just a moment…", "Checking your connection") often comes with HTTP 200, and a
story URL's shape alone would have it read as a story whose article is the check's text.
The spider asks this class only about a page whose markup declares none of the site's page
types (a real page may embed a protection script), and about error responses. The marks
(headers, titles, script strings, sentences of a short page) are data, in challenges.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree
from scrapy.http import Response, TextResponse

from aggregator.utils.text import collapse

# Compiled once, read as plain strings: a page asked about is often a large one of an
# unknown layout, where a Selector per text node was most of the cost of the check.
_TITLE_TEXT = etree.XPath("//title//text()", smart_strings=False)
_VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style)]", smart_strings=False
)


def short_text(root: etree._Element, limit: int) -> str | None:
    """The visible text of the page collapsed (``collapse`` of its text nodes joined), or
    None as soon as it is known to be longer than ``limit``: collapsing each node's text
    and joining the non-empty ones with a space gives the same text, so the length so far
    only grows."""
    parts: list[str] = []
    length = -1
    for node in _VISIBLE_TEXT(root):
        part = collapse(node)
        if part:
            parts.append(part)
            length += len(part) + 1
            if length > limit:
                return None
    return " ".join(parts)


@dataclass(frozen=True)
class Marks:
    headers: dict[str, str]
    titles: tuple[str, ...]
    markup: tuple[bytes, ...]
    text: tuple[str, ...]
    max_text: int


@cache
def marks() -> Marks:
    data = tomllib.loads(resources.files(__package__).joinpath("challenges.toml").read_text())
    return Marks(
        headers={k.lower(): v.lower() for k, v in data["headers"].items()},
        titles=tuple(p.casefold() for p in data["titles"]["phrases"]),
        markup=tuple(s.encode() for s in data["markup"]["strings"]),
        text=tuple(p.casefold() for p in data["text"]["phrases"]),
        max_text=int(data["text"]["max_text"]),
    )


class ChallengePage:
    def __init__(self, response: Response) -> None:
        self.response = response

    def reason(self) -> str | None:
        """What marks the page as a challenge (``challenge page: "Just a moment..."``)."""
        found = self._mark()
        return None if found is None else f"challenge page ({found})"

    def header_mark(self) -> str | None:
        """The response header that marks a challenge (``cf-mitigated: challenge``), if any:
        known before the body is read, so a challenge is not retried."""
        for name, value in marks().headers.items():
            header = self.response.headers.get(name)
            if header is not None and header.decode("latin-1").strip().lower() == value:
                return f"{name}: {value}"
        return None

    def _mark(self) -> str | None:
        m = marks()
        header = self.header_mark()
        if header is not None:
            return header
        if not isinstance(self.response, TextResponse):
            return None
        root = self.response.selector.root
        title = collapse(" ".join(_TITLE_TEXT(root)))
        folded = title.casefold()
        if any(folded.startswith(p) for p in m.titles):
            return f"title {title!r}"
        body = self.response.body
        for string in m.markup:
            if string in body:
                return string.decode()
        text = short_text(root, m.max_text)
        if text is not None:
            folded = text.casefold()
            for phrase in m.text:
                if phrase in folded:
                    return f"text {phrase!r}"
        return None
