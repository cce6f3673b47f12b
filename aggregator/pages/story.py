"""A story page, read along three paths in order: JSON-LD, a known layout, a generic fallback.

Each path fills what it can; a later path only fills fields the earlier ones left empty.
The body is taken as the page prints it (subscription prompt included): cleaning is the
pipelines' job. ``StoryPage.path`` tells which path gave the body, for the crawl's stats.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, ClassVar

from lxml import etree
from parsel import Selector
from scrapy.http import TextResponse

from aggregator.items import Article, Teaser
from aggregator.pages.base import (
    CardMarkup,
    JsonObject,
    RepeatCheck,
    contract_cards,
    element_text,
    find,
    first_value,
    has_class,
    jsonld_of_type,
    make_teaser,
    mentions,
    names_scheme,
    read_cards,
    resolve_link,
    select,
    select_in,
)
from aggregator.site.dates import issue_date
from aggregator.site.urls import (
    article_id,
    canonical_story_url,
    parse_story_url,
    stable_id,
    teaser_id,
)
from aggregator.utils.text import collapse, join_paragraphs


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
    # the class names of preview_marks: a page whose text holds neither has no such element
    preview_classes = ("paywall-overlay", "price-banner")
    cards: ClassVar[CardMarkup] = contract_cards("section.more-stories")

    def matches(self, selector: Selector, has: Callable[[str], bool] | None = None) -> bool:
        """Whether the page is in this layout; ``has``: whether a CSS selector selects
        anything on the page, remembered across the layouts tried (they share selectors)."""
        return (has or _has(selector))(self.detect)

    def read(self, response: TextResponse, have: StoryFields | None = None) -> StoryFields:
        """The layout's fields; given ``have`` (what JSON-LD found), only those it left
        empty: ``fill_from`` would keep the others, and the body's paragraphs are most of
        the reading."""

        def wanted(name: str) -> bool:
            return have is None or not getattr(have, name)

        # compiled selectors on lxml elements: the same queries as Selector.css, without a
        # Selector per result (a story page with its site chrome holds 2,000+ elements)
        root = response.selector.root
        head = select(root, self.head)
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
            bylines = (_strip_by(element_text(b)) for b in select_in(head, self.byline))
            found.authors = [a for a in bylines if a]
        if wanted("publication"):
            found.publication = element_text(*select_in(head, self.publication))
        if wanted("paragraphs"):
            paragraphs = (element_text(p) for p in select(root, self.paragraphs))
            found.paragraphs = [p for p in paragraphs if p]
        if wanted("is_preview"):
            found.is_preview = True if self._preview(response) else None
        return found

    def _preview(self, response: TextResponse) -> bool:
        """Whether an element has a class of ``preview_classes`` (the ``preview_marks``
        selector). The selector tests every element of the page (3 ms with the site chrome);
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
        has = has or _has(selector)
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
        root = response.selector.root
        heading = find(root, "article h1")
        if heading is None:
            heading = find(root, "main h1")
        title = element_text(heading) or element_text(find(root, "h1"))
        return StoryFields(
            title=title,
            standfirst=_str(first_value(select(root, _OG_DESCRIPTION))),
            paragraphs=self._longest_paragraph_run(response),
        )

    @staticmethod
    def _longest_paragraph_run(response: TextResponse) -> list[str]:
        best: list[str] = []
        best_length = 0
        for parent in _PARAGRAPH_PARENTS(response.selector.root):
            run: list[str] = []
            for child in [*parent.iterchildren(etree.Element), None]:
                # a paragraph that links to another story is a card, not article text
                is_text = (
                    child is not None and child.tag == "p" and not _links_to_story(response, child)
                )
                if is_text:
                    text = element_text(child)
                    if text:
                        run.append(text)
                    continue
                length = sum(map(len, run))
                if length > best_length:
                    best, best_length = run, length
                run = []
        return best

    def teasers(
        self, response: TextResponse, own_canonical: str | None, skip: RepeatCheck | None = None
    ) -> list[Teaser]:
        """Links to other story pages, in page order; ``skip`` as for ``read_cards``."""
        teasers: list[Teaser] = []
        seen: set[str] = set()
        position = 0
        # the links that may name a story, chosen inside libxml2: an element of an lxml.html
        # tree costs a Python class lookup, and a page's site chrome holds hundreds of
        # root-relative links that name no story (the XPath keeps a superset of them)
        for anchor in _STORY_LINK_CANDIDATES(response.selector.root):
            href = anchor.get("href")
            if not _may_name_story(href):
                continue
            url = resolve_link(response, href)
            canonical = canonical_story_url(url) if url else None
            if not canonical or canonical == own_canonical or canonical in seen:
                continue
            heading = _HEADINGS(anchor)
            title = element_text(heading[0] if heading else anchor)
            if not title:
                continue
            seen.add(canonical)
            position += 1
            if skip is not None and skip(teaser_id(canonical, None, title)):
                continue
            card = _card_around(anchor)
            texts = [collapse(t) for t in _TEXTS(card)]
            teasers.append(
                make_teaser(
                    source_url=response.url,
                    title=title,
                    summary=_card_summary(texts, title),
                    url=url,
                    publication=None,
                    issue_date=None,
                    read_time=_card_read_time(texts),
                    position=position,
                    canonical=canonical,
                )
            )
        return teasers


_OG_DESCRIPTION = 'meta[property="og:description"]::attr(content)'
_PARAGRAPH_PARENTS = etree.XPath("//article[p] | //article//*[p] | //main[p] | //main//*[p]")
_STORY_LINK_CANDIDATES = etree.XPath(
    "//a[@href][contains(@href, 'stories/') or not(starts-with(normalize-space(@href), '/'))]"
)
_HEADINGS = etree.XPath(".//h2 | .//h3 | .//h4 | .//strong")
_TEXTS = etree.XPath(".//text()")
_HREFS = etree.XPath(".//a/@href")
_CANONICAL = 'link[rel="canonical"]::attr(href)'
_HEAD_CANONICAL = etree.XPath("/html/head//link[@rel = 'canonical']/@href")


def _may_name_story(href: str | None) -> bool:
    """False for a link that cannot resolve to a story page, decided without resolving it: a
    story path holds ``stories/``, and an absolute or root-relative link keeps its path as
    written. (A page's site chrome holds hundreds of links; resolving each cost more than
    the rest of the page.)"""
    if not href:
        return False
    if "stories/" in href:
        return True
    written = href.lstrip()
    return not (written.startswith("/") or names_scheme(written))


def _card_around(anchor: Any) -> Any:
    """The card a story link sits in: its parent when the parent holds no other link."""
    parent = anchor.getparent()
    if parent is not None and len(_LINKS_UNDER(parent)) == 1:
        return parent
    return anchor


_LINKS_UNDER = etree.XPath(".//a[@href]")
_READ_TIME = re.compile(r"^\d+\s*mins?\b", re.I)


def _card_summary(texts: list[str], title: str) -> str | None:
    """The card's longest text that is neither its title nor a read-time line."""
    candidates = [t for t in texts if t and t != title and not _READ_TIME.match(t)]
    best = max(candidates, key=len, default=None)
    return best if best and len(best.split()) >= 4 else None


def _card_read_time(texts: list[str]) -> str | None:
    return next((t for t in texts if _READ_TIME.match(t)), None)


def _links_to_story(response: TextResponse, node: Any) -> bool:
    return any(parse_story_url(resolve_link(response, str(href)) or "") for href in _HREFS(node))


def _has(selector: Selector) -> Callable[[str], bool]:
    """``has(css)``: whether ``css`` selects anything on the page, each selector run once."""
    found: dict[str, bool] = {}

    def has(css: str) -> bool:
        if css not in found:
            found[css] = bool(select(selector.root, css))
        return found[css]

    return has


LAYOUTS: tuple[ClassicLayout, ...] = (Gold2025Layout(), ClassicLayout(), ReaderLayout())


class StoryPage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response
        has = _has(response.selector)
        self.layout = next((lay for lay in LAYOUTS if lay.matches(response.selector, has)), None)
        self.fields, self.path = self._read()

    def _read(self) -> tuple[StoryFields, str]:
        merged = StoryFields()
        path = "none"
        jsonld = JsonLdPath().read(self.response)
        if jsonld is not None:
            path = "jsonld" if jsonld.paragraphs else path
            merged.fill_from(jsonld)
        if self.layout is not None:
            reading = self.layout.read(self.response, have=merged)
            if not merged.paragraphs and reading.paragraphs:
                path = self.layout.name
            merged.fill_from(reading)
        if not merged.paragraphs or not merged.title:
            generic = GenericPath().read(self.response)
            if not merged.paragraphs and generic.paragraphs:
                path = "generic"
            merged.fill_from(generic)
        # JSON-LD stores a monthly as YYYY-MM-01; the printed label tells the precision
        merged.issue_date = issue_date(merged.issue_date, merged.issue_label)
        return merged, path

    @cached_property
    def canonical_url(self) -> str | None:
        # head first: a canonical link there is the page's first (head precedes body)
        root = self.response.selector.root
        declared = first_value(_HEAD_CANONICAL(root) or select(root, _CANONICAL))
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

    def teasers(self, skip: RepeatCheck | None = None) -> list[Teaser]:
        """The page's teaser cards; ``skip``: see ``read_cards`` (the spider passes the
        repeat check of ``RepeatTeasersMiddleware``, so repeats are not built)."""
        if self.layout is not None:
            return self.layout.teasers(self.response, skip)
        return GenericPath().teasers(self.response, self.canonical_url, skip)


__all__ = [
    "ClassicLayout",
    "GenericPath",
    "Gold2025Layout",
    "JsonLdPath",
    "ReaderLayout",
    "StoryPage",
]
