"""The lines of a saved page text: each collapsed, empty lines and extractor noise left out."""

from __future__ import annotations

import re

from aggregator.utils.text import collapse

# Stray extractor noise: image placeholders, Markdown images (also linked ones).
NOISE = re.compile(
    r"^(?:(?:image|img|\[image\])\s*)+$"
    r"|^\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?$",
    re.I,
)


def page_lines(text: str) -> list[str]:
    """The text's lines, each collapsed (``aggregator.utils.text.collapse``), empty lines and
    extractor noise left out."""
    raw = text.split("\n")
    if "  " not in text and all(map(str.isprintable, raw)):
        # the common text: no line break but "\n" (the others are not printable), no
        # whitespace but single spaces, so each line needs only its ends trimmed
        lines = [line for line in map(str.strip, raw) if line]
    else:
        lines = [line for line in map(collapse, text.splitlines()) if line]
    # NOISE begins with "i", "[" or "!" (any case): other ASCII first letters cannot match.
    # (The test inlined: a function call a line costs more than the test itself.)
    return [
        line
        for line in lines
        if not ((not line[0].isascii() or line[0] in "iI[!") and NOISE.match(line))
    ]
