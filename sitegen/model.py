"""The site model: publications, issues, stories, teaser cards, prompts; plain dataclasses and
the path rules of the mirror (``.html`` suffixes, locale prefixes, live canonical URLs)."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

SITE = "https://www.magzter.com"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The crawler's names (aggregator/pages/story.py): ClassicLayout, Gold2025Layout, ReaderLayout,
# and GenericPath for markup of unknown class names (no JSON-LD either).
LAYOUTS = ("classic", "gold2025", "reader", "generic")


@dataclass(frozen=True)
class Publication:
    name: str
    slug: str
    publisher: str
    publisher_slug: str
    country: str
    category: str  # the issue pages' category folder ("Newspaper", "Lifestyle", ...)
    frequency: str  # daily, weekly, fortnightly, monthly

    @property
    def monthly(self) -> bool:
        return self.frequency == "monthly"

    def archive_path(self, page: int = 1) -> str:
        name = "index.html" if page == 1 else f"page-{page}.html"
        return f"magazines/{self.slug}/{name}"


@dataclass(frozen=True)
class Issue:
    publication: Publication
    issue_id: str
    date: date  # the first of the month for a monthly

    @property
    def label(self) -> str:
        """The date as printed: "November 07, 2024", or "January 2018" for a monthly."""
        month = MONTHS[self.date.month - 1]
        if self.publication.monthly:
            return f"{month} {self.date.year}"
        return f"{month} {self.date.day:02d}, {self.date.year}"

    @property
    def datetime(self) -> str:
        return self.date.isoformat()

    @property
    def manifest_date(self) -> str:
        return self.date.isoformat()[:7] if self.publication.monthly else self.date.isoformat()

    @property
    def live_path(self) -> str:
        p = self.publication
        return f"{p.country}/{p.publisher_slug}/{p.slug}/{p.category}/{self.issue_id}"

    @property
    def path(self) -> str:
        return f"{self.live_path}.html"

    @property
    def canonical_url(self) -> str:
        return f"{SITE}/{self.live_path}"


@dataclass(frozen=True)
class Card:
    """A teaser card; ``target`` is the linked page's path from the mirror root."""

    publication: str
    title: str
    summary: str
    read_minutes: int
    date_label: str
    date_iso: str
    target: str


@dataclass(frozen=True)
class Para:
    """A body paragraph: its HTML and its text (entities decoded, &nbsp; kept as U+00A0)."""

    html: str
    text: str

    @classmethod
    def plain(cls, text: str) -> Para:
        return cls(html.escape(text), text)

    @classmethod
    def markup(cls, fragment: str) -> Para:
        return cls(fragment, fragment_text(fragment))


@dataclass(frozen=True)
class PromptWording:
    """One observed wording of the prompt block; ``{date}``, ``{pub}`` and ``{count}`` are
    filled per page. ``ask_first`` is the classic first copy ("subscriber ?"), ``ask`` the
    second copy and the 2025 single copy."""

    language: str
    edition: str
    offer: str
    ask_first: str
    ask: str
    action: str
    count: str


@dataclass(frozen=True)
class Prompt:
    """One printed copy of the prompt block."""

    language: str
    edition: str
    offer: str
    ask: str
    action: str

    def text_lines(self) -> list[str]:
        return [self.edition, self.offer, f"{self.ask} {self.action}"]


@dataclass
class StoryPage:
    path: str  # from the mirror root, e.g. "nb/stories/newspaper/The-Independent/X.html"
    canonical_url: str
    lang: str  # <html lang>
    layout: str  # one of LAYOUTS
    title: str
    standfirst: str | None
    authors: list[str]
    issue: Issue
    category: str
    paragraphs: list[Para]
    prompt: Prompt | None = None  # printed at the end of the body
    overlay_prompt: Prompt | None = None  # classic: printed again in div.paywall-overlay
    gold_cta: str | None = None
    more_heading: str = ""
    view_all: str | None = None
    cards: list[Card] = field(default_factory=list)
    is_free: bool = False
    price_banner: bool = False
    app_cta: bool = False

    def article_body(self) -> str:
        """JSON-LD articleBody: body paragraphs and the prompt printed in the body."""
        texts = [p.text for p in self.paragraphs]
        if self.prompt is not None:
            texts += self.prompt.text_lines()
        return "\n\n".join(texts)


@dataclass
class StorySpec:
    """One story of an issue, as the content data describes it. ``locales`` empty: not in the
    mirror (a premium story only known from its teaser card), linked as ``link_locale``."""

    key: str
    issue: Issue
    title: str
    summary: str
    read_minutes: int
    category: str
    link_locale: str
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    layout: str = "classic"
    wording: str = "classic"
    locales: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    count: str | None = None
    paragraphs: list[Para] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return story_slug(self.title)

    @property
    def canonical_url(self) -> str:
        return story_canonical_url(self.category, self.issue.publication.slug, self.slug)

    def path(self, locale: str) -> str:
        pub = self.issue.publication.slug
        return story_live_path(locale, self.category, pub, self.slug) + ".html"

    def card(self, locale: str) -> Card:
        return Card(
            publication=self.issue.publication.name,
            title=self.title,
            summary=self.summary,
            read_minutes=self.read_minutes,
            date_label=self.issue.label,
            date_iso=self.issue.datetime,
            target=self.path(locale),
        )


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def fragment_text(fragment: str) -> str:
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def story_slug(headline: str) -> str:
    """ "I'm far happier..." -> "I-M-FAR-HAPPIER-...": accents dropped, non-alphanumerics '-'."""
    folded = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z0-9]+", "-", folded.upper()).strip("-")


def story_live_path(locale: str | None, category: str, pub_slug: str, slug: str) -> str:
    prefix = f"{locale}/" if locale and locale != "en" else ""
    return f"{prefix}stories/{category}/{pub_slug}/{slug}"


def story_canonical_url(category: str, pub_slug: str, slug: str) -> str:
    return f"{SITE}/{story_live_path(None, category, pub_slug, slug)}"


def canonical_of_path(path: str) -> str:
    """Live canonical URL of a mirrored story path (locale prefix and .html removed)."""
    match = re.search(r"(?:^|/)(stories/[^/]+/[^/]+/[^/]+?)(?:\.html)?$", path)
    if match is None:
        raise ValueError(f"not a story path: {path}")
    return f"{SITE}/{match[1]}"


def rel(from_path: str, target: str) -> str:
    """A link from one mirrored page to another, as in the reference mirror: up to the root,
    then the full path."""
    return "../" * from_path.count("/") + target
