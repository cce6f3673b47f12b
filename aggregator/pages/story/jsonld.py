"""The JSON-LD path: the page's ``NewsArticle`` block."""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from aggregator.pages.jsonld import JsonObject, jsonld_of_type
from aggregator.pages.story.fields import (
    StoryFields,
    as_object,
    as_text,
    author_names,
    name_of,
    paragraphs_of,
    tag_list,
)
from aggregator.site.dates import issue_date, stated_moment


class JsonLdPath:
    """The ``NewsArticle`` block, which every layout has carried so far."""

    name = "jsonld"

    def read(self, response: TextResponse) -> StoryFields | None:
        ld = jsonld_of_type(response.selector, "NewsArticle", "Article")
        if ld is None:
            return None
        issue = as_object(ld.get("isPartOf"))
        periodical = as_object(issue.get("isPartOf"))
        body = ld.get("articleBody")
        free = ld.get("isAccessibleForFree")
        image = _lead_image(ld.get("image"))
        number = issue.get("issueNumber")
        return StoryFields(
            title=as_text(ld.get("headline")),
            standfirst=as_text(ld.get("description")),
            authors=author_names(ld.get("author")),
            publication=as_text(periodical.get("name")),
            issue_date=issue_date(as_text(issue.get("datePublished")), None),
            category=as_text(ld.get("articleSection")),
            paragraphs=paragraphs_of(body),
            language=as_text(ld.get("inLanguage")),
            canonical_url=as_text(ld.get("url")),
            is_preview=(free is False or free == "False") if free is not None else None,
            publisher=name_of(ld.get("publisher")) or name_of(periodical.get("publisher")),
            issue_number=str(number) if isinstance(number, int) else as_text(number),
            date_published=stated_moment(as_text(ld.get("datePublished"))),
            date_modified=stated_moment(as_text(ld.get("dateModified"))),
            image_url=as_text(image.get("url") or image.get("contentUrl")),
            image_caption=as_text(image.get("caption")),
            tags=tag_list(ld.get("keywords")),
        )


def _lead_image(value: Any) -> JsonObject:
    """The first of ``image``'s forms: a URL, an ``ImageObject``, or a list of either."""
    first = value[0] if isinstance(value, list) and value else value
    if isinstance(first, str):
        return {"url": first}
    return as_object(first)
