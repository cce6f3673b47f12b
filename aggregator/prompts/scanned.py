"""Lines scanned already: a page's catalog matches per line, kept for a text made of its lines.

A saved-text page (``pages.saved_text``) scans its whole text to find its parts; the prompt
stage then cleans the article's body, which is some of those lines joined. What the catalog
stage finds in a line (its templates' matches, whether it holds the brand word) depends on
the line's text alone, so the body's clean takes it from the page's scan instead of a
second pass; the rules that look at a line's neighbours and at a text's ends (context:
the top lines, the cut tail) run again on the body, as its ends are not the page's.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from aggregator.prompts.results import LineMatch

#: Texts waiting for their ``clean``: a crawl cleans a page's body right after reading it,
#: so a few suffice; bounded for callers that never clean what they announced.
WAITING: Final = 64


@dataclass(frozen=True)
class ScannedLines:
    """The catalog stage of a scanned text, per line text: its match (or ``None``), and the
    lines that hold a casing of the brand word."""

    catalog: dict[str, LineMatch | None]
    brand: frozenset[str]

    @classmethod
    def of(
        cls, lines: Sequence[str], catalog: Sequence[LineMatch | None], brand: Sequence[int]
    ) -> ScannedLines:
        return cls(dict(zip(lines, catalog, strict=True)), frozenset(lines[i] for i in brand))

    def stage(self, lines: Sequence[str]) -> tuple[list[LineMatch | None], list[int]] | None:
        """The catalog stage of a text made of ``lines`` (each a scanned line, or empty):
        its matches and brand lines; ``None`` when a line was not scanned."""
        known = self.catalog
        result: list[LineMatch | None] = []
        for line in lines:
            if line in known:
                result.append(known[line])
            elif line.strip():
                return None
            else:
                result.append(None)
        brand = [i for i, line in enumerate(lines) if line in self.brand] if self.brand else []
        return result, brand


class Waiting(OrderedDict[str, ScannedLines]):
    """Texts announced for a coming ``clean``, with the scanned lines they are made of (a
    dict: ``clean`` tests it for emptiness in C, most texts were announced by no page)."""

    def __init__(self, size: int = WAITING) -> None:
        super().__init__()
        self._size = size

    def put(self, text: str, scanned: ScannedLines) -> None:
        self[text] = scanned
        self.move_to_end(text)
        while len(self) > self._size:
            self.popitem(last=False)

    def take(self, text: str) -> ScannedLines | None:
        return self.pop(text, None)
