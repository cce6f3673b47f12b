"""Teaser cards in HTML: where a layout prints them (``CardMarkup``), and reading them into
``Teaser`` items."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass
from functools import lru_cache
from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from aggregator.items import Teaser
from aggregator.pages.select import CLASS_SEPARATORS, element_text, find, page_index
from aggregator.site.dates import issue_date
from aggregator.site.links import quick_canonical, resolve_link
from aggregator.site.urls import article_id, canonical_story_url, parse_story_url, teaser_id

# A card's read time as printed ("5 min read", "7 mins", "12 MINS"): one pattern for every
# layout and the generic path.
READ_TIME = re.compile(r"(\d+)\s*mins?\b", re.I)


@lru_cache(maxsize=4096)
def repeat_key(href: str) -> str | None:
    """The teaser id of a card that links ``href`` (``teaser_id`` of its ``quick_canonical``:
    the title does not count then), or None when that takes resolving the link. Remembered:
    an issue's cards are on every one of its story pages, and the URL parse and the hash
    were a third of reading them."""
    quick = quick_canonical(href)
    return teaser_id(quick, None, "") if quick else None


def read_time_minutes(label: str | None) -> int | None:
    match = READ_TIME.search(label or "")
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class CardMarkup:
    """Where a layout prints its teaser cards and each card's parts."""

    card: str
    title: str
    link: str
    summary: str
    publication: str
    read_time: str
    date: str


def contract_cards(section: str) -> CardMarkup:
    """The markup contract's ``li.story-card`` inside ``section``."""
    return CardMarkup(
        card=f"{section} li.story-card",
        title=".card-title",
        link="a.card-link",
        summary=".card-summary",
        publication=".card-magazine",
        read_time=".card-read-time",
        date="time.card-date",
    )


# The parts of a card, in CardMarkup's order after ``card``: title, link, summary,
# publication, read time, date (each the first element under the card, or None).
CardParts = Callable[[Any], list[Any]]

# ``tag.class`` or ``.class``: a part's selector that one walk of the card can test
_SIMPLE = re.compile(r"([a-z][a-z0-9]*)?\.([A-Za-z_][A-Za-z0-9_-]*)")


@lru_cache(maxsize=32)
def card_parts(markup: CardMarkup) -> CardParts:
    """``parts(card)``: the first element under ``card`` (itself included, as the CSS
    selectors' ``descendant-or-self`` has it) that each part's selector selects. When every
    part is a ``tag.class`` or ``.class`` selector, one walk of the card tests them all,
    instead of a compiled query per part and card (six a card, each lxml's fixed cost on
    a few elements)."""
    selectors = astuple(markup)[1:]
    simple = [_SIMPLE.fullmatch(css) for css in selectors]
    if not all(simple):

        def by_query(card: Any) -> list[Any]:
            return [find(card, css) for css in selectors]

        return by_query
    wanted = [(m.group(1), m.group(2)) for m in simple if m is not None]

    def by_walk(card: Any) -> list[Any]:
        found: list[Any] = [None] * len(wanted)
        missing = len(wanted)
        for element in card.iter(etree.Element):
            value = element.get("class")
            if value is None:
                continue
            classes = CLASS_SEPARATORS.split(value)
            for index, (tag, name) in enumerate(wanted):
                if found[index] is None and name in classes and (tag is None or element.tag == tag):
                    found[index] = element
                    missing -= 1
            if not missing:
                break
        return found

    return by_walk


# Whether a teaser of this id was exported already (``RepeatTeasersMiddleware.is_repeat``).
RepeatCheck = Callable[[str], bool]


def read_cards(
    response: TextResponse,
    markup: CardMarkup,
    publication: str | None = None,
    skip: RepeatCheck | None = None,
) -> list[Teaser]:
    """The page's teaser cards, in page order; ``publication`` when a card names none.

    ``skip``: a card whose link names a story whose teaser ``skip`` says was exported already
    is not read further (its id comes from the link alone); it keeps its place in the
    positions of the cards after it."""
    teasers: list[Teaser] = []
    position = 0
    parts = card_parts(markup)
    for card in page_index(response.selector.root).select(markup.card):
        title_el, link_el, summary, publication_el, read_time, date = parts(card)
        title = element_text(title_el)
        if not title:
            continue
        position += 1
        link = card if card.tag == "a" else link_el
        href = link.get("href") if link is not None else None
        if skip is not None and href:
            repeat = repeat_key(href)
            if repeat and skip(repeat):
                continue
        url = resolve_link(response, href)
        canonical = canonical_story_url(url) if url else None
        teasers.append(
            make_teaser(
                source_url=response.url,
                title=title,
                summary=element_text(summary),
                url=url,
                publication=element_text(publication_el) or publication,
                issue_date=issue_date(
                    date.get("datetime") if date is not None else None, element_text(date)
                ),
                read_time=element_text(read_time),
                position=position,
                canonical=canonical,
            )
        )
    return teasers


# Every teaser of a page is seen on that page's URL: parsed once a page, not once a card
# (StoryUrl is frozen, so the shared result cannot be changed by a caller).
_seen_on = lru_cache(maxsize=64)(parse_story_url)


def make_teaser(
    *,
    source_url: str,
    title: str,
    summary: str | None,
    url: str | None,
    publication: str | None,
    issue_date: str | None,
    read_time: str | None,
    position: int,
    canonical: str | None = None,
) -> Teaser:
    """A teaser; ``canonical``: the canonical URL of ``url`` when the caller has it already."""
    if canonical is None and url:
        canonical = canonical_story_url(url)
    target = parse_story_url(canonical) if canonical else None
    seen_on = _seen_on(source_url)
    return Teaser(
        id=teaser_id(canonical, publication, title),
        title=title,
        summary=summary,
        url=url,
        canonical_url=canonical,
        publication=publication,
        issue_date=issue_date,
        read_time_minutes=read_time_minutes(read_time),
        source_url=source_url,
        position=position,
        story_id=article_id(canonical) if canonical else None,
        category=target.category if target else None,
        locale=seen_on.locale if seen_on else None,
    )


def stamped(teasers: Iterable[Teaser], crawled_at: str) -> Iterator[Teaser]:
    """``teasers`` with ``crawled_at`` set: the time their page was read."""
    for teaser in teasers:
        teaser.crawled_at = crawled_at
        yield teaser
