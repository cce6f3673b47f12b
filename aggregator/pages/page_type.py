"""What page a response is (catalog, publication, issue, story), told by its markup first, then
by its URL."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from aggregator.pages.jsonld import jsonld_objects
from aggregator.pages.select import page_index
from aggregator.site.urls import parse_story_url


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


_BODY_CLASS = etree.XPath("//body/@class")


_H1 = etree.XPath("//h1")


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
    if parse_story_url(response.url) and has_headline(response.selector.root):
        return PageType.STORY
    return None


def has_headline(root: Any) -> bool:
    """Whether the page holds an ``h1`` (``//h1``). Asked first under the page's articles and
    main columns, from the page's one walk (``PageIndex``, which the JSON-LD lookup built
    already and the story's generic path reads its headline from): the site chrome before
    the headline is most of the page, so ``//h1`` costs about a walk of it."""
    index = page_index(root)
    return bool(index.select("article h1") or index.select("main h1") or _H1(root))
