"""The two record types the crawler exports. Plain data: no behaviour lives here.

Every field is documented in README.md ("Output fields"). Dates are ISO strings:
``issue_date`` is ``YYYY-MM-DD`` for a dated issue and ``YYYY-MM`` for a monthly.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    id: str
    url: str
    canonical_url: str | None = None
    locale: str | None = None
    title: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    publication: str | None = None
    issue_date: str | None = None
    issue_label: str | None = None
    issue_url: str | None = None
    category: str | None = None
    body: str = ""
    word_count: int = 0
    language: str | None = None
    prompt_language: str | None = None
    is_preview: bool = False
    source: str = "html"
    crawled_at: str = ""


@dataclass
class Teaser:
    id: str
    title: str
    source_url: str
    summary: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    publication: str | None = None
    issue_date: str | None = None
    read_time_minutes: int | None = None
    position: int = 0
    story_id: str | None = None
