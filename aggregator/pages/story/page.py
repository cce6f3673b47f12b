"""``StoryPage``: a story page, read along three paths in order: JSON-LD, a known layout, a
generic fallback.

Each path fills what it can; a later path only fills fields the earlier ones left empty.
The body is taken as the page prints it (subscription prompt included): cleaning is the
pipelines' job. ``StoryPage.path`` tells which path gave the body, for the crawl's stats.
"""

from __future__ import annotations

from functools import cached_property

from scrapy.http import TextResponse

from aggregator.items import Article, Teaser
from aggregator.pages.cards import RepeatCheck
from aggregator.pages.select import (
    first_value,
    select,
)
from aggregator.pages.story.fields import StoryFields
from aggregator.pages.story.generic import CANONICAL, HEAD_CANONICAL, GenericPath
from aggregator.pages.story.jsonld import JsonLdPath
from aggregator.pages.story.layouts import LAYOUTS, has_selector
from aggregator.pages.story.meta import MetaPath
from aggregator.site.dates import issue_date
from aggregator.site.links import resolve_link
from aggregator.site.urls import (
    canonical_story_url,
    live_issue_url,
    page_article_id,
    parse_issue_url,
    parse_story_url,
)
from aggregator.utils.text import join_paragraphs


class StoryPage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response
        has = has_selector(response.selector)
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
        merged.fill_from(MetaPath().read(self.response, merged))
        # JSON-LD stores a monthly as YYYY-MM-01; the printed label tells the precision
        merged.issue_date = issue_date(merged.issue_date, merged.issue_label)
        return merged, path

    @cached_property
    def canonical_url(self) -> str | None:
        # head first: a canonical link there is the page's first (head precedes body)
        root = self.response.selector.root
        declared = first_value(HEAD_CANONICAL(root) or select(root, CANONICAL))
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
        issue = parse_issue_url(f.issue_url) if f.issue_url else None
        image = resolve_link(self.response, f.image_url)
        return Article(
            id=page_article_id(canonical, self.response.url),
            url=self.response.url,
            canonical_url=canonical,
            locale=parsed.locale if parsed else None,
            title=f.title,
            standfirst=f.standfirst,
            authors=f.authors,
            publication=f.publication,
            issue_date=f.issue_date,
            issue_label=f.issue_label,
            issue_url=live_issue_url(f.issue_url),
            issue_number=f.issue_number,
            publisher=f.publisher,
            country=issue.country if issue else None,
            date_published=f.date_published,
            date_modified=f.date_modified,
            # a mirror's copy of an image is no address a reader can use
            image_url=image if image and image.startswith(("http:", "https:")) else None,
            image_caption=f.image_caption if image else None,
            tags=f.tags,
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
