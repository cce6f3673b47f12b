"""The lines of a saved page text: each collapsed, empty lines and extractor noise left out."""

from __future__ import annotations

import re

# Stray extractor noise: image placeholders, Markdown images (also linked ones).
NOISE = re.compile(
    r"^(?:(?:image|img|\[image\])\s*)+$"
    r"|^\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?$",
    re.I,
)

# What ``str.splitlines`` breaks a line at, each made a "\n" (an "\r\n" makes an empty line
# between two: empty lines are left out anyway).
LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Whitespace inside a line once every break is a "\n" (what ``collapse`` makes one space).
SPACES = re.compile(r"[^\S\n]+")
# Runs of plain spaces, in a text whose only other whitespace is "\n".
SPACE_RUNS = re.compile(" {2,}")


def page_lines(text: str) -> list[str]:
    """The text's lines, each collapsed (``aggregator.utils.text.collapse``), empty lines and
    extractor noise left out.

    The whole text is collapsed at once by a compiled regex (C speed), not line by line: a
    text whose lines are printable holds no whitespace but "\\n" and plain spaces (every
    other whitespace, break and invisible character is not printable), so only its runs of
    spaces need it; any other text has its breaks made "\\n" and its other whitespace runs
    one space first."""
    raw = text.split("\n")
    if all(map(str.isprintable, raw)):
        if "  " in text:
            raw = SPACE_RUNS.sub(" ", text).split("\n")
    else:
        raw = SPACES.sub(" ", LINE_BREAKS.sub("\n", text)).split("\n")
    # NOISE begins with "i", "[" or "!" (any case): other ASCII first letters cannot match.
    # (The test inlined: a function call a line costs more than the test itself.)
    return [
        line
        for line in map(str.strip, raw)
        if line and not ((not line[0].isascii() or line[0] in "iI[!") and NOISE.match(line))
    ]
