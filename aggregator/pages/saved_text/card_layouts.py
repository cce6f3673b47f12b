"""The teaser cards of a saved page text: each card's lines read by its layout.

A card is the run of lines from its headline to its last metadata line, whatever the order
of its parts in that layout (see ../shared/prompts-observed.md, "Shapes"):

    classic  Headline / Summary
    blank    Headline / Publication / Headline again / Summary / time-read / 5 mins | / Date
    2025     Publication (printed once or twice) / Headline / Summary / 3 mins / Date
    2021     Headline / Summary / 1 min read / Publication / Month Year

``SavedTextPage`` splits the teaser list at the metadata lines; the readers here turn one
card's text lines into a ``Card``. Two rules hold in every layout:

- a card's headline is never a publication's name alone (``is_name``: the page's
  publication, or the one the "more stories" heading names): a 2025 card that prints its
  publication twice has its headline on the third line;
- the last card of a text cut off by a length cap (``cut``: no metadata line after it) is
  a card as far as its headline is there, whole or cut inside; its summary, when it never
  began, is unknown (``None``). Only a card cut before its headline is none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

# A line that is a publication's name alone (see the module docstring).
IsName = Callable[[str], bool]


# A named tuple, not a frozen dataclass: a page builds about eight, and a tuple is made in C
# (a frozen dataclass sets each field through ``object.__setattr__``, three times the cost)
class Card(NamedTuple):
    title: str
    summary: str | None
    publication: str | None = None  # as the card prints it (blank, 2025 and 2021 shapes)
    meta: tuple[str, ...] = ()  # the card's metadata lines: "5 mins |", "November 07, 2024"


def classic_cards(lines: Sequence[str]) -> list[Card]:
    """Headline / Summary pairs; an odd line out at the end is a headline cut off before
    its summary."""
    cards = [Card(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
    if len(lines) % 2:
        cards.append(Card(lines[-1], None))
    return cards


def blank_card(
    lines: Sequence[str], meta: tuple[str, ...], cut: bool, is_name: IsName
) -> Card | None:
    """Headline / Publication / Headline again / Summary."""
    if len(lines) >= 3 and lines[0] == lines[2]:
        return Card(lines[0], " ".join(lines[3:]) or None, lines[1], meta)
    if cut and lines:
        # cut before the headline's second copy ended: the headline is whole, the summary
        # never began; the publication line, when it is there whole, is the card's
        publication = lines[1] if len(lines) >= 2 and is_name(lines[1]) else None
        return Card(lines[0], None, publication, meta)
    if len(lines) < 2:
        return None
    return Card(lines[0], " ".join(lines[2:]) or None, lines[1], meta)


def gold_card(
    lines: Sequence[str], meta: tuple[str, ...], cut: bool, is_name: IsName, cut_name: IsName
) -> Card | None:
    """Publication (once or twice) / Headline / Summary. ``cut_name``: a line that is a
    publication's name or, cut off, the start of one."""
    lines = _one_publication(lines, is_name)
    if len(lines) >= 3:
        return Card(lines[1], " ".join(lines[2:]), lines[0], meta)
    if cut:
        if len(lines) == 2:  # the headline, whole or cut inside; no summary yet
            return Card(lines[1], None, lines[0], meta)
        if not lines or cut_name(lines[0]):
            return None  # cut before the headline began
        return Card(lines[0], None, None, meta)
    if len(lines) == 2:
        if is_name(lines[0]):
            return Card(lines[1], None, lines[0], meta)
        return Card(lines[0], lines[1], None, meta)
    return Card(lines[0], None, None, meta) if lines else None


def card_2021(lines: Sequence[str], meta: tuple[str, ...], publication: str | None) -> Card | None:
    """Headline / Summary, then the metadata (read time / Publication / Month Year):
    ``publication`` is the line between the read time and the date."""
    if not lines:
        return None
    return Card(lines[0], " ".join(lines[1:]) or None, publication, meta)


def _one_publication(lines: Sequence[str], is_name: IsName) -> Sequence[str]:
    """The card's lines with its publication printed once: a second line that repeats the
    first, or that is a publication's name after one, is the name printed again."""
    start = 0
    while len(lines) - start >= 2 and (
        lines[start + 1] == lines[start] or (is_name(lines[start]) and is_name(lines[start + 1]))
    ):
        start += 1
    return lines[start:]
