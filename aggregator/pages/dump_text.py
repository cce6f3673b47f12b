"""A story page as a text extractor saved it (web-text corpora): text in, items out.

The text is segmented into its parts (see ../shared/prompts-observed.md, "Shapes"):

    [header]  classic: Title / Publication|Date / standfirst / byline (/ Title again)
              2025:    Try-GOLD line / Title / Publication / |Date / standfirst
    body      paragraphs, then the prompt block(s) and other interface lines
    teasers   an optional "more stories" heading, then cards in one of three shapes:
              classic  Headline / Summary
              blank    Headline / Publication / Headline / Summary / time-read / 5 mins | / Date
              2025     Publication / Headline / Summary / 3 mins / Date

Like the HTML pages, the body keeps the prompt lines as printed: the prompt stage removes
them, fills ``prompt_language`` and counts them, for both sources alike. What this class
does read from the prompt is where the body ends and the edition line's facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy
from ftfy.badness import is_bad

from aggregator.items import Article, Teaser
from aggregator.pages.base import read_time_minutes
from aggregator.prompts import EditionFacts, PromptMatcher
from aggregator.prompts.dates import parse_issue_date
from aggregator.text import collapse, join_paragraphs, word_count
from aggregator.urls import article_id, canonical_story_url, parse_story_url, teaser_id

PROMPT_KINDS = frozenset({"edition", "offer", "signin"})
# Interface lines that end the body when no prompt does (price banner, old app line).
BODY_END_KINDS = PROMPT_KINDS | {"price_banner", "continue_app", "more_stories"}
DATE = r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{4})"
CLASSIC_SOURCE = re.compile(rf"^(?P<pub>.+?)\s*\|\s*(?P<date>{DATE})$")
DATE_AFTER_BAR = re.compile(rf"^\|\s*(?P<date>{DATE})$")
# Stray extractor noise: image placeholders and Markdown image lines.
NOISE = re.compile(r"^(?:image|img|\[image\]|!\[[^\]]*\]\([^)]*\))$", re.I)
SLUG_JUNK = re.compile(r"[^A-Z0-9]+")


def slugify(headline: str) -> str:
    """The site's story slug: "I'm far happier" -> "I-M-FAR-HAPPIER"."""
    return SLUG_JUNK.sub("-", headline.upper()).strip("-")


def repair(text: str) -> str:
    """Mojibake repair (UTF-8 read as Windows-1252), only on text that looks broken:
    ftfy's badness check is one regex, its repair is the costly part."""
    return ftfy.fix_text(text) if is_bad(text) else text


@dataclass
class Header:
    shape: str  # "classic", "2025" or "none"
    end: int  # index of the first line after the header
    title: str | None = None
    publication: str | None = None
    issue_label: str | None = None
    standfirst: str | None = None
    byline: str | None = None


@dataclass(frozen=True)
class Card:
    title: str
    summary: str | None
    meta: tuple[str, ...] = ()  # the card's metadata lines: "5 mins |", "November 07, 2024"


class DumpPage:
    def __init__(self, url: str, text: str, matcher: PromptMatcher) -> None:
        self.url = url
        self.story_url = parse_story_url(url)
        self.lines = [
            line
            for line in (collapse(raw) for raw in repair(text).splitlines())
            if line and not NOISE.match(line)
        ]
        self.matches = matcher.scan(self.lines)
        self.facts = next(
            (m.facts for m in self.matches if m and m.facts and m.facts.has_values), None
        )
        self.header = self._header()
        self.body_end, self.teaser_start = self._body_bounds()
        self.cards, self.teaser_shape = self._cards()

    # -- segmentation ---------------------------------------------------------------------

    def _kind(self, index: int) -> str | None:
        match = self.matches[index] if 0 <= index < len(self.matches) else None
        return match.kind if match else None

    def _header(self) -> Header:
        lines = self.lines
        if self._kind(0) == "try_gold" and len(lines) > 4:
            date = DATE_AFTER_BAR.match(lines[3])
            if date:
                return Header("2025", 5, lines[1], lines[2], date["date"], standfirst=lines[4])
        if len(lines) > 2 and not self.matches[1]:
            source = CLASSIC_SOURCE.match(lines[1])
            if source:
                end, byline = 3, None
                if len(lines) > 3 and _looks_like_byline(lines[3]) and not self.matches[3]:
                    end, byline = 4, lines[3]
                if len(lines) > end and lines[end] == lines[0]:
                    end += 1  # the title printed again
                return Header(
                    "classic", end, lines[0], source["pub"], source["date"], lines[2], byline
                )
        return Header("none", 1 if self._kind(0) == "try_gold" else 0)

    def _body_bounds(self) -> tuple[int, int]:
        """(first line after the body, first line of the teaser list)."""
        start = self.header.end
        for index in range(start, len(self.lines)):
            kind = self._kind(index)
            if kind in BODY_END_KINDS:
                tail = index
                while tail < len(self.lines) and self._kind(tail) in BODY_END_KINDS | {"try_gold"}:
                    tail += 1
                return index, tail
            if kind == "card_meta":  # no prompt, no heading: the first card tells
                first_card = self._card_start(index, start)
                return first_card, first_card
        return len(self.lines), len(self.lines)

    def _card_start(self, meta: int, floor: int) -> int:
        """Where the card whose first metadata line is ``meta`` begins."""
        publication = (self.publication or "").casefold()
        for index in range(meta - 1, max(floor, meta - 5) - 1, -1):
            if publication and self.lines[index].casefold() == publication:
                # blank shape: Headline / Publication / Headline again
                before, after = index - 1, index + 1
                if before >= floor and after < meta and self.lines[before] == self.lines[after]:
                    return before
                return index
        return max(floor, meta - 2)

    def _cards(self) -> tuple[list[Card], str]:
        chunks: list[tuple[list[str], list[str]]] = []
        current: list[str] = []
        meta: list[str] = []
        has_meta = False
        for index in range(self.teaser_start, len(self.lines)):
            kind = self._kind(index)
            if kind == "card_meta":
                meta.append(self.lines[index])
                has_meta = True
                continue
            if kind is not None:
                continue  # a second prompt copy, a heading: interface, not a card
            if meta and current:
                chunks.append((current, meta))
                current, meta = [], []
            current.append(self.lines[index])
        if has_meta:
            complete = bool(meta)  # the last card reached its metadata
            if current:
                chunks.append((current, meta))
            cards = [self._card(lines, tuple(card_meta)) for lines, card_meta in chunks]
            if not complete and cards and cards[-1].summary is None:
                cards.pop()  # cut off before its summary began
            shape = "blank" if any(len(lines) >= 3 for lines, _ in chunks) else "2025"
            return [c for c in cards if c.title], shape
        pairs = [current[i : i + 2] for i in range(0, len(current), 2)]
        if pairs and len(pairs[-1]) < 2:
            pairs.pop()  # a headline whose summary never began: a truncated text
        return [Card(p[0], p[1]) for p in pairs], "classic" if pairs else "none"

    def _card(self, chunk: list[str], meta: tuple[str, ...] = ()) -> Card:
        publication = (self.publication or "").casefold()
        lines = [line for line in chunk if line.casefold() != publication]
        deduped = [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
        if not deduped:
            return Card("", None)
        summary = " ".join(deduped[1:]) or None
        return Card(deduped[0], summary, meta)

    # -- fields ---------------------------------------------------------------------------

    @property
    def header_shape(self) -> str:
        return self.header.shape

    @property
    def publication(self) -> str | None:
        """The header's, else the edition line's; only when nothing names it, the URL's slug."""
        if self.header.publication:
            return self.header.publication
        if self.facts and self.facts.publication:
            return self.facts.publication
        if self.story_url:
            return self.story_url.publication_slug.replace("-", " ")
        return None

    def _own_card(self) -> Card | None:
        if self.story_url is None:
            return None
        slug = self.story_url.slug.upper()
        return next((c for c in self.cards if slugify(c.title) == slug), None)

    def body_lines(self) -> list[str]:
        """Body paragraphs as printed, the prompt lines that close it included."""
        return [
            line
            for index, line in enumerate(self.lines[self.header.end : self.teaser_start])
            if self._kind(self.header.end + index) != "more_stories"
        ]

    def article(self, crawled_at: str) -> Article | None:
        body = join_paragraphs(self.body_lines())
        if not body:
            return None
        own = self._own_card()
        facts = self.facts or EditionFacts(None, None, None)
        label = self.header.issue_label or facts.issue_label
        canonical = canonical_story_url(self.url)
        return Article(
            id=article_id(canonical) if canonical else article_id(self.url),
            url=self.url,
            canonical_url=canonical,
            locale=self.story_url.locale if self.story_url else None,
            title=self.header.title or (own.title if own else None),
            standfirst=self.header.standfirst or (own.summary if own else None),
            authors=[self.header.byline] if self.header.byline else [],
            publication=self.publication,
            issue_date=parse_issue_date(label) if label else None,
            issue_label=label,
            category=self.story_url.category if self.story_url else None,
            body=body,
            word_count=word_count(body),
            is_preview=any(m is not None and m.kind in BODY_END_KINDS for m in self.matches),
            source="dump",
            crawled_at=crawled_at,
        )

    def teasers(self) -> list[Teaser]:
        publication = self.publication
        return [
            Teaser(
                id=teaser_id(None, publication, card.title),
                title=card.title,
                summary=card.summary,
                publication=publication,
                issue_date=_card_date(card.meta),
                read_time_minutes=read_time_minutes(" ".join(card.meta)),
                source_url=self.url,
                position=position,
            )
            for position, card in enumerate(self.cards, 1)
        ]


def _card_date(meta: tuple[str, ...]) -> str | None:
    label = next((line for line in meta if re.fullmatch(DATE, line)), None)
    return parse_issue_date(label) if label else None


def _looks_like_byline(line: str) -> bool:
    """A short name line ("By Helen Coffey", "Vir Sanghvi"): no sentence punctuation."""
    words = line.split()
    return 0 < len(words) <= 6 and not re.search(r"[.!?:;]$", line)
