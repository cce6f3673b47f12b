"""One pass over a text finds what every rule starts from: its anchors.

The anchors of a text are the places a catalog template may begin (``prefilter.Index``:
a line start or a glue point, then a template's first word), the lines holding the anchor
word of a template that starts with a slot, and the lines naming the brand (the structural
rules' key, ``fallback.Structure``). The rules then run over those lines only.

Two engines find them, with the same results (``tests/prompts_engines`` holds them to it):

- ``PythonAnchors``: the standard library's ``re`` (the prefilter's one regex over the
  whole text) and ``str.find`` for the brand's casings; always there;
- ``multipattern.HyperscanAnchors``: Intel's Hyperscan, every anchor pattern in one
  compiled database, one scan of the text's bytes; then the prefilter's own regex, only on
  the few lines the scan flagged, decides exactly as the Python path does. Installed with
  the ``fast`` extra (``pip install 'aggregator[fast]'``).

``anchor_engine`` picks one: Hyperscan when it imports, else Python (``AGGREGATOR_PROMPT_ENGINE``
in the environment, ``python`` or ``hyperscan``, forces one).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Final, NamedTuple, Protocol

from aggregator.prompts.lines import LineIndex
from aggregator.prompts.prefilter import Index

#: The environment variable that forces an engine (``python`` or ``hyperscan``).
ENGINE_VARIABLE: Final = "AGGREGATOR_PROMPT_ENGINE"
ENGINES: Final = ("python", "hyperscan")


class EngineError(ValueError):
    """An engine that is not one of ``ENGINES``, or that cannot be loaded here."""


class Anchors(NamedTuple):
    """What one pass over a text found."""

    #: per line: (offset in the line, start key) of each place a template may begin
    places: Mapping[int, Sequence[tuple[int, str]]]
    #: per line: the anchor words (lowercased) of slot-first templates found in it
    anywhere: Mapping[int, AbstractSet[str]]
    #: the lines that hold one of the brand word's casings, in order (a superset of the
    #: brand lines: the structural rules test each with the brand's own pattern)
    brand: list[int]


class AnchorEngine(Protocol):
    name: str

    def scan(self, text: str, lines: Sequence[str], positions: LineIndex) -> Anchors:
        """The anchors of ``text`` (``lines`` are its lines; ``positions`` its LineIndex)."""
        ...

    def clear_caches(self) -> None:
        """Forget any per-line memo (the results do not depend on it)."""
        ...

    def flagged(self, text: str) -> list[int] | None:
        """The only lines of ``text`` that may hold an anchor, in order, when the engine can
        tell them without reading them (what such a line holds is then ``line_anchors``'s);
        ``None`` when it cannot (``scan`` then)."""
        ...

    def counted(self, text: str) -> tuple[list[int], int] | None:
        """``flagged``, and the number of newlines in ``text`` (the scan counts them on its
        way: ``clean`` tells a text in paragraph form by it); ``None`` as ``flagged``."""
        ...


class PythonAnchors:
    """The anchors with the standard library: the prefilter regex over the whole text, then
    ``str.find`` for each casing of the brand word."""

    name = "python"

    def __init__(self, index: Index, brand_words: Sequence[str]) -> None:
        self._index = index
        self._brand_words = tuple(brand_words)

    def scan(self, text: str, lines: Sequence[str], positions: LineIndex) -> Anchors:
        places, anywhere = self._index.places(text, positions)
        hits = []
        for word in self._brand_words:
            position = text.find(word)
            while position != -1:
                hits.append(position)
                position = text.find(word, position + len(word))
        brand: list[int] = []
        for position in sorted(hits):  # (in text order, each newline is counted once)
            index = positions.line_of(position)
            if not brand or brand[-1] != index:
                brand.append(index)
        return Anchors(places, anywhere, brand)

    def clear_caches(self) -> None:
        """Nothing remembered."""

    def flagged(self, text: str) -> None:
        """The whole text's regex walk is this engine's one pass: ``scan``."""
        return None

    def counted(self, text: str) -> None:
        """As ``flagged``."""
        return None


def line_anchors(
    index: Index, brand_words: Sequence[str], line: str
) -> tuple[tuple[tuple[int, str], ...], frozenset[str], bool]:
    """The anchors of one line, by its text alone: its places, its slot-first anchor words,
    and whether it holds a casing of the brand word (what ``scan`` finds in that line, as no
    anchor runs over a line's end)."""
    return (
        tuple(index.line_places(line)),
        frozenset(index.line_anywhere(line)),
        any(map(line.__contains__, brand_words)),  # (in C: no generator frame)
    )


def anchor_engine(
    index: Index, brand_words: Sequence[str], name: str | None = None
) -> AnchorEngine:
    """The engine ``name`` (``ENGINES``), else the one the environment names, else the fastest
    installed one."""
    wanted = name or os.environ.get(ENGINE_VARIABLE) or None
    if wanted is not None and wanted not in ENGINES:
        raise EngineError(f"prompt engine {wanted!r}: choose one of {list(ENGINES)}")
    if wanted == "python":
        return PythonAnchors(index, brand_words)
    try:
        from aggregator.prompts.multipattern import HyperscanAnchors
    except ImportError as exc:
        if wanted == "hyperscan":
            raise EngineError(
                "prompt engine 'hyperscan' needs the hyperscan package: "
                "pip install 'aggregator[fast]'"
            ) from exc
        return PythonAnchors(index, brand_words)
    return HyperscanAnchors(index, brand_words)
