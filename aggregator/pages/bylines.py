"""Bylines, one rule for HTML pages and saved texts: "By Sanya Kapoor and Meher Bajwa",
"— Vir Sanghvi"."""

from __future__ import annotations

import re

from aggregator.prompts.compiler import SENTENCE_ENDS

BY = re.compile(r"^(?:by\s+|[-‐‑‒–—]\s*)", re.I)


DASH_BYLINE = re.compile(r"^[-‐‑‒–—]\s*\S")


AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")


BYLINE_MAX_CHARS = 60


BYLINE_NOT_LAST = frozenset(SENTENCE_ENDS + ":;")


def strip_by(byline: str | None) -> str | None:
    """The byline without its "By " or dash."""
    return BY.sub("", byline) if byline else None


def looks_like_byline(line: str) -> bool:
    """A short name line ("By Helen Coffey", "Vir Sanghvi"): no sentence punctuation."""
    words = line.split()
    return 0 < len(words) <= 6 and len(line) <= BYLINE_MAX_CHARS and line[-1] not in BYLINE_NOT_LAST


def authors(byline: str) -> list[str]:
    """The names a byline lists: "By Sanya Kapoor and Meher Bajwa" -> two names."""
    names = (name.strip() for name in AUTHOR_SEPARATOR.split(BY.sub("", byline)))
    return list(dict.fromkeys(name for name in names if name))
