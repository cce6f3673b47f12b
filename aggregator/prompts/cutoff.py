"""Cut-off interface lines: the start of a catalog line, as a text cut off by a length cap
ends ("This story is from the November 2022 edition", "Diese Gesch").

The templates' own patterns, matched with the ``regex`` module's partial matching: a line
is the start of a template when some longer text would match it. ``regex`` comes with
dateparser already; the standard library's ``re`` has no partial matching.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

import regex

from aggregator.prompts.catalog import Entry
from aggregator.prompts.compiler import template_regex
from aggregator.prompts.prefilter import start_key

#: Shorter starts are too common in article text ("This", "The", "Start") to be told apart.
MIN_CHARS: Final = 8


class CutOff:
    """Finds a catalog template that a line's tail is the start of."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by_word: defaultdict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            key = start_key(entry)
            if key is not None and key[0][:1].isalpha():
                self._by_word[key[0].lower()].append(entry)
        self._patterns: dict[Entry, regex.Pattern[str]] = {}

    def find(self, line: str, starts: Sequence[int]) -> tuple[int, Entry] | None:
        """(offset, entry) for the earliest of ``starts`` (offsets in ``line``: its start and
        its sentence ends) from which the rest of the line is a template's unfinished start."""
        for start in starts:
            tail = line[start:].strip()
            if len(tail) < MIN_CHARS:
                continue
            word = tail.split(maxsplit=1)[0].lower()
            for entry in self._by_word.get(word, ()):
                found = self._pattern(entry).fullmatch(tail, partial=True)
                if found is not None and found.partial:
                    return start, entry
        return None

    def _pattern(self, entry: Entry) -> regex.Pattern[str]:
        pattern = self._patterns.get(entry)
        if pattern is None:
            pattern = self._patterns[entry] = regex.compile(
                template_regex(entry), regex.IGNORECASE | regex.V0
            )
        return pattern
