"""The two record types the crawler exports. Plain data: no behaviour lives here.

Every field is documented here and in docs/fields.md ("Article fields", "Teaser fields"). Dates
are ISO strings: ``issue_date`` is ``YYYY-MM-DD`` for a dated issue and ``YYYY-MM`` for a
monthly or fortnightly one (``aggregator.site.dates`` owns the grammar). Page classes fill what
the page says; the pipelines derive ``word_count``, ``prompt_language``, ``is_preview`` and
the edition facts, once each.

Every item has ``type`` (``article`` / ``teaser``) so a mixed feed (``-O items.jsonl``) can be
split. The article's dates of its own (``date_published``, ``date_modified``) are what the
page states, apart from the issue's date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: Where an article was read from: a crawled HTML page, a saved page text of a corpus dump,
#: a WARC response record (HTML) or a WET conversion record (text) of a corpus shard.
Source = Literal["html", "dump", "warc", "wet"]


@dataclass(kw_only=True, slots=True)
class Article:
    type: Literal["article"] = "article"
    """The record type, for a feed that mixes articles and teasers."""
    id: str
    """Stable id: 16 hex digits of a SHA-1 of the canonical URL (else of the fetched URL)."""
    url: str
    """The URL as fetched (``file://…`` for a mirror) or as the dump record names it."""
    canonical_url: str | None = None
    """The live ``https://www.magzter.com/stories/<category>/<Publication>/<SLUG>``."""
    locale: str | None = None
    """Interface locale from the URL (``nb``, ``de``, …); None for the default (English)."""
    title: str | None = None
    """The headline."""
    standfirst: str | None = None
    """The deck under the headline."""
    authors: list[str] = field(default_factory=list)
    """Bylines, in page order, no repeats."""
    publication: str | None = None
    """Magazine or newspaper name, as printed."""
    issue_date: str | None = None
    """``YYYY-MM-DD``, or ``YYYY-MM`` for a monthly or fortnightly issue."""
    issue_label: str | None = None
    """The issue date as printed (``November 07, 2024``, ``March Second 2023``)."""
    issue_url: str | None = None
    """The issue page the story links to, as its live URL (``https://www.magzter.com/<COUNTRY>/
    <Publisher>/<Pub>/<Category>/<issue-id>``) even when read from a mirror."""
    issue_number: str | None = None
    """The issue's number as the page prints it (JSON-LD ``issueNumber``)."""
    publisher: str | None = None
    """The publication's publisher (JSON-LD ``publisher.name``, e.g. the media group)."""
    country: str | None = None
    """The edition's country, ISO 3166 alpha-2 (``GB``, ``IN``), from the issue URL."""
    date_published: str | None = None
    """When the page says the story was published (ISO 8601 as stated), not the issue date."""
    date_modified: str | None = None
    """When the page says the story was last changed (ISO 8601 as stated)."""
    image_url: str | None = None
    """The lead image, an absolute http(s) URL; None when the page shows none."""
    image_caption: str | None = None
    """The lead image's caption, where printed."""
    tags: list[str] = field(default_factory=list)
    """The page's keywords and section tags, in page order, no repeats."""
    category: str | None = None
    """The site's category (``newspaper``, ``lifestyle``, …)."""
    body: str = ""
    """Article paragraphs, one blank line between them, interface text removed."""
    word_count: int = 0
    """Words in ``body``: set by the pipelines from the final body."""
    language: str | None = None
    """Language of the article text (BCP 47), not of the interface."""
    prompt_language: str | None = None
    """Catalog language of the removed prompt (``und``: structural fallback); None: none."""
    is_preview: bool = False
    """True when the page shows only the start of the story (paywalled preview)."""

    source: Source = "html"
    """``html`` (crawled page), ``dump`` (saved page text), ``warc`` (WARC response record)
    or ``wet`` (WET conversion record)."""
    crawled_at: str
    """When the page was read, UTC, ISO 8601 (``2026-11-25T06:47:44+00:00``)."""


@dataclass(kw_only=True, slots=True)
class Teaser:
    type: Literal["teaser"] = "teaser"
    """The record type, for a feed that mixes articles and teasers."""
    id: str
    """Stable id: from the target's canonical URL when the card links one (its publication
    and story slugs), else from publication + title, both folded to letters and digits, so a
    card read from HTML and from a saved text has the same id (``site.urls.teaser_id``)."""
    title: str
    """The card's headline."""
    source_url: str
    """The page the card was seen on."""
    summary: str | None = None
    """The card's summary line."""
    url: str | None = None
    """The target story as linked (None in dumps: texts keep no links)."""
    canonical_url: str | None = None
    """The target's live canonical URL."""
    publication: str | None = None
    """The card's publication."""
    issue_date: str | None = None
    """``YYYY-MM-DD`` or ``YYYY-MM``."""
    read_time_minutes: int | None = None
    """The card's read time: "3 mins" -> 3."""
    position: int
    """The card's place on that page, from 1."""
    story_id: str | None = None
    """The ``id`` of the article the card points to, when its canonical URL is known."""
    category: str | None = None
    """The target's category, from its canonical URL (None when the card links none)."""
    locale: str | None = None
    """Interface locale of the page the card was seen on (``nb``, …); None for English."""
    crawled_at: str | None = None
    """When the card was read, UTC, ISO 8601: set by the spider with the page's time."""
