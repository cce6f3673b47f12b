"""The generic path: a story page of no known layout, read by the shape of its markup
(the paragraphs of its article, its headline, cards by their links to other stories)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from aggregator.items import Teaser
from aggregator.pages.cards import READ_TIME, RepeatCheck, make_teaser
from aggregator.pages.select import (
    element_text,
    find,
    first_value,
    page_index,
    select,
)
from aggregator.pages.story.fields import StoryFields, as_text
from aggregator.site.links import names_scheme, resolve_link
from aggregator.site.urls import (
    canonical_story_url,
    parse_issue_url,
    parse_story_url,
    teaser_id,
)
from aggregator.utils.text import collapse


class GenericPath:
    """For a layout with unknown class names: a redesign must not silently lose articles.

    The headline is the ``h1``, the body the longest run of sibling paragraphs under
    ``article``/``main``, the teasers the links to other story pages.
    """

    name = "generic"

    def read(self, response: TextResponse) -> StoryFields:
        root = response.selector.root
        index = page_index(root)  # the page's one walk: its articles and main columns
        heading = next(iter(index.select("article h1") or index.select("main h1")), None)
        title = element_text(heading) or element_text(find(root, "h1"))
        return StoryFields(
            title=title,
            standfirst=as_text(first_value(select(root, _OG_DESCRIPTION))),
            paragraphs=self._longest_paragraph_run(response),
            issue_url=self._issue_link(response),
        )

    @staticmethod
    def _issue_link(response: TextResponse) -> str | None:
        """The story's issue: the first link of its article (or main column) to an issue page."""
        for href in page_index(response.selector.root).under(_COLUMNS, _HREFS_UNDER):
            url = resolve_link(response, str(href))
            if url and parse_issue_url(url):
                return url
        return None

    @staticmethod
    def _longest_paragraph_run(response: TextResponse) -> list[str]:
        best: list[str] = []
        best_length = 0
        for parent in page_index(response.selector.root).under(_COLUMNS, _PARAGRAPH_PARENTS):
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


# an article's or main column's elements with paragraphs (itself included), under each
# outermost one (``PageIndex.under``): ``//article[p] | //article//*[p] | //main[p] | //main//*[p]``
_COLUMNS = ("article", "main")
_PARAGRAPH_PARENTS = etree.XPath("descendant-or-self::*[p]")


_STORY_LINK_CANDIDATES = etree.XPath(
    "//a[@href][contains(@href, 'stories/') or not(starts-with(normalize-space(@href), '/'))]"
)


_HEADINGS = etree.XPath(".//h2 | .//h3 | .//h4 | .//strong")


_TEXTS = etree.XPath(".//text()")


_HREFS = etree.XPath(".//a/@href")


# the links of the columns: ``//article//a/@href | //main//a/@href``
_HREFS_UNDER = etree.XPath("descendant::a/@href")


CANONICAL = 'link[rel="canonical"]::attr(href)'


HEAD_CANONICAL = etree.XPath("/html/head//link[@rel = 'canonical']/@href")


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


def _card_summary(texts: list[str], title: str) -> str | None:
    """The card's longest text that is neither its title nor a read-time line."""
    candidates = [t for t in texts if t and t != title and not READ_TIME.match(t)]
    best = max(candidates, key=len, default=None)
    return best if best and len(best.split()) >= 4 else None


def _card_read_time(texts: list[str]) -> str | None:
    return next((t for t in texts if READ_TIME.match(t)), None)


def _links_to_story(response: TextResponse, node: Any) -> bool:
    return any(parse_story_url(resolve_link(response, str(href)) or "") for href in _HREFS(node))
