"""The site's URL scheme: story URLs, their canonical form, and the ids derived from them.

Live story URLs look like ``https://www.magzter.com/[<locale>/]stories/<category>/<Pub>/<SLUG>``;
a mirror saved with ``wget --mirror`` keeps the same path with ``.html`` added, under any
root folder. Everything here is pure string work, shared by page classes and both spiders.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

SITE = "https://www.magzter.com"
SITE_HOST = "magzter.com"

# [<locale>/]stories/<category>/<Pub>/<SLUG>[.html], anywhere in the path (a mirror adds a root).
_STORY_PATH = re.compile(
    r"(?:^|/)(?:(?P<locale>[a-z]{2}(?:[-_][A-Za-z]{2,4})?)/)?stories/"
    r"(?P<category>[^/]+)/(?P<publication>[^/]+)/(?P<slug>[^/]+?)(?:\.html?)?/?$"
)
# <COUNTRY>/<Publisher>/<Pub>/<Category>/<issue-id>[.html]
# magazines/<Pub>/(index|page-N)[.html]
_PUBLICATION_PATH = re.compile(r"(?:^|/)magazines/(?P<publication>[^/]+)(?:/[^/]*)?$")
_ISSUE_PATH = re.compile(
    r"(?:^|/)(?P<country>[A-Z]{2})/(?P<publisher>[^/]+)/(?P<publication>[^/]+)/"
    r"(?P<category>[^/]+)/(?P<issue_id>\d+)(?:\.html?)?/?$"
)


@dataclass(frozen=True)
class StoryUrl:
    locale: str | None
    category: str
    publication_slug: str
    slug: str

    @property
    def canonical_url(self) -> str:
        return f"{SITE}/stories/{self.category}/{self.publication_slug}/{self.slug}"


@dataclass(frozen=True)
class IssueUrl:
    country: str
    publisher_slug: str
    publication_slug: str
    category: str
    issue_id: str

    @property
    def live_url(self) -> str:
        """The issue page on the live site, whatever mirror it was read from."""
        return (
            f"{SITE}/{self.country}/{self.publisher_slug}/{self.publication_slug}/"
            f"{self.category}/{self.issue_id}"
        )


# Remembered: a crawl asks about one URL several times (a story page's own URL for its
# article and each of its teasers, a card's link for its canonical URL and its ids, the
# same cards on every story page of an issue), and urlsplit's own cache holds 128 URLs.
# StoryUrl is frozen, so a shared result cannot be changed by a caller.
@lru_cache(maxsize=8192)
def parse_story_url(url: str) -> StoryUrl | None:
    """The parts of a story URL (live or mirrored), or None when ``url`` is not a story page."""
    return parse_story_path(urlsplit(url).path)


# The path of an absolute URL as ``urlsplit`` finds it (after ``scheme://netloc``, before
# ``?`` or ``#``); a URL with a space or a control character in it (``urlsplit`` strips
# those) or of another shape is left to ``urlsplit``.
_URL_PATH = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\x00-\x20]*([^?#\x00-\x20]*)(?=[?#]|$)")


def url_path(url: str) -> str:
    """``urlsplit(url).path``, found by one regex for a plain absolute URL: the story
    accounting and the dumps ask it of every URL once, so ``urlsplit``'s cache never holds it."""
    plain = _URL_PATH.match(url)
    return plain[1] if plain is not None else urlsplit(url).path


def is_story_url(url: str) -> bool:
    """Whether ``url`` is a story page: ``parse_story_url`` without building its parts."""
    return _STORY_PATH.search(url_path(url)) is not None


def parse_story_path(path: str) -> StoryUrl | None:
    """``parse_story_url`` for the path of a URL the caller has split already."""
    match = _STORY_PATH.search(path)
    if match is None:
        return None
    return StoryUrl(
        locale=match["locale"],
        category=match["category"],
        publication_slug=match["publication"],
        slug=match["slug"],
    )


def parse_issue_url(url: str) -> IssueUrl | None:
    match = _ISSUE_PATH.search(urlsplit(url).path)
    if match is None:
        return None
    return IssueUrl(
        country=match["country"],
        publisher_slug=match["publisher"],
        publication_slug=match["publication"],
        category=match["category"],
        issue_id=match["issue_id"],
    )


def publication_slug(url: str) -> str | None:
    """The ``<Pub>`` of a publication page (``magazines/<Pub>/index.html``, ``page-N.html``)."""
    match = _PUBLICATION_PATH.search(urlsplit(url).path)
    return match["publication"] if match else None


def canonical_story_url(url: str) -> str | None:
    """The live, locale-free URL of a story page, or None when ``url`` is not one."""
    parsed = parse_story_url(url)
    return parsed.canonical_url if parsed else None


def stable_id(*parts: str) -> str:
    """A short, stable id: the same inputs give the same id in every run and on every machine."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


def article_id(canonical_url: str) -> str:
    return stable_id("article", canonical_url)


def live_issue_url(url: str | None) -> str | None:
    """The live URL of an issue page (mirrored or live), or ``url`` itself when it is not one."""
    parsed = parse_issue_url(url) if url else None
    return parsed.live_url if parsed else url


def page_article_id(canonical_url: str | None, url: str) -> str:
    """An article's id: from its canonical URL, else (a page that names none) from the URL it
    was read at. One rule for HTML pages and saved texts."""
    return article_id(canonical_url) if canonical_url else stable_id("url", url)


def teaser_id(canonical_url: str | None, publication: str | None, title: str) -> str:
    """The same card has the same id read from HTML (which links the target) and from a saved
    text (which keeps no links): from the target's publication and story slugs when the card
    links a canonical URL, else from its publication and headline, each as its ``slug_key``
    (a headline and its slug agree on it, and a publication's name and its slug)."""
    story = parse_story_url(canonical_url) if canonical_url else None
    if story is not None:
        publication_key, title_key = unquote(story.publication_slug), unquote(story.slug)
        return stable_id("teaser", slug_key(publication_key), slug_key(title_key))
    return stable_id("teaser", slug_key(publication or ""), slug_key(title))


def site_path_start(path: str) -> int | None:
    """Where the site's own path begins inside ``path``: a mirror's root is what precedes it.

    ``/data/site/nb/stories/x/Pub/SLUG.html`` -> the offset of ``/nb/stories``. None when
    the path has none of the site's page shapes.
    """
    for pattern in (_STORY_PATH, _ISSUE_PATH, _PUBLICATION_PATH):
        match = pattern.search(path)
        if match is not None:
            return match.start()
    return None


def handles_url(url: str) -> bool:
    """Whether ``url`` is one of the site's pages: on its host, or a ``file://`` page whose path
    has one of the site's page shapes (a mirror), or a mirror's catalog ``index.html``."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        return host == SITE_HOST or host.endswith(f".{SITE_HOST}")
    return parts.scheme == "file" and site_path_start(parts.path) is not None


SLUG_JUNK = re.compile(r"[^A-Z0-9]+")
NOT_ALNUM = re.compile(r"[\W_]+")


def fold_accents(text: str) -> str:
    """Case and accents folded: "Crème" -> "creme"."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    if not folded.isascii():  # accents: drop the combining marks NFKD split off
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return folded


def slugify(headline: str) -> str:
    """The site's story slug: "I'm far happier" -> "I-M-FAR-HAPPIER", "Crème" -> "CREME"."""
    return SLUG_JUNK.sub("-", fold_accents(headline).upper()).strip("-")


@lru_cache(maxsize=4096)  # card titles: an issue's cards are printed on all its pages
def slug_key(text: str) -> str:
    """Letters and digits only, case and accents folded: a headline and its URL slug agree
    on this whatever the site did with apostrophes ("I-M-…" or "IM-…") and accents."""
    return NOT_ALNUM.sub("", fold_accents(text))
