"""The JSON-LD path: the page's ``NewsArticle`` block."""

from __future__ import annotations

from scrapy.http import TextResponse

from aggregator.pages.jsonld import jsonld_of_type
from aggregator.pages.story.fields import (
    StoryFields,
    as_object,
    as_text,
    author_names,
    paragraphs_of,
)
from aggregator.site.dates import issue_date


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
        )
