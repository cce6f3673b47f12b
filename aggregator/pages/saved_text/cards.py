"""The teaser cards of a saved page text: the teaser list split at its metadata lines, each
card read by its layout (``aggregator.pages.saved_text.card_layouts``)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from aggregator.pages.saved_text.card_layouts import (
    Card,
    blank_card,
    card_2021,
    classic_cards,
    gold_card,
)
from aggregator.pages.saved_text.header import DATE_LINE
from aggregator.pages.saved_text.names import PublicationNames
from aggregator.site.dates import parse_issue_date
from aggregator.site.urls import teaser_id


class CardReading(PublicationNames):
    def _card_start(self, meta: int, floor: int) -> int:
        """Where the card whose first metadata line is ``meta`` begins."""
        lines = self.lines
        # 2021: Headline / Summary, the read time then Publication / Month Year
        if self._source_after(meta) is not None:
            return max(floor, meta - 2)
        # blank: Headline / Publication / Headline again (/ Summary)
        for size in (4, 3):
            start = meta - size
            if start >= floor and lines[start] == lines[start + 2]:
                return start
        # 2025: Publication / Headline (/ Summary)
        known = (self._named_publication or "").casefold()
        if known and meta - 2 >= floor and lines[meta - 2].casefold() == known:
            return meta - 2
        return max(floor, meta - 3)

    def _source_after(self, meta: int) -> str | None:
        """The publication of a 2021 card, whose metadata line ``meta`` (the read time) is
        followed by Publication / Month Year, two lines no rule matched."""
        name, date = meta + 1, meta + 2
        if self._plain(name, date) and DATE_LINE.fullmatch(self.lines[date]):
            return self.lines[name]
        return None

    def _cards(self) -> tuple[list[Card], str]:
        # (text lines, metadata lines, the publication a 2021 card prints among its metadata)
        chunks: list[tuple[list[str], tuple[str, ...], str | None]] = []
        current: list[str] = []
        meta: list[str] = []
        source: str | None = None
        lines, kinds, matches = self.lines, self.kinds, self.matches
        index, count = self.teaser_start, len(lines)
        while index < count:
            kind = kinds[index]
            line = lines[index]
            index += 1
            if kind == "card_meta":
                meta.append(line)
                # ``_source_after(index - 1)`` inline (a few metadata lines a card): 2021, the
                # publication and the date, two lines no rule matched, close the card
                if (
                    index + 1 < count
                    and matches[index] is None
                    and matches[index + 1] is None
                    and DATE_LINE.fullmatch(lines[index + 1])
                ):
                    source = lines[index]
                    meta.append(lines[index + 1])
                    index += 2
                continue
            if kind is not None:
                continue  # a second prompt copy, a heading, navigation: interface, not a card
            if meta:
                if current:
                    chunks.append((current, tuple(meta), source))
                current, meta, source = [], [], None
            current.append(line)
        if not chunks and not meta:
            if current and self._is_name(current[0]):
                # a 2025 card (Publication first) cut before its metadata: the text's last
                card = gold_card(current, (), True, self._is_name, self._is_name_start)
                return ([card] if card else []), "2025"
            cards = [c for c in classic_cards(current) if not self._is_name(c.title)]
            return cards, "classic" if cards else "none"
        if current or meta:
            chunks.append((current, tuple(meta), source))
        shape = self._card_layout(chunks)
        if (
            shape == "2021"
            and len(chunks) >= 2
            and not chunks[-1][1]
            and not any(DATE_LINE.fullmatch(line) for line in chunks[-2][1])
        ):
            del chunks[-1]  # cut inside a card's metadata: its publication line
        cards = []
        for number, (lines, card_meta, publication) in enumerate(chunks, 1):
            # a text cut off before the last card's metadata: what of the card is there?
            cut = number == len(chunks) and not card_meta
            if shape == "2021":
                card = card_2021(lines, card_meta, publication)
            elif shape == "blank":
                card = blank_card(lines, card_meta, cut, self._is_name)
            else:
                card = gold_card(lines, card_meta, cut, self._is_name, self._is_name_start)
            if card is not None and not self._is_name(card.title):
                cards.append(card)
        return cards, shape

    @staticmethod
    def _card_layout(chunks: Sequence[tuple[list[str], tuple[str, ...], str | None]]) -> str:
        if any(publication is not None for _, _, publication in chunks):
            return "2021"
        blank = any(len(c) >= 3 and c[0] == c[2] for c, _, _ in chunks) or any(
            "|" in line or "time-read" in line.casefold() for _, m, _ in chunks for line in m
        )
        return "blank" if blank else "2025"


@lru_cache(maxsize=4096)  # the same cards on every page of an issue: one SHA-1 each
def card_teaser_id(publication: str | None, title: str) -> str:
    return teaser_id(None, publication, title)


def card_date(meta: tuple[str, ...]) -> str | None:
    label = next((line for line in meta if DATE_LINE.fullmatch(line)), None)
    return parse_issue_date(label) if label else None
