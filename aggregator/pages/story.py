"""A story page, read along three paths in order: JSON-LD, a known layout, a generic fallback.

Each path fills what it can; a later path only fills fields the earlier ones left empty.
The body is taken as the page prints it (subscription prompt included): cleaning is the
pipelines' job. ``StoryPage.path`` tells which path gave the body, for the crawl's stats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from parsel import Selector
from scrapy.http import TextResponse

from aggregator.dates import issue_date
from aggregator.items import Article, Teaser
from aggregator.pages.base import (
    CardMarkup,
    JsonObject,
    contract_cards,
    first,
    jsonld_of_type,
    make_teaser,
    read_cards,
    resolve_link,
    text_of,
)
from aggregator.text import collapse, join_paragraphs
from aggregator.urls import article_id, canonical_story_url, parse_story_url, stable_id


@dataclass
class StoryFields:
    """What one reading path found. None (or empty) means: not found on this path."""

    title: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    publication: str | None = None
    issue_date: str | None = None
    issue_label: str | None = None
    issue_url: str | None = None
    category: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    is_preview: bool | None = None

    def fill_from(self, other: StoryFields) -> None:
        for f in fields(self):
            if not getattr(self, f.name) and getattr(other, f.name):
                setattr(self, f.name, getattr(other, f.name))


def _dict(value: Any) -> JsonObject:
    return value if isinstance(value, dict) else {}


def _author_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(collapse(name))
    return names


class JsonLdPath:
    """The ``NewsArticle`` block, which every layout has carried so far."""

    name = "jsonld"

    def read(self, response: TextResponse) -> StoryFields | None:
        ld = jsonld_of_type(response.selector, "NewsArticle", "Article")
        if ld is None:
            return None
        issue = _dict(ld.get("isPartOf"))
        periodical = _dict(issue.get("isPartOf"))
        body = ld.get("articleBody")
        free = ld.get("isAccessibleForFree")
        return StoryFields(
            title=_str(ld.get("headline")),
            standfirst=_str(ld.get("description")),
            authors=_author_names(ld.get("author")),
            publication=_str(periodical.get("name")),
            issue_date=issue_date(_str(issue.get("datePublished")), None),
            category=_str(ld.get("articleSection")),
            paragraphs=_paragraphs(body),
            language=_str(ld.get("inLanguage")),
            canonical_url=_str(ld.get("url")),
            is_preview=(free is False or free == "False") if free is not None else None,
        )


def _paragraphs(body: Any) -> list[str]:
    return [p for p in body.split("\n\n") if p.strip()] if isinstance(body, str) else []


def _str(value: Any) -> str | None:
    return collapse(value) or None if isinstance(value, str) else None


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
    cards: ClassVar[CardMarkup] = contract_cards("section.more-stories")

    def matches(self, selector: Selector) -> bool:
        return bool(selector.css(self.detect))

    def read(self, response: TextResponse) -> StoryFields:
        head = response.css(self.head)
        time = head.css(self.issue_date)
        label = text_of(time)
        paragraphs = [text_of(p) for p in response.css(self.paragraphs)]
        bylines = (_strip_by(text_of(b)) for b in head.css(self.byline))
        return StoryFields(
            title=text_of(head.css(self.title)),
            standfirst=text_of(head.css(self.standfirst)),
            authors=[a for a in bylines if a],
            publication=text_of(head.css(self.publication)),
            issue_date=issue_date(time.attrib.get("datetime"), label),
            issue_label=label,
            issue_url=resolve_link(response, head.css(self.issue_link).get()),
            paragraphs=[p for p in paragraphs if p],
            is_preview=True if response.css(self.preview_marks) else None,
        )

    def teasers(self, response: TextResponse) -> list[Teaser]:
        return read_cards(response, self.cards)


class Gold2025Layout(ClassicLayout):
    """The 2025 layout: the classic markup plus a ``div.gold-cta`` line, prompt printed once."""

    name = "gold2025"

    def matches(self, selector: Selector) -> bool:
        return super().matches(selector) and bool(selector.css("div.gold-cta"))


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


_BY = re.compile(r"^by\s+", re.I)


def _strip_by(byline: str | None) -> str | None:
    return _BY.sub("", byline) if byline else None


class GenericPath:
    """For a layout with unknown class names: a redesign must not silently lose articles.

    The headline is the ``h1``, the body the longest run of sibling paragraphs under
    ``article``/``main``, the teasers the links to other story pages.
    """

    name = "generic"

    def read(self, response: TextResponse) -> StoryFields:
        title = text_of(
            first(response.selector, "article h1") or first(response.selector, "main h1")
        )
        title = title or text_of(first(response.selector, "h1"))
        return StoryFields(
            title=title,
            standfirst=_str(response.css('meta[property="og:description"]::attr(content)').get()),
            paragraphs=self._longest_paragraph_run(response),
        )

    @staticmethod
    def _longest_paragraph_run(response: TextResponse) -> list[str]:
        best: list[str] = []
        best_length = 0
        parents = response.xpath("//article[p] | //article//*[p] | //main[p] | //main//*[p]")
        for parent in parents:
            run: list[str] = []
            for child in [*parent.xpath("./*"), None]:
                # a paragraph that links to another story is a card, not article text
                is_text = (
                    child is not None
                    and child.root.tag == "p"
                    and not _links_to_story(response, child)
                )
                if is_text:
                    text = text_of(child)
                    if text:
                        run.append(text)
                    continue
                length = sum(map(len, run))
                if length > best_length:
                    best, best_length = run, length
                run = []
        return best

    def teasers(self, response: TextResponse, own_canonical: str | None) -> list[Teaser]:
        teasers: list[Teaser] = []
        seen: set[str] = set()
        for anchor in response.xpath("//a[@href]"):
            url = resolve_link(response, anchor.attrib.get("href"))
            canonical = canonical_story_url(url) if url else None
            if not canonical or canonical == own_canonical or canonical in seen:
                continue
            heading = anchor.xpath(".//h2 | .//h3 | .//h4 | .//strong")
            title = text_of(heading[0] if heading else anchor)
            if not title:
                continue
            seen.add(canonical)
            card = _card_around(anchor)
            teasers.append(
                make_teaser(
                    source_url=response.url,
                    title=title,
                    summary=_card_summary(card, title),
                    url=url,
                    publication=None,
                    issue_date=None,
                    read_time=_card_read_time(card),
                    position=len(teasers) + 1,
                )
            )
        return teasers


def _card_around(anchor: Selector) -> Selector:
    """The card a story link sits in: its parent when the parent holds no other link."""
    parent = anchor.xpath("..")
    if parent and len(parent[0].xpath(".//a[@href]")) == 1:
        return parent[0]
    return anchor


_READ_TIME = re.compile(r"^\d+\s*mins?\b", re.I)


def _card_summary(card: Selector, title: str) -> str | None:
    """The card's longest text that is neither its title nor a read-time line."""
    texts = (collapse(t) for t in card.xpath(".//text()").getall())
    candidates = [t for t in texts if t and t != title and not _READ_TIME.match(t)]
    best = max(candidates, key=len, default=None)
    return best if best and len(best.split()) >= 4 else None


def _card_read_time(card: Selector) -> str | None:
    texts = (collapse(t) for t in card.xpath(".//text()").getall())
    return next((t for t in texts if _READ_TIME.match(t)), None)


def _links_to_story(response: TextResponse, node: Selector) -> bool:
    return any(
        parse_story_url(resolve_link(response, href) or "")
        for href in node.xpath(".//a/@href").getall()
    )


LAYOUTS: tuple[ClassicLayout, ...] = (Gold2025Layout(), ClassicLayout(), ReaderLayout())


class StoryPage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response
        self.layout = next((lay for lay in LAYOUTS if lay.matches(response.selector)), None)
        self.fields, self.path = self._read()

    def _read(self) -> tuple[StoryFields, str]:
        merged = StoryFields()
        path = "none"
        readings: list[tuple[str, StoryFields | None]] = [
            ("jsonld", JsonLdPath().read(self.response)),
        ]
        if self.layout is not None:
            readings.append((self.layout.name, self.layout.read(self.response)))
        for name, reading in readings:
            if reading is None:
                continue
            if not merged.paragraphs and reading.paragraphs:
                path = name
            merged.fill_from(reading)
        if not merged.paragraphs or not merged.title:
            generic = GenericPath().read(self.response)
            if not merged.paragraphs and generic.paragraphs:
                path = "generic"
            merged.fill_from(generic)
        # JSON-LD stores a monthly as YYYY-MM-01; the printed label tells the precision
        merged.issue_date = issue_date(merged.issue_date, merged.issue_label)
        return merged, path

    @property
    def canonical_url(self) -> str | None:
        declared = self.response.css('link[rel="canonical"]::attr(href)').get()
        for candidate in (declared, self.response.url, self.fields.canonical_url):
            canonical = canonical_story_url(candidate) if candidate else None
            if canonical:
                return canonical
        return None

    def article(self, crawled_at: str) -> Article:
        f = self.fields
        canonical = self.canonical_url
        parsed = parse_story_url(self.response.url)
        body = join_paragraphs(f.paragraphs)
        return Article(
            id=article_id(canonical) if canonical else stable_id("url", self.response.url),
            url=self.response.url,
            canonical_url=canonical,
            locale=parsed.locale if parsed else None,
            title=f.title,
            standfirst=f.standfirst,
            authors=f.authors,
            publication=f.publication,
            issue_date=f.issue_date,
            issue_label=f.issue_label,
            issue_url=f.issue_url,
            category=f.category or (parsed.category if parsed else None),
            body=body,
            language=f.language,
            is_preview=bool(f.is_preview),
            source="html",
            crawled_at=crawled_at,
        )

    def teasers(self) -> list[Teaser]:
        if self.layout is not None:
            return self.layout.teasers(self.response)
        return GenericPath().teasers(self.response, self.canonical_url)


__all__ = [
    "ClassicLayout",
    "GenericPath",
    "Gold2025Layout",
    "JsonLdPath",
    "ReaderLayout",
    "StoryPage",
]
