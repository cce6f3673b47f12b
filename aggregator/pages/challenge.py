"""``ChallengePage``: a bot-protection check served in place of the page asked for.

Such a page ("Just a moment…", "Checking your connection") often comes with HTTP 200, and a
story URL's shape alone would have it read as a story whose article is the check's text.
The spider asks this class only about a page whose markup declares none of the site's page
types (a real page may embed a protection script), and about error responses. The marks
(headers, titles, script strings, sentences of a short page) are data, in challenges.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree
from scrapy.http import Response, TextResponse

from aggregator.pages.select import ascii_body
from aggregator.utils.text import collapse

# Compiled once, read as plain strings: a page asked about is often a large one of an
# unknown layout, where a Selector per text node was most of the cost of the check.
_TITLE_TEXT = etree.XPath("//title//text()", smart_strings=False)
_TEXT_UNDER = etree.XPath(".//text()", smart_strings=False)
# What the visible text is (``short_text`` reads the same text nodes, in order, stopping at
# its limit): the XPath builds the list of every text node of the page first.
VISIBLE_TEXT = etree.XPath(
    "//body//text()[not(ancestor::script or ancestor::style)]", smart_strings=False
)
_HIDDEN = frozenset({"script", "style"})
_TITLE_TAG = re.compile(rb"<title", re.IGNORECASE)


def visible_texts(root: etree._Element) -> Iterator[str]:
    """The text nodes of ``VISIBLE_TEXT``, in document order, read as the tree is walked, so
    a caller that has enough stops the walk (a page with its site chrome holds thousands).

    A text node is an element's ``text`` (inside it) or its ``tail`` (inside its parent,
    after it), a comment's or processing instruction's ``tail``; it is visible when a
    ``body`` holds it and no ``script`` or ``style`` does. (The parser can make two ``body``
    elements, so the walk counts them rather than starting at one.)"""
    in_body = 0
    hidden = 0
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            tag = node.tag
            if tag == "body":
                in_body += 1
            elif tag in _HIDDEN:
                hidden += 1
            text = node.text
        elif event == "end":
            tag = node.tag
            if tag == "body":
                in_body -= 1
            elif tag in _HIDDEN:
                hidden -= 1
            text = node.tail
        else:  # a comment or processing instruction: only what follows it is a text node
            text = node.tail
        if text and in_body and not hidden:
            yield text


def short_text(root: etree._Element, limit: int) -> str | None:
    """The visible text of the page collapsed (``collapse`` of its text nodes joined), or
    None as soon as it is known to be longer than ``limit``: collapsing each node's text
    and joining the non-empty ones with a space gives the same text, so the length so far
    only grows, and the walk stops there."""
    parts: list[str] = []
    length = -1
    for node in visible_texts(root):
        part = collapse(node)
        if part:
            parts.append(part)
            length += len(part) + 1
            if length > limit:
                return None
    return " ".join(parts)


def title_text(response: TextResponse) -> str:
    """The text of the page's ``title`` elements (``//title//text()`` joined), collapsed.

    The XPath walks the whole tree; a page whose markup holds one ``<title`` at most (in any
    case) has at most that one element, found in ``head`` without the walk. The markup is
    searched as bytes only when its encoding spells ASCII as ASCII (``ascii_body``)."""
    root = response.selector.root
    if ascii_body(response):
        body = response.body
        first = _TITLE_TAG.search(body)
        if first is None:
            return ""
        if _TITLE_TAG.search(body, first.end()) is None:
            head = root.find("head") if root.tag == "html" else None
            title = head.find("title") if head is not None else None
            if title is not None:
                return collapse(" ".join(_TEXT_UNDER(title)))
    return collapse(" ".join(_TITLE_TEXT(root)))


@dataclass(frozen=True)
class Marks:
    headers: dict[str, str]
    titles: tuple[str, ...]
    markup: tuple[bytes, ...]
    text: tuple[str, ...]
    max_text: int
    # the markup strings by a substring they share (``guard_groups``)
    markup_groups: tuple[tuple[bytes, tuple[bytes, ...]], ...] = ()

    def markup_mark(self, body: bytes) -> str | None:
        """The first of ``markup`` (in its order) that ``body`` holds, or None. A page is
        searched for each group's shared substring, and for the group's strings only when
        that is there: each search is a scan of the whole page (with its site chrome, most
        of the check's cost), and a real page holds none of them."""
        present = {
            string
            for guard, strings in self.markup_groups
            if guard in body
            for string in strings
            if string in body
        }
        return next((string.decode() for string in self.markup if string in present), None)


def guard_groups(
    strings: tuple[bytes, ...], shortest: int = 6, longest: int = 12
) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
    """``strings`` in groups, each with a substring every one of its strings holds (a body
    without it holds none of them). Chosen greedily: the substring (of ``shortest`` to
    ``longest`` bytes, or a shorter string whole) held by the most strings left, the longest
    of those (a longer one turns up by chance in fewer pages); a string no other shares a
    substring with is its own group's."""
    left = list(dict.fromkeys(strings))
    groups: list[tuple[bytes, tuple[bytes, ...]]] = []
    while left:
        candidates = {
            string[i:j]
            for string in left
            for i in range(max(1, len(string) - shortest + 1))
            for j in range(min(len(string), i + shortest), min(len(string), i + longest) + 1)
        }
        guard = max(candidates, key=lambda c: (sum(c in s for s in left), len(c), c))
        members = tuple(s for s in left if guard in s)
        # a string alone is its own guard: found, it is found already
        groups.append((members[0] if len(members) == 1 else guard, members))
        left = [s for s in left if guard not in s]
    return tuple(groups)


@cache
def marks() -> Marks:
    data = tomllib.loads(resources.files(__package__).joinpath("challenges.toml").read_text())
    markup = tuple(s.encode() for s in data["markup"]["strings"])
    return Marks(
        headers={k.lower(): v.lower() for k, v in data["headers"].items()},
        titles=tuple(p.casefold() for p in data["titles"]["phrases"]),
        markup=markup,
        text=tuple(p.casefold() for p in data["text"]["phrases"]),
        max_text=int(data["text"]["max_text"]),
        markup_groups=guard_groups(markup),
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
        title = title_text(self.response)
        folded = title.casefold()
        if any(folded.startswith(p) for p in m.titles):
            return f"title {title!r}"
        found = m.markup_mark(self.response.body)
        if found is not None:
            return found
        text = short_text(root, m.max_text)
        if text is not None:
            folded = text.casefold()
            for phrase in m.text:
                if phrase in folded:
                    return f"text {phrase!r}"
        return None
