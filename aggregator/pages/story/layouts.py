"""The known layouts of a story page, one class each: a layout is its selectors, so a new site
layout is a subclass that names its own (``LAYOUTS`` lists them, the most specific first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from parsel import Selector
from scrapy.http import TextResponse

from aggregator.items import Teaser
from aggregator.pages.bylines import strip_by
from aggregator.pages.cards import CardMarkup, RepeatCheck, contract_cards, read_cards
from aggregator.pages.select import (
    element_text,
    first_value,
    has_class,
    mentions,
    page_index,
    select_in,
)
from aggregator.pages.story.fields import StoryFields
from aggregator.site.dates import issue_date
from aggregator.site.links import resolve_link


class ClassicLayout:
    """``article.story > .story-head + .story-body``; prompt at the end of the body.

    A layout is its selectors: a new site layout is a subclass that names its own.
    """

    name = "classic"
    detect = "article.story .story-body"
    head = "article.story .story-head"
    title = ".story-title"
    standfirst = ".story-standfirst"
    byline = ".story-byline"
    publication = ".story-magazine"
    issue_link = "a.story-magazine::attr(href)"
    issue_date = ".story-issue-date time"
    paragraphs = "article.story .story-body > p"
    preview_marks = ".paywall-overlay, .price-banner"
    # the class names of preview_marks: a page whose text holds neither has no such element
    preview_classes = ("paywall-overlay", "price-banner")
    cards: ClassVar[CardMarkup] = contract_cards("section.more-stories")

    def matches(self, selector: Selector, has: Callable[[str], bool] | None = None) -> bool:
        """Whether the page is in this layout; ``has``: whether a CSS selector selects
        anything on the page, remembered across the layouts tried (they share selectors)."""
        return (has or has_selector(selector))(self.detect)

    def read(self, response: TextResponse, have: StoryFields | None = None) -> StoryFields:
        """The layout's fields; given ``have`` (what JSON-LD found), only those it left
        empty: ``fill_from`` would keep the others, and the body's paragraphs are most of
        the reading."""

        def wanted(name: str) -> bool:
            return have is None or not getattr(have, name)

        # compiled selectors on lxml elements: the same queries as Selector.css, without a
        # Selector per result; the whole-page ones from the page's one walk (``PageIndex``:
        # a story page with its site chrome holds 2,000+ elements)
        index = page_index(response.selector.root)
        head = index.select(self.head)
        time = select_in(head, self.issue_date)
        label = element_text(*time)
        found = StoryFields(
            issue_date=issue_date(time[0].get("datetime") if time else None, label),
            issue_label=label,
            issue_url=resolve_link(response, first_value(select_in(head, self.issue_link))),
        )
        if wanted("title"):
            found.title = element_text(*select_in(head, self.title))
        if wanted("standfirst"):
            found.standfirst = element_text(*select_in(head, self.standfirst))
        if wanted("authors"):
            bylines = (strip_by(element_text(b)) for b in select_in(head, self.byline))
            found.authors = [a for a in bylines if a]
        if wanted("publication"):
            found.publication = element_text(*select_in(head, self.publication))
        if wanted("paragraphs"):
            paragraphs = (element_text(p) for p in index.select(self.paragraphs))
            found.paragraphs = [p for p in paragraphs if p]
        if wanted("is_preview"):
            found.is_preview = True if self._preview(response) else None
        return found

    def _preview(self, response: TextResponse) -> bool:
        """Whether an element has a class of ``preview_classes`` (the ``preview_marks``
        selector). The selector tests every element of the page (costly with the site chrome);
        this reads the class attributes that hold the names (``has_class``), and only when
        a name occurs in the page's text at all (a class spelt with character references
        would be missed: no page does that)."""
        names = [name for name in self.preview_classes if mentions(response, name)]
        return bool(names) and has_class(response.selector.root, names)

    def teasers(self, response: TextResponse, skip: RepeatCheck | None = None) -> list[Teaser]:
        return read_cards(response, self.cards, skip=skip)


class Gold2025Layout(ClassicLayout):
    """The 2025 layout: the classic markup plus a ``div.gold-cta`` line, prompt printed once."""

    name = "gold2025"

    def matches(self, selector: Selector, has: Callable[[str], bool] | None = None) -> bool:
        has = has or has_selector(selector)
        return super().matches(selector, has) and has("div.gold-cta")


class ReaderLayout(ClassicLayout):
    """The reader view: ``main.reader .rd-article``, a kicker with publication and date,
    cards as ``a.rd-card`` links. Its date is printed without a machine-readable twin."""

    name = "reader"
    detect = "main.reader .rd-article .rd-text"
    head = "main.reader .rd-article"
    title = ".rd-headline"
    standfirst = ".rd-dek"
    byline = ".rd-author"
    publication = ".rd-pub"
    issue_link = "a.rd-pub::attr(href)"
    issue_date = ".rd-when"
    paragraphs = "main.reader .rd-article .rd-text > p"
    cards: ClassVar[CardMarkup] = CardMarkup(
        card="a.rd-card",
        title=".rd-card-title",
        link="a.rd-card",
        summary=".rd-card-sum",
        publication=".rd-card-pub",
        read_time=".rd-card-time",
        date=".rd-card-date",
    )


def has_selector(selector: Selector) -> Callable[[str], bool]:
    """``has(css)``: whether ``css`` selects anything on the page, each selector run once
    (``PageIndex.select``: from the page's one walk)."""
    index = page_index(selector.root)

    def has(css: str) -> bool:
        return bool(index.select(css))

    return has


LAYOUTS: tuple[ClassicLayout, ...] = (Gold2025Layout(), ClassicLayout(), ReaderLayout())
