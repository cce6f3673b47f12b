"""Walking a text's non-empty lines: the line before, the line after, the first open one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import accumulate, compress, count
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


def line_starts(lines: Sequence[str]) -> list[int]:
    """Each line's start offset in ``"\n".join(lines)`` (and the end's, plus one)."""
    return list(accumulate(map((1).__add__, map(len, lines)), initial=0))


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
