"""Walking a text's non-empty lines: the line before, the line after, the first open one."""

from __future__ import annotations

from collections.abc import Sequence

from aggregator.prompts.results import LineMatch


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
