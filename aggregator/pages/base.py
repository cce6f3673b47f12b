"""What every page class needs: JSON-LD, page-type detection, link resolution, card parsing."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath
from scrapy.http import TextResponse

from aggregator.items import Teaser
from aggregator.site.dates import issue_date
from aggregator.site.urls import article_id, canonical_story_url, parse_story_url, teaser_id
from aggregator.utils.text import collapse

JsonObject = dict[str, Any]


class PageType(StrEnum):
    CATALOG = "catalog"
    PUBLICATION = "publication"
    ISSUE = "issue"
    STORY = "story"


_BODY_CLASSES = {
    "catalog-page": PageType.CATALOG,
    "magazine-page": PageType.PUBLICATION,
    "issue-page": PageType.ISSUE,
    "story-page": PageType.STORY,
}
_JSONLD_TYPES = {
    "NewsArticle": PageType.STORY,
    "Article": PageType.STORY,
    "PublicationIssue": PageType.ISSUE,
}


_JSONLD = etree.XPath('//script[@type="application/ld+json"]/text()')
# the same in head alone: head comes first in document order, and is a small part of a page
_HEAD_JSONLD = etree.XPath('/html/head//script[@type="application/ld+json"]/text()')
_BODY_CLASS = etree.XPath("//body/@class")
_H1 = etree.XPath("//h1")


def jsonld_objects(selector: Selector, query: etree.XPath = _JSONLD) -> Iterator[JsonObject]:
    """Every JSON-LD object of the page, ``@graph`` members and list items included."""
    for raw in query(selector.root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for obj in stack:
            if isinstance(obj, dict):
                graph = obj.get("@graph")
                if isinstance(graph, list):
                    yield from (g for g in graph if isinstance(g, dict))
                else:
                    yield obj


def jsonld_of_type(selector: Selector, *types: str) -> JsonObject | None:
    """The page's first JSON-LD object of one of ``types``. The blocks in ``head`` are read
    first: one found there is the first of the page too, without a walk of the whole
    page (its site chrome)."""
    for query in (_HEAD_JSONLD, _JSONLD):
        for obj in jsonld_objects(selector, query):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in types for k in kinds):
                return obj
    return None


def body_class(root: Any) -> str | None:
    """The first ``//body/@class`` of the document. The parser makes ``body`` a child of
    ``html``: its class is read directly, without a walk of the whole tree."""
    body = root.find("body") if root.tag == "html" else None
    if body is not None and body.get("class") is not None:
        return str(body.get("class"))
    classes = _BODY_CLASS(root)
    return str(classes[0]) if classes else None


def detect_page_type(response: TextResponse) -> PageType | None:
    """The page type from its markup: the body class, then JSON-LD, then the URL's shape.

    The last two let a redesigned page (new class names) still be read as what it is.
    """
    return markup_page_type(response) or url_page_type(response)


def markup_page_type(response: TextResponse) -> PageType | None:
    """The page type the site's own markup declares (body class, JSON-LD), or None."""
    for cls in (body_class(response.selector.root) or "").split():
        if cls in _BODY_CLASSES:
            return _BODY_CLASSES[cls]
    for obj in jsonld_objects(response.selector):
        kind = obj.get("@type")
        for k in kind if isinstance(kind, list) else [kind]:
            if isinstance(k, str) and k in _JSONLD_TYPES:
                return _JSONLD_TYPES[k]
    return None


def url_page_type(response: TextResponse) -> PageType | None:
    """A story page by its URL's shape and a headline, when the markup declares nothing."""
    if parse_story_url(response.url) and _H1(response.selector.root):
        return PageType.STORY
    return None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def names_scheme(href: str) -> bool:
    """Whether a link names its own scheme (``https:``, ``mailto:``…)."""
    return _SCHEME.match(href) is not None


def quick_canonical(href: str | None) -> str | None:
    """The canonical story URL a link resolves to, read from the link as written, or None
    when that takes resolving it. A canonical URL is made of the last three path segments
    (category, publication, slug): resolving a relative link changes only what precedes
    them, unless a ``.``/``..`` segment follows ``stories/``. Links ``resolve_link`` would
    refuse (other schemes, fragments) give None."""
    if not href or "stories/" not in href:
        return None
    href = href.strip()
    if href.startswith("#") or "/." in href.split("stories/", 1)[1]:
        return None
    if names_scheme(href) and urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    return canonical_story_url(href.split("#", 1)[0])


@lru_cache(maxsize=4096)
def repeat_key(href: str) -> str | None:
    """The teaser id of a card that links ``href`` (``teaser_id`` of its ``quick_canonical``:
    the title does not count then), or None when that takes resolving the link. Remembered:
    an issue's cards are on every one of its story pages, and the URL parse and the hash
    were a third of reading them."""
    quick = quick_canonical(href)
    return teaser_id(quick, None, "") if quick else None


def resolve_link(response: TextResponse, href: str | None) -> str | None:
    """The absolute URL of a link on the page, or None for a link a site page never needs.

    A link that names its own scheme must be http(s): ``file:``, ``javascript:``,
    ``mailto:`` and the like are not followed. Relative links resolve against the page,
    which is how a ``file://`` mirror links its pages.
    """
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    if _SCHEME.match(href) and urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    return str(response.urljoin(href)).split("#", 1)[0]


def text_of(node: Selector | SelectorList[Selector] | None) -> str | None:
    """The visible text of an element (or of a selection's elements), whitespace collapsed
    as a browser renders it; None when there is no element or no text."""
    if node is None:
        return None
    selectors = node if isinstance(node, SelectorList) else [node]
    return element_text(*(s.root for s in selectors))


def element_text(*elements: Any) -> str | None:
    """``text_of`` for lxml elements: their ``.//text()`` (lxml's itertext), collapsed."""
    parts: list[str] = []
    for element in elements:
        if isinstance(element, str):  # a text or attribute node
            parts.append(element)
        elif element is not None:
            parts.extend(element.itertext())
    return collapse(" ".join(parts)) or None


@lru_cache(maxsize=512)
def compiled(css: str) -> etree.XPath:
    """A CSS selector compiled once. parsel compiles its XPath at every call, which on a
    page of cards (six parts a card) was most of the cost of reading a story page."""
    return etree.XPath(css2xpath(css))


def select(element: Any, css: str) -> list[Any]:
    """What ``css`` selects under ``element`` (elements, or strings for ``::attr``/``::text``),
    in document order: ``Selector.css`` without a ``Selector`` per result."""
    return compiled(css)(element)  # type: ignore[no-any-return]


_CLASS_CONTAINING = etree.XPath("//@class[contains(., $name)]", smart_strings=False)
_CLASS_SEPARATORS = re.compile(r"[ \t\n\r]+")  # XPath's normalize-space: XML whitespace


def has_class(root: Any, names: list[str]) -> bool:
    """Whether an element of the document has one of the class ``names``: the CSS selector
    ``.a, .b`` without its per-element predicate (the class attributes are read as strings,
    and only those holding a name are split)."""
    for name in names:
        for value in _CLASS_CONTAINING(root, name=name):
            if name in _CLASS_SEPARATORS.split(str(value)):
                return True
    return False


_WITH_CLASS_CONTAINING = etree.XPath("//@class[contains(., $name)]/..")


def with_class(root: Any, name: str) -> list[Any]:
    """The elements with the class ``name``, in document order: the CSS selector ``.name``
    (as parsel translates it), at about half its cost on a large page: libxml2 reads the
    class attributes as strings, and only those holding the name are split."""
    return [
        element
        for element in _WITH_CLASS_CONTAINING(root, name=name)
        if name in _CLASS_SEPARATORS.split(element.get("class", ""))
    ]


# Encodings in which an ASCII string is the same bytes: the body is searched without the text.
_ASCII_SAFE = frozenset({"utf-8", "ascii", "latin-1", "cp1252", "iso8859-1", "iso8859-15"})


def mentions(response: TextResponse, word: str) -> bool:
    """Whether the page's text holds the ASCII ``word`` anywhere (markup included). Searched
    in the body's bytes when its encoding spells ASCII as ASCII: a search of the decoded
    text of a page in a non-Latin script is several times slower."""
    if codecs.lookup(response.encoding).name in _ASCII_SAFE:
        return word.encode("ascii") in response.body
    return word in response.text


def select_in(elements: list[Any], css: str) -> list[Any]:
    """``select`` under each of ``elements`` in turn: ``SelectorList.css``."""
    return [found for element in elements for found in compiled(css)(element)]


def find(element: Any, css: str) -> Any:
    """The first element under ``element`` that ``css`` selects, or None."""
    found = compiled(css)(element)
    return found[0] if found else None


def first_value(found: list[Any]) -> str | None:
    """The first string of a ``select`` result (``SelectorList.get()``), or None."""
    return str(found[0]) if found else None


def first(selector: Selector, css: str) -> Selector | None:
    found = selector.css(css)
    return found[0] if found else None


_MINUTES = re.compile(r"(\d+)\s*min", re.I)


def read_time_minutes(label: str | None) -> int | None:
    match = _MINUTES.search(label or "")
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
    for card in compiled(markup.card)(response.selector.root):
        title = element_text(find(card, markup.title))
        if not title:
            continue
        position += 1
        link = card if card.tag == "a" else find(card, markup.link)
        href = link.get("href") if link is not None else None
        if skip is not None and href:
            repeat = repeat_key(href)
            if repeat and skip(repeat):
                continue
        url = resolve_link(response, href)
        canonical = canonical_story_url(url) if url else None
        date = find(card, markup.date)
        teasers.append(
            make_teaser(
                source_url=response.url,
                title=title,
                summary=element_text(find(card, markup.summary)),
                url=url,
                publication=element_text(find(card, markup.publication)) or publication,
                issue_date=issue_date(
                    date.get("datetime") if date is not None else None, element_text(date)
                ),
                read_time=element_text(find(card, markup.read_time)),
                position=position,
                canonical=canonical,
            )
        )
    return teasers


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
    )
