"""The renderer: the Jinja2 environment over ``sitegen/templates/`` and one function per page
type. Each takes model objects and returns the page's HTML."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from sitegen.content import wording
from sitegen.model import LAYOUTS, Card, Issue, Publication, StoryPage, rel

TEMPLATES = Path(__file__).resolve().parent / "templates"
ISSUES_PER_PAGE = 3  # on an archive page


def _escape(value: object) -> Markup:
    """Autoescape as the stdlib does (``&#x27;``, ``&quot;``), as the reference mirror prints
    them, rather than markupsafe's ``&#39;``, ``&#34;``. Markup passes as is."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def _json_ld(data: dict[str, object]) -> Markup:
    """A JSON-LD payload, safe inside <script> (``</`` escaped)."""
    return Markup(json.dumps(data, ensure_ascii=False).replace("</", "<\\/"))


def _byline(authors: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(authors[:-1]), authors[-1]]) if len(authors) > 1 else authors[0]


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    finalize=_escape,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.globals["rel"] = rel
ENV.filters["json_ld"] = _json_ld
ENV.filters["byline"] = _byline


def issue_json_ld(issue: Issue) -> dict[str, object]:
    return {
        "@type": "PublicationIssue",
        "datePublished": issue.datetime,
        "issueNumber": issue.issue_id,
        "isPartOf": {
            "@type": "Periodical",
            "name": issue.publication.name,
            "publisher": issue.publication.publisher,
        },
    }


def story_json_ld(page: StoryPage) -> dict[str, object]:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
    }
    if page.standfirst is not None:
        data["description"] = page.standfirst
    data.update(
        {
            "author": [{"@type": "Person", "name": name} for name in page.authors],
            "inLanguage": "en",
            "isAccessibleForFree": page.is_free,
            "url": page.canonical_url,
            "articleSection": page.category,
            "articleBody": page.article_body(),
            "isPartOf": issue_json_ld(page.issue),
        }
    )
    return data


def render_story(page: StoryPage) -> str:
    """The page in its layout's template, ``story_<layout>.html``."""
    if page.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {page.layout!r}")
    w = wording()
    return ENV.get_template(f"story_{page.layout}.html").render(
        page=page, ld=story_json_ld(page), price_banner=w.price_banner, app_cta=w.app_cta
    )


def render_issue(issue: Issue, cards: list[Card], previous: Issue | None) -> str:
    """An issue page: its cards in order, and a link to ``previous`` (the older issue)."""
    ld = {"@context": "https://schema.org", **issue_json_ld(issue)}
    return ENV.get_template("issue.html").render(
        path=issue.path, issue=issue, pub=issue.publication, cards=cards, previous=previous, ld=ld
    )


def render_publication_page(
    publication: Publication, issues: list[Issue], page: int, has_next: bool
) -> str:
    """One archive page: ``issues`` newest first; links to page-(n+1) when ``has_next``."""
    return ENV.get_template("archive.html").render(
        path=publication.archive_path(page),
        publication=publication,
        issues=issues,
        page=page,
        has_next=has_next,
    )


def paginate(newest_first: Sequence[Issue]) -> list[list[Issue]]:
    """The issues of each archive page, ``ISSUES_PER_PAGE`` a page."""
    return [
        list(newest_first[k : k + ISSUES_PER_PAGE])
        for k in range(0, len(newest_first), ISSUES_PER_PAGE)
    ]


def render_archive(publication: Publication, newest_first: Sequence[Issue]) -> dict[str, str]:
    """Every archive page of a publication (path -> HTML), in page order."""
    pages = paginate(newest_first)
    return {
        publication.archive_path(n): render_publication_page(publication, chunk, n, n < len(pages))
        for n, chunk in enumerate(pages, 1)
    }


def render_catalog(publications: Sequence[Publication]) -> str:
    return ENV.get_template("catalog.html").render(path="index.html", publications=publications)
