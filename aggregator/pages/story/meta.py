"""The meta path: what a story page states in its head's ``<meta>`` tags (Open Graph's
``og:image``, ``article:published_time``, ``article:tag``, ``keywords``) and in the lead
``<figure>`` of its article. It fills only what JSON-LD left empty: a page of any layout
may carry these."""

from __future__ import annotations

from typing import Any

from lxml import etree
from scrapy.http import TextResponse

from aggregator.pages.select import element_text, page_index
from aggregator.pages.story.fields import StoryFields, as_text, tag_list
from aggregator.site.dates import stated_moment

# (attribute, value) -> content, for the meta tags of the head: one walk of the head only
_HEAD_META = etree.XPath("/html/head/meta[@content][@property or @name]")

# the columns whose first figure with an image is the lead image
_LEAD_COLUMNS = frozenset({"article", "main"})
_FIGURE_IMAGE = etree.XPath("(.//img/@src)[1]")
_FIGURE_CAPTION = etree.XPath("(.//figcaption)[1]")


class MetaPath:
    name = "meta"

    def read(self, response: TextResponse, have: StoryFields) -> StoryFields:
        """The meta tags' and the lead figure's fields, for those ``have`` left empty."""
        root = response.selector.root
        meta: dict[str, list[str]] = {}
        for tag in _HEAD_META(root):
            key = (tag.get("property") or tag.get("name") or "").strip().lower()
            meta.setdefault(key, []).append(tag.get("content"))
        found = StoryFields(
            date_published=stated_moment(_first(meta, "article:published_time")),
            date_modified=stated_moment(_first(meta, "article:modified_time")),
            tags=tag_list(meta.get("article:tag", []) + meta.get("keywords", [])),
        )
        if not have.image_url:
            figure = _lead_figure(root)
            if figure is not None:
                found.image_url = as_text(_first_node(_FIGURE_IMAGE(figure)))
                found.image_caption = element_text(_first_node(_FIGURE_CAPTION(figure)))
            if not found.image_url:
                found.image_url = _first(meta, "og:image")
                found.image_caption = found.image_caption or _first(meta, "og:image:alt")
        return found


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    return next((text for text in map(as_text, meta.get(key, ())) if text), None)


def _lead_figure(root: Any) -> Any:
    """The page's first ``figure`` holding an ``img`` inside an ``article`` or ``main``: the
    XPath ``(//article//figure[.//img] | //main//figure[.//img])[1]``, walking the figures
    only (the page's one walk, ``PageIndex``) rather than every element under every article
    and main."""
    for figure in page_index(root).by_tag["figure"]:
        if next(figure.iter("img"), None) is None:
            continue
        if any(ancestor.tag in _LEAD_COLUMNS for ancestor in figure.iterancestors()):
            return figure
    return None


def _first_node(found: list[Any]) -> Any:
    return found[0] if found else None
