"""The anchors of a text with Hyperscan: every anchor pattern in one database, one scan.

One database holds, as byte patterns over the text's UTF-8:

- a lead (a newline, or a glue character: a sentence end, a closing quote or bracket),
  spaces that are no newline, and the first word of some template, as printed;
- a newline, spaces, and a digit (the templates that start with a count);
- the brand word's casings; the anchor words of slot-first templates.

Every character class is spelled out from Python's own (``str.isspace``, ``str.isdecimal``):
the digits as UTF-8 byte sequences, the spaces as a class of the bytes of theirs (a
superset), so the patterns flag every line the prefilter regex can match in, with no flag
of Hyperscan's own Unicode tables. The scan only says which lines: no pattern runs over a
newline but the one that leads a line, so what a line holds depends on its text alone, and
each flagged line is read with the prefilter's own regex, its word boundaries and its one
match per place, exactly as the Python path reads the whole text (``Index.line_places``,
``Index.line_anywhere``), and remembered by the matcher with its match (``flagged``, then
``PromptMatcher._line_stage``): a crawl meets an issue's prompt lines on all its
pages.

Importing this module needs ``hyperscan`` (the ``fast`` extra; wheels for CPython on Linux
x86-64 and aarch64 and on macOS x86-64 and arm64). Why this engine: BENCHMARKS.md, issue 25.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Final

import hyperscan

from aggregator.prompts.anchors import Anchors, line_anchors
from aggregator.prompts.compiler import GLUE_CHARS
from aggregator.prompts.lines import LineIndex
from aggregator.prompts.prefilter import Index

_NUMBER: Final = 0
_BRAND: Final = 1
_ANYWHERE: Final = 2
#: A template's first word after a lead.
_WORD: Final = 3

_SPACES: Final = tuple(
    ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isspace() and ch != "\n"
)
_DIGITS: Final = tuple(ch for ch in map(chr, range(sys.maxunicode + 1)) if ch.isdecimal())
# GLUE_CHARS is written for a regex character class: its "\]" is a "]"
_LEADS: Final = ("\n", *dict.fromkeys(GLUE_CHARS.replace("\\", "")))


def _bytes(text: str) -> str:
    """``text``'s UTF-8 bytes as a Hyperscan pattern: every byte escaped."""
    return "".join(f"\\x{byte:02x}" for byte in text.encode("utf-8", "surrogatepass"))


def _one_of(texts: Iterable[str]) -> str:
    return "(?:" + "|".join(_bytes(t) for t in sorted(texts)) + ")"


def _any_bytes_of(texts: Iterable[str]) -> str:
    """A class of every byte of the UTF-8 forms of ``texts``: its runs hold every run of
    them, and a class of single bytes scans faster than an alternation of sequences (what
    more it lets through, the prefilter's regex turns away)."""
    found = sorted({byte for text in texts for byte in text.encode("utf-8")})
    return "[" + "".join(f"\\x{byte:02x}" for byte in found) + "]"


def _on_match(pattern: int, start: int, end: int, flags: int, context: object) -> None:
    """Hyperscan's match handler: the end of each match, into the scan's list (``context``,
    typed ``object`` by the stubs; no ``cast`` call on the per-match path)."""
    context.append(end)  # type: ignore[attr-defined]


class HyperscanAnchors:
    """``anchors.PythonAnchors``'s results, from one Hyperscan scan and the prefilter's regex
    over the lines it flags (``flagged``: the matcher reads each flagged line once, then
    remembers it)."""

    name = "hyperscan"

    def __init__(self, index: Index, brand_words: Sequence[str]) -> None:
        self._index = index
        self._brand_words = tuple(brand_words)
        spaces = _any_bytes_of(_SPACES) + "*"
        patterns: list[tuple[int, str]] = []
        if index.number_at_line_start:
            patterns.append((_NUMBER, _bytes("\n") + spaces + _one_of(_DIGITS)))
        if brand_words:
            patterns.append((_BRAND, _one_of(brand_words)))
        if index.anywhere_words:
            patterns.append((_ANYWHERE, _one_of(index.anywhere_words)))
        words = index.glue_words | index.line_words
        if words:
            patterns.append((_WORD, _one_of(_LEADS) + spaces + _one_of(words)))
        self._database: hyperscan.Database | None = None
        if patterns:
            self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._database.compile(
                expressions=[p.encode("ascii") for _, p in patterns],
                ids=[i for i, _ in patterns],
                flags=[0] * len(patterns),
            )
            self._scratch = hyperscan.Scratch(self._database)

    def flagged(self, text: str) -> list[int]:
        """The lines of ``text`` (split at ``"\n"``) that the scan flagged, in order: the only
        lines that may hold an anchor (what one holds depends on its text alone:
        ``line_anchors``)."""
        return self.counted(text)[0]

    def counted(self, text: str) -> tuple[list[int], int]:
        """``flagged``, and the number of newlines in ``text``."""
        if self._database is None:
            return [], text.count("\n")
        ends: list[int] = []
        # (the newline before the text: the first line has its lead too, as in the prefilter)
        data = ("\n" + text).encode("utf-8", "surrogatepass")
        # the list rides in the scan's context: one module-level handler, no closure per text
        self._database.scan(
            data, match_event_handler=_on_match, context=ends, scratch=self._scratch
        )
        flagged: list[int] = []
        # the line of a match's last byte: the newlines of the text before it (the first
        # byte of ``data`` is the padding, so the count starts after it)
        at, line, last = 1, 0, -1
        for end in sorted(ends):
            line += data.count(b"\n", at, end)
            at = end
            if line != last:
                flagged.append(line)
                last = line
        # (the rest of the text: most matches are in its last lines, the prompt's)
        return flagged, line + data.count(b"\n", at)

    def scan(self, text: str, lines: Sequence[str], positions: LineIndex) -> Anchors:
        places: dict[int, Sequence[tuple[int, str]]] = {}
        anywhere: dict[int, AbstractSet[str]] = {}
        brand: list[int] = []
        for line in self.flagged(text):
            line_places, line_words, has_brand = line_anchors(
                self._index, self._brand_words, lines[line]
            )
            if line_places:
                places[line] = line_places
            if line_words:
                anywhere[line] = line_words
            if has_brand:
                brand.append(line)
        return Anchors(places, anywhere, brand)

    def clear_caches(self) -> None:
        """Nothing remembered here (the matcher remembers what a line holds)."""
