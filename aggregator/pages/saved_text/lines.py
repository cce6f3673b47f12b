"""The lines of a saved page text: each collapsed, empty lines and extractor noise left out."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    if all(map(str.isprintable, raw)):
        # the common text: no line break but "\n" and no whitespace but plain spaces (every
        # other whitespace, break and invisible character is not printable), so its runs of
        # spaces are made one at C speed (``str.replace`` halves each run a pass; a regex
        # sub tries every space, several times slower) and each line needs its ends trimmed
        if "  " in text:
            while "  " in text:
                text = text.replace("  ", " ")
            raw = text.split("\n")
        lines: Iterable[str] = map(str.strip, raw)
    else:
        lines = map(collapse, text.splitlines())
    # NOISE begins with "i", "[" or "!" (any case): other ASCII first letters cannot match.
    # (The test inlined: a function call a line costs more than the test itself.)
    return [
        line
        for line in lines
        if line and not ((not line[0].isascii() or line[0] in "iI[!") and NOISE.match(line))
    ]
