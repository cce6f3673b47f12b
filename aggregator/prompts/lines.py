"""Walking a text's non-empty lines: the line before, the line after, the first open one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import compress, count
from typing import Final

from aggregator.prompts.results import LineMatch

# Distinct lines (or line and places) each per-line memo of the matcher remembers: a crawl
# meets the same offer and sign-in lines on every page, and its other lines mostly once;
# bounded so a long crawl's memory stays flat.
LINE_CACHE_SIZE: Final = 20_000


def matched(result: Sequence[LineMatch | None]) -> Iterator[int]:
    """The indices of the lines that hold a match, in order. Lazy, like ``enumerate`` over
    the list: a match set further on while the caller loops is met too. (``compress`` tests
    the entries in C: most lines of a text hold none.)"""
    return compress(count(), result)


class LineIndex:
    """Which line of ``text`` (split at ``"\n"``) an offset falls in, by counting the newlines
    before it: a text's places of interest are few, so this beats a table of every line's
    start (C-speed counting, no Python work per line). Asked in increasing order, each
    newline is counted once."""

    __slots__ = ("_line", "_offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._offset = 0  # the newlines before this offset ...
        self._line = 0  # ... are this many

    def line_of(self, offset: int) -> int:
        if offset < self._offset:
            self._offset = self._line = 0
        self._line += self.text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line

    def column_of(self, offset: int) -> int:
        """``offset``'s place in its line."""
        return offset - self.text.rfind("\n", 0, offset) - 1


def previous_line(lines: Sequence[str], index: int) -> int | None:
    """The non-empty line before ``index``."""
    index -= 1
    while index >= 0:
        if lines[index].strip():
            return index
        index -= 1
    return None


def next_line(lines: Sequence[str], index: int) -> int | None:
    """The non-empty line after ``index``."""
    index += 1
    while index < len(lines):
        if lines[index].strip():
            return index
        index += 1
    return None


def first_open(
    lines: Sequence[str], result: Sequence[LineMatch | None], after: int = -1
) -> int | None:
    """The first non-empty line after ``after`` that is not interface text, if only interface
    text (or nothing) comes before it."""
    index = next_line(lines, after)
    while index is not None and result[index] is not None:
        index = next_line(lines, index)
    return index
