"""A story page as a text extractor saved it (web-text corpora): text in, items out.

The text is segmented into its parts (see ../shared/prompts-observed.md, "Shapes"):

    [header]  classic: Title / Publication|Date / standfirst / byline (/ Title again)
              2025:    Try-GOLD line / Title / Publication / |Date / standfirst
    body      paragraphs, then the prompt block(s) and other interface lines
    teasers   an optional "more stories" heading, then cards in one of four shapes
              (``card_layouts``): classic, blank-line, 2025 and 2021

Like the HTML pages, the body keeps the prompt lines as printed: the prompt stage removes
them, fills ``prompt_language`` and counts them, for both sources alike. What this class
does read from the prompt is where the body ends and the edition line's facts.

Everything is one pass or a constant look-around per line: the matcher's scan, then the
header (first lines), the body bounds (first interface line) and the cards (one pass).
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import unquote

from aggregator.items import Article, Teaser
from aggregator.pages.bylines import authors
from aggregator.pages.cards import RepeatCheck, make_teaser
from aggregator.pages.saved_text.base import BODY_END_KINDS, INTERFACE_RUN
from aggregator.pages.saved_text.card_layouts import Card
from aggregator.pages.saved_text.cards import CardReading, card_date, card_teaser_id
from aggregator.prompts import PromptMatcher
from aggregator.prompts.catalog import UNDETERMINED
from aggregator.site.dates import parse_issue_date
from aggregator.site.urls import StoryUrl, page_article_id, slug_key
from aggregator.utils.text import join_paragraphs


class SavedTextPage(CardReading):
    def __init__(
        self, url: str, text: str, matcher: PromptMatcher, story_url: StoryUrl | None = None
    ) -> None:
        """``story_url``: the parsed ``url``, when the caller has it already."""
        super().__init__(url, text, matcher, story_url)
        self.header = self._header()
        self.body_end, self.teaser_start = self._body_bounds()
        self.cards, self.teaser_shape = self._cards()

    def _body_bounds(self) -> tuple[int, int]:
        """(first line after the body, first line of the teaser list)."""
        start = self.header.end
        count = len(self.lines)
        for index in range(start, count):
            kind = self._kind(index)
            if kind in BODY_END_KINDS:
                tail = index + 1
                while tail < count and self._kind(tail) in INTERFACE_RUN:
                    tail += 1
                if tail < count and self._kind(tail) is None and self._is_heading(tail):
                    self.heading_index = tail
                    tail += 1
                return index, tail
            if kind == "card_meta":  # no prompt, no heading: the first card tells
                first_card = self._card_start(index, start)
                return first_card, first_card
        return count, count

    @property
    def publication(self) -> str | None:
        return self._publication[0]

    @cached_property
    def _publication(self) -> tuple[str | None, str]:
        """(publication, the rule that found it): the header's, else the edition line's
        (from a catalog template, or the words that spell the URL's slug), else the cards';
        only when nothing names it, the URL's slug."""
        if self.header.publication:
            return self.header.publication, "header"
        if self.facts is not None and self.facts.publication:
            return self.facts.publication, "edition"
        if self._edition_name:
            return self._edition_name, "edition_slug"
        own = self.own_card
        for card in (own, *self.cards) if own else self.cards:
            if card.publication:
                return card.publication, "card"
        if self.story_url:
            return unquote(self.story_url.publication_slug).replace("-", " "), "url_slug"
        return None, "none"

    @property
    def sources(self) -> dict[str, str]:
        """Which rule filled each field read from the text, for the stats
        (``aggregator/dumps/<field>/<source>``): what was read, what was guessed."""
        own = self.own_card
        header = f"header_{self.header.shape}"
        if self.header.issue_label:
            edition = header
        elif self.facts is None:
            edition = "none"
        else:
            edition = "edition_fallback" if self.facts_language == UNDETERMINED else "edition"
        return {
            "title": header if self.header.title else "own_card" if own else "none",
            "standfirst": header if self.header.standfirst else "own_card" if own else "none",
            "authors": header if self.header.byline else "none",
            "publication": self._publication[1],
            "edition": edition,
        }

    @cached_property
    def own_card(self) -> Card | None:
        """The teaser card of the page's own story: its headline slugified is the URL's slug."""
        if self.story_url is None:
            return None
        slug = slug_key(unquote(self.story_url.slug))
        return next((c for c in self.cards if slug_key(c.title) == slug), None) if slug else None

    def body_lines(self) -> list[str]:
        """Body paragraphs as printed, the prompt lines that close it included."""
        # (each line's kind read from the list: every index here is a line's, no bounds test)
        kinds, start, heading = self.kinds, self.header.end, self.heading_index
        return [
            line
            for index, line in enumerate(self.lines[start : self.teaser_start], start)
            if kinds[index] != "more_stories" and index != heading
        ]

    def article(self, crawled_at: str) -> Article | None:
        body = join_paragraphs(self.body_lines())
        if not body:
            return None
        self.matcher.expect(body, self.scanned)  # the body's lines are scanned already
        own = self.own_card
        if self.header.issue_label:
            label: str | None = self.header.issue_label
            issue_date = parse_issue_date(self.header.issue_label)
        else:
            label = self.facts.issue_label if self.facts else None
            issue_date = self.facts.issue_date if self.facts else None
        canonical = self.story_url.canonical_url if self.story_url else None
        return Article(
            id=page_article_id(canonical, self.url),
            url=self.url,
            canonical_url=canonical,
            locale=self.story_url.locale if self.story_url else None,
            title=self.header.title or (own.title if own else None),
            standfirst=self.header.standfirst or (own.summary if own else None),
            authors=authors(self.header.byline) if self.header.byline else [],
            publication=self.publication,
            issue_date=issue_date,
            issue_label=label,
            category=self.story_url.category if self.story_url else None,
            body=body,
            is_preview=self._top_preview_marks(),
            source="dump",
            crawled_at=crawled_at,
        )

    def teasers(self, skip: RepeatCheck | None = None) -> list[Teaser]:
        """The cards as teasers. ``skip``: a card whose teaser ``skip`` says was exported
        already is not built (its id is its publication and title); it keeps its place in
        the positions of the cards after it."""
        page_publication = self.publication
        teasers = []
        for position, card in enumerate(self.cards, 1):
            publication = card.publication or page_publication
            if skip is not None and skip(card_teaser_id(publication, card.title)):
                continue
            teasers.append(
                make_teaser(
                    source_url=self.url,
                    title=card.title,
                    summary=card.summary,
                    url=None,  # a saved text keeps no links
                    publication=publication,
                    issue_date=card_date(card.meta),
                    read_time=" ".join(card.meta),
                    position=position,
                )
            )
        return teasers
