"""Generate ``samples/``: an offline mirror of the aggregator site, and its MANIFEST.json.

    python samples/generate.py

The pages are built exactly like the reference mirror in ../shared/site (same markup, same
JSON-LD shapes, relative links as ``wget --mirror --convert-links`` writes them, ``.html``
suffixes). Everything is deterministic: running the script twice gives identical files. It
wipes and rewrites only the files it owns (the page folders, ``index.html`` and
``MANIFEST.json``); ``generate.py``, ``README.md`` and ``__init__.py`` are left alone.

The rendering functions (``render_story``, ``render_issue``, ``render_publication_page``,
``render_catalog``) are plain functions over the small dataclasses below, so another
generator (benchmarks) can import and reuse them with its own content::

    from samples.generate import Issue, Publication, StoryPage, render_story

The article content lives in ``CONTENT`` at the end of this file, in a small text format
(see ``parse_content``). Article text is always English and is never translated; only the
interface strings (prompts, headings, calls to action) follow the page's locale.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

SITE = "https://www.magzter.com"
HERE = Path(__file__).resolve().parent
ISSUES_PER_PAGE = 3
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
LAYOUTS = ("classic", "new2025", "other", "unknown")

# ---------------------------------------------------------------------------------------------
# Interface strings, exactly as observed (../shared/prompts-observed.md)
# ---------------------------------------------------------------------------------------------


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


_EN = PromptWording(
    language="en",
    edition="This story is from the {date} edition of {pub}.",
    offer=(
        "Start your 7-day Magzter GOLD free trial to access thousands of curated premium "
        "stories, and {count} magazines and newspapers."
    ),
    ask_first="Already a subscriber ?",
    ask="Already a subscriber?",
    action="Sign In",
    count="9,000+",
)
_NB_EDITION = "Denne historien er fra {date}-utgaven av {pub}."
_DE_EDITION = "Diese Geschichte stammt aus der {date}-Ausgabe von {pub}."

# (locale, wording) -> wording; wording is "classic" or "2025". Languages with one observed
# wording use it for both.
PROMPTS: dict[tuple[str, str], PromptWording] = {
    ("en", "classic"): _EN,
    ("en", "2025"): _EN,
    ("fr", "classic"): PromptWording(
        language="en",
        edition="This story is from the {{IssueName}} edition of {{MagazineName}}.",
        offer=_EN.offer,
        ask_first=_EN.ask_first,
        ask=_EN.ask,
        action=_EN.action,
        count=_EN.count,
    ),
    ("nb", "classic"): PromptWording(
        language="nb",
        edition=_NB_EDITION,
        offer=(
            "Start din 7-dagers gratis prøveperiode på Magzter GOLD for å få tilgang til "
            "tusenvis av utvalgte premiumhistorier og {count} magasiner og aviser."
        ),
        ask_first="Allerede abonnent ?",
        ask="Allerede abonnent?",
        action="Logg på",
        count="9000+",
    ),
    ("nb", "2025"): PromptWording(
        language="nb",
        edition=_NB_EDITION,
        offer=(
            "Abonner på Magzter GOLD for å få tilgang til tusenvis av kuraterte "
            "premiumhistorier og over {count} magasiner og aviser."
        ),
        ask_first="Allerede abonnent?",
        ask="Allerede abonnent?",
        action="Logg på",
        count="9000",
    ),
    ("de", "classic"): PromptWording(
        language="de",
        edition=_DE_EDITION,
        offer=(
            "Starten Sie Ihre 7-tägige kostenlose Testversion von Magzter GOLD, um auf Tausende "
            "kuratierte Premium-Storys sowie über {count} Zeitschriften und Zeitungen "
            "zuzugreifen."
        ),
        ask_first="Bereits Abonnent ?",
        ask="Bereits Abonnent?",
        action="Anmelden",
        count="8.000",
    ),
    ("de", "2025"): PromptWording(
        language="de",
        edition=_DE_EDITION,
        offer=(
            "Abonnieren Sie Magzter GOLD, um auf Tausende kuratierter Premium-Geschichten und "
            "über {count} Zeitschriften und Zeitungen zuzugreifen."
        ),
        ask_first="Sie sind bereits Abonnent?",
        ask="Sie sind bereits Abonnent?",
        action="Anmelden",
        count="9.000",
    ),
    ("es", "classic"): PromptWording(
        language="es",
        edition="Esta historia es de la edición {date} de {pub}.",
        offer=(
            "Comience su prueba gratuita de Magzter GOLD de 7 días para acceder a miles de "
            "historias premium seleccionadas y a más de {count} revistas y periódicos."
        ),
        ask_first="Ya eres suscriptor ?",
        ask="Ya eres suscriptor?",
        action="Conectar",
        count="9,000",
    ),
    ("ar", "classic"): PromptWording(
        language="ar",
        edition="هذه القصة مأخوذة من طبعة {date} من {pub}.",
        offer=(
            "ابدأ النسخة التجريبية المجانية من Magzter GOLD لمدة 7 أيام للوصول إلى آلاف القصص "
            "المتميزة المنسقة وأكثر من {count} مجلة وصحيفة."
        ),
        ask_first="بالفعل مشترك ?",
        ask="بالفعل مشترك?",
        action="تسجيل الدخول",
        count="9,000",
    ),
    ("ar", "2025"): PromptWording(
        language="ar",
        edition="هذه القصة من طبعة {date} من {pub}.",
        offer=(
            "اشترك في Magzter GOLD للوصول إلى آلاف القصص المتميزة المنسقة، وأكثر من {count} "
            "مجلة وصحيفة."
        ),
        ask_first="هل أنت مشترك بالفعل؟",
        ask="هل أنت مشترك بالفعل؟",
        action="تسجيل الدخول",
        count="9000",
    ),
}
PROMPTS[("es", "2025")] = PROMPTS[("es", "classic")]
PROMPTS[("fr", "2025")] = PROMPTS[("fr", "classic")]

# 2025 layout, first line ("Try GOLD - Free"); only the observed languages.
GOLD_CTA = {
    "en": "Try GOLD - Free",
    "de": "Versuchen GOLD - Frei",
    "nb": "Prøve GULL - Gratis",
    "ar": "يحاول ذهب - حر",
}

# "More stories" heading: (locale, layout family) -> (format, upper-case the name, View All)
MORE_HEADINGS: dict[tuple[str, str], tuple[str, bool, str | None]] = {
    ("en", "classic"): ("MORE STORIES FROM {pub}", True, "View All"),
    ("en", "2025"): ("MORE STORIES FROM {pub}", True, None),
    ("fr", "classic"): ("MORE STORIES FROM {pub}", True, "View All"),
    ("fr", "2025"): ("MORE STORIES FROM {pub}", True, None),
    ("nb", "classic"): ("FLERE HISTORIER FRA {pub}", False, "Se alt"),
    ("nb", "2025"): ("FLERE HISTORIER FRA {pub}", True, None),
    ("de", "classic"): ("WEITERE ARTIKEL AUS {pub}", True, "Alle anzeigen"),
    ("de", "2025"): ("WEITERE GESCHICHTEN VON {pub}", False, None),
    ("es", "classic"): ("MÁS HISTORIAS DE {pub}", True, "Ver todo"),
    ("es", "2025"): ("MÁS HISTORIAS DE {pub}", True, None),
    ("ar", "classic"): ("المزيد من القصص من {pub}", False, None),
    ("ar", "2025"): ("المزيد من القصص من {pub}", False, None),
}

PRICE_BANNER = (
    "Go Unlimited with Magzter GOLD",
    "Get unlimited access to 9,000+ magazines, newspapers and Premium stories for just",
    "$149.99",
    "$74.99/Year",
)
APP_CTA = "Continue reading your story on the app"

# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


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
class Prompt:
    """One printed copy of the prompt block."""

    language: str
    edition: str
    offer: str
    ask: str
    action: str

    def html_lines(self) -> list[str]:
        return [
            f"<p>{html.escape(self.edition)}</p>",
            f"<p>{html.escape(self.offer)}</p>",
            f'<p>{html.escape(self.ask)} <a class="signin" href="/login">'
            f"{html.escape(self.action)}</a></p>",
        ]

    def text_lines(self) -> list[str]:
        return [self.edition, self.offer, f"{self.ask} {self.action}"]


@dataclass
class StoryPage:
    path: str  # from the mirror root, e.g. "nb/stories/newspaper/The-Independent/X.html"
    canonical_url: str
    lang: str  # <html lang>
    layout: str  # classic | new2025 | other | unknown
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


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

e = html.escape
FOOTER = '<footer class="site-footer"><p>© Magzter Inc. All rights reserved.</p></footer>'


def _header(page_path: str) -> str:
    return (
        f'<header class="site-header"><a class="logo" href="{rel(page_path, "index.html")}">'
        'Magzter</a><nav><a href="https://www.magzter.com/magztergold">GOLD</a> '
        '<a href="/login">Sign In</a></nav></header>'
    )


def _json_ld(data: dict[str, object]) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


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


def render_card(card: Card, page_path: str) -> str:
    return "\n".join(
        [
            '<li class="story-card">',
            f'<span class="card-magazine">{e(card.publication)}</span>',
            f'<a class="card-link" href="{rel(page_path, card.target)}">'
            f'<h3 class="card-title">{e(card.title)}</h3>',
            f'<p class="card-summary">{e(card.summary)}</p></a>',
            f'<span class="card-read-time">{card.read_minutes} mins</span> '
            f'<time class="card-date" datetime="{card.date_iso}">{e(card.date_label)}</time>',
            "</li>",
        ]
    )


def _story_head(page: StoryPage, title: str, description: str | None, with_ld: bool) -> list[str]:
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{page.lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title)} | {e(page.issue.publication.name)} | Magzter</title>",
        f'<link rel="canonical" href="{page.canonical_url}">',
        '<meta property="og:type" content="article">',
        '<meta property="og:site_name" content="Magzter">',
        f'<meta property="og:title" content="{e(title)}">',
    ]
    if description is not None:
        lines.append(f'<meta property="og:description" content="{e(description)}">')
    if with_ld:
        lines.append(_json_ld(story_json_ld(page)))
    lines.append("</head>")
    return lines


def _byline(authors: list[str]) -> str:
    return " and ".join([", ".join(authors[:-1]), authors[-1]]) if len(authors) > 1 else authors[0]


def _body_lines(page: StoryPage) -> list[str]:
    lines = [f"<p>{p.html}</p>" for p in page.paragraphs]
    if page.prompt is not None:
        lines += page.prompt.html_lines()
    return lines


def _render_standard(page: StoryPage) -> str:
    """classic and new2025: article.story > .story-head + .story-body."""
    issue = page.issue
    lines = _story_head(page, page.title, page.standfirst, with_ld=True)
    lines += ['<body class="story-page">', _header(page.path)]
    if page.gold_cta is not None:
        lines.append(f'<div class="gold-cta"><a href="/magztergold">{e(page.gold_cta)}</a></div>')
    lines += [
        "<main>",
        '<article class="story">',
        '<div class="story-head">',
        f'<h1 class="story-title">{e(page.title)}</h1>',
        f'<div class="story-source"><a class="story-magazine" href="{rel(page.path, issue.path)}">'
        f'{e(issue.publication.name)}</a><span class="story-issue-date">|'
        f'<time datetime="{issue.datetime}">{e(issue.label)}</time></span></div>',
    ]
    if page.standfirst is not None:
        lines.append(f'<p class="story-standfirst">{e(page.standfirst)}</p>')
    if page.authors:
        lines.append(f'<p class="story-byline">{e(_byline(page.authors))}</p>')
    lines += ["</div>", '<div class="story-body">', *_body_lines(page), "</div>", "</article>"]
    if page.overlay_prompt is not None:
        lines += ['<div class="paywall-overlay">', *page.overlay_prompt.html_lines(), "</div>"]
    if page.price_banner:
        head, offer, old, new = PRICE_BANNER
        lines += [
            '<div class="price-banner">',
            f"<h3>{e(head)}</h3>",
            f"<p>{e(offer)}</p>",
            f'<p class="price"><s class="price-was">{e(old)}</s> '
            f'<strong class="price-now">{e(new)}</strong></p>',
            "</div>",
        ]
    if page.app_cta:
        lines += ['<div class="app-cta">', f'<a href="/app">{e(APP_CTA)}</a>', "</div>"]
    if page.cards:
        heading = e(page.more_heading)
        if page.view_all is not None:
            heading += (
                f' <a class="view-all" href="{rel(page.path, issue.path)}">{e(page.view_all)}</a>'
            )
        lines += ['<section class="more-stories">', f"<h2>{heading}</h2>", "<ul>"]
        lines += [render_card(card, page.path) for card in page.cards]
        lines += ["</ul>", "</section>"]
    lines += ["</main>", FOOTER, "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def _render_other(page: StoryPage) -> str:
    """A layout with other class names (a "reader" view) that still carries the JSON-LD."""
    issue = page.issue
    lines = _story_head(page, page.title, page.standfirst, with_ld=True)
    lines += [
        '<body class="reader-view">',
        f'<div class="topbar"><a class="brand" href="{rel(page.path, "index.html")}">Magzter</a> '
        '<a class="topbar-login" href="/login">Sign In</a></div>',
        '<main class="reader">',
        '<div class="rd-article">',
        f'<div class="rd-kicker"><a class="rd-pub" href="{rel(page.path, issue.path)}">'
        f'{e(issue.publication.name)}</a> <span class="rd-when">{e(issue.label)}</span></div>',
        f'<h1 class="rd-headline">{e(page.title)}</h1>',
    ]
    if page.standfirst is not None:
        lines.append(f'<div class="rd-dek">{e(page.standfirst)}</div>')
    if page.authors:
        lines.append(f'<div class="rd-author">By {e(_byline(page.authors))}</div>')
    lines += ['<div class="rd-text">', *_body_lines(page), "</div>", "</div>"]
    if page.cards:
        lines += ['<aside class="rd-related">', f"<h2>{e(page.more_heading)}</h2>"]
        lines.append('<div class="rd-cards">')
        for card in page.cards:
            lines.append(
                f'<a class="rd-card" href="{rel(page.path, card.target)}">'
                f'<span class="rd-card-pub">{e(card.publication)}</span> '
                f'<strong class="rd-card-title">{e(card.title)}</strong> '
                f'<span class="rd-card-sum">{e(card.summary)}</span> '
                f'<span class="rd-card-time">{card.read_minutes} mins</span></a>'
            )
        lines += ["</div>", "</aside>"]
    lines += ["</main>", '<div class="rd-footer">© Magzter Inc.</div>', "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def _render_unknown(page: StoryPage) -> str:
    """Unknown class names and no JSON-LD: an <article> with an h1 and a run of <p>s."""
    issue = page.issue
    lines = _story_head(page, page.title, None, with_ld=False)
    lines += [
        '<body class="sx">',
        f'<div class="sx-bar"><a href="{rel(page.path, "index.html")}">Magzter</a> '
        '<a href="/login">Sign In</a></div>',
        '<div class="sx-wrap">',
        '<article class="sx-post">',
        f'<div class="sx-eyebrow"><a href="{rel(page.path, issue.path)}">'
        f"{e(issue.publication.name)}</a> · <span>{e(issue.label)}</span></div>",
        f'<h1 class="sx-title">{e(page.title)}</h1>',
    ]
    if page.standfirst is not None:
        lines.append(f'<div class="sx-sub">{e(page.standfirst)}</div>')
    if page.authors:
        lines.append(f'<div class="sx-by">{e(_byline(page.authors))}</div>')
    lines += [*_body_lines(page), "</article>"]
    if page.cards:
        lines += ['<div class="sx-more">', f"<h4>{e(page.more_heading)}</h4>"]
        for card in page.cards:
            lines += [
                '<div class="sx-tile">',
                f'<a class="sx-tile-link" href="{rel(page.path, card.target)}">{e(card.title)}</a>',
                f'<div class="sx-tile-sum">{e(card.summary)}</div>',
                f'<span class="sx-time">{card.read_minutes} mins</span>',
                "</div>",
            ]
        lines.append("</div>")
    lines += ["</div>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def render_story(page: StoryPage) -> str:
    if page.layout in ("classic", "new2025"):
        return _render_standard(page)
    if page.layout == "other":
        return _render_other(page)
    if page.layout == "unknown":
        return _render_unknown(page)
    raise ValueError(f"unknown layout {page.layout!r}")


def render_issue(issue: Issue, cards: list[Card], previous: Issue | None) -> str:
    pub = issue.publication
    path = issue.path
    ld = {"@context": "https://schema.org", **issue_json_ld(issue)}
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(pub.name)} - {e(issue.label)} | Magzter</title>",
        f'<link rel="canonical" href="{issue.canonical_url}">',
        '<meta property="og:type" content="book">',
        '<meta property="og:site_name" content="Magzter">',
        _json_ld(ld),
        "</head>",
        '<body class="issue-page">',
        _header(path),
        "<main>",
        '<div class="issue-head">',
        f'<h1 class="issue-title"><span class="issue-magazine">{e(pub.name)}</span> '
        f'<time class="issue-date" datetime="{issue.datetime}">{e(issue.label)}</time></h1>',
        f'<img class="issue-cover" src="https://cdn.magzter.com/{pub.slug}/{issue.issue_id}'
        '/cover.jpg" alt="cover">',
        f'<p class="issue-publisher">{e(pub.publisher)}</p>',
        f'<span class="issue-category">{e(pub.category)}</span>',
        "</div>",
        '<section class="issue-toc">',
        "<h2>In this issue</h2>",
        "<ul>",
        *[render_card(card, path) for card in cards],
        "</ul>",
        "</section>",
    ]
    if previous is not None:
        lines.append(
            f'<nav class="issue-nav"><a rel="prev" href="{rel(path, previous.path)}">'
            "Previous issue</a></nav>"
        )
    lines += ["</main>", FOOTER, "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def render_publication_page(
    publication: Publication, issues: list[Issue], page: int, has_next: bool
) -> str:
    """One archive page: ``issues`` newest first; links to page-(n+1) when ``has_next``."""
    path = publication.archive_path(page)
    title = f"{publication.name} Magazine" + (f" - Page {page}" if page > 1 else "")
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title)} | Magzter</title>",
        '<meta property="og:type" content="website">',
        '<meta property="og:site_name" content="Magzter">',
        "</head>",
        '<body class="magazine-page">',
        _header(path),
        "<main>",
        f'<h1 class="magazine-name">{e(publication.name)}</h1>',
        f'<p class="magazine-publisher">{e(publication.publisher)}</p>',
        '<ul class="issue-list">',
    ]
    for issue in issues:
        lines.append(
            f'<li><a class="issue-link" href="{rel(path, issue.path)}">'
            f'<time datetime="{issue.datetime}">{e(issue.label)}</time></a></li>'
        )
    lines.append("</ul>")
    links = []
    if page > 1:
        newer = rel(path, publication.archive_path(page - 1))
        links.append(f'<a rel="prev" href="{newer}">Newer issues</a>')
    if has_next:
        older = rel(path, publication.archive_path(page + 1))
        links.append(f'<a rel="next" href="{older}">Older issues</a>')
    if links:
        lines.append(f'<nav class="pagination">{" ".join(links)}</nav>')
    lines += ["</main>", FOOTER, "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def render_catalog(publications: list[Publication]) -> str:
    path = "index.html"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<title>Magazines &amp; Newspapers | Magzter</title>",
        '<meta property="og:type" content="website">',
        '<meta property="og:site_name" content="Magzter">',
        "</head>",
        '<body class="catalog-page">',
        _header(path),
        "<main>",
        "<h1>All magazines</h1>",
        '<ul class="magazine-list">',
    ]
    for pub in publications:
        lines.append(
            f'<li><a class="magazine-link" href="{rel(path, pub.archive_path())}">'
            f"{e(pub.name)}</a></li>"
        )
    lines += ["</ul>", "</main>", FOOTER, "</body>", "</html>"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Localization helpers
# ---------------------------------------------------------------------------------------------


def make_prompt(
    locale: str, wording: str, issue: Issue, *, first_copy: bool, count: str | None = None
) -> Prompt:
    """The prompt block as printed on a ``locale`` page (``first_copy``: the classic first copy,
    with a space before the question mark)."""
    w = PROMPTS[(locale, wording)]
    values = {"date": issue.label, "pub": issue.publication.name, "count": count or w.count}
    return Prompt(
        language=w.language,
        edition=w.edition if "{{" in w.edition else w.edition.format(**values),
        offer=w.offer.format(**values),
        ask=w.ask_first if first_copy else w.ask,
        action=w.action,
    )


def more_heading(locale: str, family: str, publication: str) -> tuple[str, str | None]:
    fmt, upper, view_all = MORE_HEADINGS[(locale, family)]
    return fmt.format(pub=publication.upper() if upper else publication), view_all


# ---------------------------------------------------------------------------------------------
# Content: publications, issues, stories
# ---------------------------------------------------------------------------------------------

PUBLICATIONS = [
    Publication(
        "The Independent",
        "The-Independent",
        "Independent Digital News and Media",
        "Independent-Digital-News-and-Media",
        "GB",
        "Newspaper",
        "daily",
    ),
    Publication("Brunch", "Brunch", "HT Media", "HT-Media", "IN", "Lifestyle", "weekly"),
    Publication(
        "Grazia", "Grazia", "Worldwide Media", "Worldwide-Media", "IN", "Fashion", "monthly"
    ),
    Publication(
        "Outlook",
        "Outlook",
        "Outlook Publishing",
        "Outlook-Publishing",
        "IN",
        "News",
        "fortnightly",
    ),
    Publication(
        "Wanderlust",
        "Wanderlust",
        "Wanderlust Publications Ltd",
        "Wanderlust-Publications-Ltd",
        "GB",
        "Travel",
        "monthly",
    ),
]
_PUB = {p.slug: p for p in PUBLICATIONS}

# issue key -> (publication slug, issue id, date); oldest first within a publication.
ISSUE_TABLE: dict[str, tuple[str, str, str]] = {
    "ind-1014": ("The-Independent", "1826410", "2024-10-14"),
    "ind-1015": ("The-Independent", "1827133", "2024-10-15"),
    "ind-1016": ("The-Independent", "1827902", "2024-10-16"),
    "ind-1017": ("The-Independent", "1828655", "2024-10-17"),
    "ind-1018": ("The-Independent", "1829417", "2024-10-18"),
    "ind-1019": ("The-Independent", "1830188", "2024-10-19"),
    "ind-1020": ("The-Independent", "1830964", "2024-10-20"),
    "br-0308": ("Brunch", "1882307", "2025-03-08"),
    "br-0315": ("Brunch", "1885514", "2025-03-15"),
    "br-0322": ("Brunch", "1888730", "2025-03-22"),
    "br-0329": ("Brunch", "1891946", "2025-03-29"),
    "gr-1809": ("Grazia", "1598215", "2018-09-01"),
    "gr-1810": ("Grazia", "1611430", "2018-10-01"),
    "gr-1811": ("Grazia", "1624872", "2018-11-01"),
    "ol-0201": ("Outlook", "1868054", "2025-02-01"),
    "ol-0211": ("Outlook", "1871283", "2025-02-11"),
    "ol-0221": ("Outlook", "1874509", "2025-02-21"),
    "wl-2105": ("Wanderlust", "1294017", "2021-05-01"),
    "wl-2106": ("Wanderlust", "1307528", "2021-06-01"),
}


@dataclass
class StorySpec:
    """One story of an issue, parsed from CONTENT. ``locales`` empty: not in the mirror (a
    premium story only known from its teaser card), linked as ``link_locale``."""

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


DEFAULT_CATEGORY = {
    "The-Independent": "newspaper",
    "Brunch": "lifestyle",
    "Grazia": "fashion",
    "Outlook": "news",
    "Wanderlust": "travel",
}


def build_issues() -> dict[str, Issue]:
    return {
        key: Issue(_PUB[slug], issue_id, date.fromisoformat(day))
        for key, (slug, issue_id, day) in ISSUE_TABLE.items()
    }


def _read_records(text: str) -> list[tuple[str, dict[str, str], list[str]]]:
    """CONTENT format: "=== key" starts a record; "name: value" lines (continued by lines
    indented two spaces) until "body:"; then paragraphs separated by blank lines, the lines
    of a paragraph joined with one space. A paragraph starting "html: " is raw HTML."""
    records = []
    for block in re.split(r"^=== ", text, flags=re.MULTILINE)[1:]:
        key, _, rest = block.partition("\n")
        meta: dict[str, str] = {}
        last = ""
        body: list[str] | None = None
        for line in rest.split("\n"):
            if body is not None:
                body.append(line)
            elif line == "body:":
                body = []
            elif line.startswith("  ") and last:
                meta[last] += " " + line.strip()
            elif line.strip():
                name, _, value = line.partition(":")
                last = name.strip()
                meta[last] = value.strip()
        paragraphs = []
        for chunk in re.split(r"\n\s*\n", "\n".join(body or [])):
            joined = " ".join(part.strip() for part in chunk.split("\n") if part.strip())
            if joined:
                paragraphs.append(joined)
        records.append((key.strip(), meta, paragraphs))
    return records


def parse_content(text: str, issues: dict[str, Issue]) -> list[StorySpec]:
    specs = []
    for key, meta, paragraphs in _read_records(text):
        issue = issues[meta["issue"]]
        locales = [x.strip() for x in meta.get("locales", "").split(",") if x.strip()]
        spec = StorySpec(
            key=key,
            issue=issue,
            title=meta["title"],
            summary=meta.get("summary") or meta["standfirst"],
            read_minutes=int(meta["read"]),
            category=meta.get("category") or DEFAULT_CATEGORY[issue.publication.slug],
            link_locale=meta.get("missing") or (locales[0] if locales else "en"),
            standfirst=meta.get("standfirst"),
            authors=[a.strip() for a in meta.get("authors", "").split(";") if a.strip()],
            layout=meta.get("layout", "classic"),
            wording=meta.get("wording")
            or ("2025" if meta.get("layout") == "new2025" else "classic"),
            locales=locales,
            variants=[v.strip() for v in meta.get("variants", "").split(",") if v.strip()],
            count=meta.get("count"),
            paragraphs=[
                Para.markup(p[len("html: ") :]) if p.startswith("html: ") else Para.plain(p)
                for p in paragraphs
            ],
        )
        if spec.layout not in LAYOUTS:
            raise ValueError(f"{key}: unknown layout {spec.layout}")
        if locales and not paragraphs:
            raise ValueError(f"{key}: a mirrored story needs a body")
        specs.append(spec)
    return specs


def build_story_page(spec: StorySpec, locale: str, siblings: list[StorySpec]) -> StoryPage:
    issue = spec.issue
    family = "2025" if spec.layout == "new2025" or spec.wording == "2025" else "classic"
    previewed = "free" not in spec.variants
    printed = previewed and not ({"price-banner", "app-cta"} & set(spec.variants))
    prompt = overlay = None
    if printed:
        first = spec.wording == "classic"
        prompt = make_prompt(locale, spec.wording, issue, first_copy=first, count=spec.count)
        if spec.layout == "classic":
            overlay = make_prompt(locale, spec.wording, issue, first_copy=False, count=spec.count)
        if "mixed-prompt" in spec.variants:
            # a localized edition line followed by the English free-trial line
            english = make_prompt("en", "classic", issue, first_copy=first)
            prompt = Prompt(
                prompt.language, prompt.edition, english.offer, prompt.ask, prompt.action
            )
            if overlay is not None:
                overlay = Prompt(
                    overlay.language, overlay.edition, english.offer, overlay.ask, overlay.action
                )
    heading, view_all = more_heading(locale, family, issue.publication.name)
    cards = []
    for sibling in siblings:
        target_locale = locale if locale in sibling.locales else sibling.link_locale
        cards.append(sibling.card(target_locale))
    return StoryPage(
        path=spec.path(locale),
        canonical_url=spec.canonical_url,
        lang=locale,
        layout=spec.layout,
        title=spec.title,
        standfirst=spec.standfirst,
        authors=spec.authors,
        issue=issue,
        category=spec.category,
        paragraphs=spec.paragraphs,
        prompt=prompt,
        overlay_prompt=overlay,
        gold_cta=GOLD_CTA[locale] if spec.layout == "new2025" else None,
        more_heading=heading,
        view_all=view_all if spec.layout in ("classic", "new2025") else None,
        cards=cards,
        is_free="free" in spec.variants,
        price_banner="price-banner" in spec.variants,
        app_cta="app-cta" in spec.variants,
    )


# ---------------------------------------------------------------------------------------------
# Build, manifest, write
# ---------------------------------------------------------------------------------------------


def _story_manifest(spec: StorySpec, page: StoryPage, locale: str) -> dict[str, object]:
    paragraphs = [p.text.replace("\xa0", " ") for p in spec.paragraphs]
    entry: dict[str, object] = {
        "path": page.path,
        "layout": page.layout,
        "locale": None if locale == "en" else locale,
        "canonical_url": page.canonical_url,
        "title": page.title,
        "standfirst": page.standfirst,
        "summary": spec.summary,
        "publication": spec.issue.publication.name,
        "issue_date": spec.issue.manifest_date,
        "issue_label": spec.issue.label,
        "issue_path": spec.issue.path,
        "issue_url": spec.issue.canonical_url,
        "category": spec.category,
        "authors": list(page.authors),
        "paragraphs": paragraphs,
        "prompt_language": page.prompt.language if page.prompt is not None else None,
        "prompt_copies": (page.prompt is not None) + (page.overlay_prompt is not None),
        "is_accessible_for_free": page.is_free,
        "is_preview": not page.is_free,
        "has_json_ld": page.layout != "unknown",
        "read_time_minutes": spec.read_minutes,
        "variants": sorted(spec.variants),
        "card_canonical_urls": [canonical_of_path(c.target) for c in page.cards],
    }
    if "vox-pop" in spec.variants:
        entry["trailing_orphan_heading"] = paragraphs[-1]
    return entry


def build() -> tuple[dict[str, str], dict[str, object]]:
    """All generated files (path -> text) and the manifest."""
    issues = build_issues()
    specs = parse_content(CONTENT, issues)
    files: dict[str, str] = {}
    stories: list[dict[str, object]] = []
    issue_entries: list[dict[str, object]] = []
    publication_entries: list[dict[str, object]] = []
    by_issue: dict[str, list[StorySpec]] = {}
    for spec in specs:
        by_issue.setdefault(spec.issue.path, []).append(spec)
    seen_paths: set[str] = set()
    for spec in specs:
        for locale in spec.locales:
            page = build_story_page(spec, locale, by_issue[spec.issue.path])
            if page.path in seen_paths:
                raise ValueError(f"two pages at {page.path}")
            seen_paths.add(page.path)
            files[page.path] = render_story(page)
            stories.append(_story_manifest(spec, page, locale))
    for pub in PUBLICATIONS:
        pub_issues = sorted(
            (i for i in issues.values() if i.publication == pub), key=lambda i: i.date
        )
        for n, issue in enumerate(pub_issues):
            previous = pub_issues[n - 1] if n else None
            siblings = by_issue.get(issue.path, [])
            cards = [s.card(s.link_locale) for s in siblings]
            files[issue.path] = render_issue(issue, cards, previous)
            issue_entries.append(
                {
                    "path": issue.path,
                    "canonical_url": issue.canonical_url,
                    "publication": pub.name,
                    "issue_id": issue.issue_id,
                    "issue_date": issue.manifest_date,
                    "issue_label": issue.label,
                    "previous_issue_path": previous.path if previous else None,
                    "card_canonical_urls": [s.canonical_url for s in siblings],
                    "cards": [
                        {
                            "position": k,
                            "href_path": card.target,
                            "canonical_url": s.canonical_url,
                            "title": s.title,
                            "summary": s.summary,
                            "read_time_minutes": s.read_minutes,
                            "in_mirror": bool(s.locales),
                        }
                        for k, (s, card) in enumerate(zip(siblings, cards, strict=True), 1)
                    ],
                }
            )
        newest_first = pub_issues[::-1]
        pages = [
            newest_first[k : k + ISSUES_PER_PAGE]
            for k in range(0, len(newest_first), ISSUES_PER_PAGE)
        ]
        for n, chunk in enumerate(pages, 1):
            files[pub.archive_path(n)] = render_publication_page(pub, chunk, n, n < len(pages))
        publication_entries.append(
            {
                "name": pub.name,
                "slug": pub.slug,
                "publisher": pub.publisher,
                "frequency": pub.frequency,
                "pages": [pub.archive_path(n) for n in range(1, len(pages) + 1)],
                "issue_paths_newest_first": [i.path for i in newest_first],
            }
        )
    files["index.html"] = render_catalog(PUBLICATIONS)
    missing = [
        {
            "canonical_url": s.canonical_url,
            "title": s.title,
            "linked_as": s.path(s.link_locale),
            "issue_path": s.issue.path,
        }
        for s in specs
        if not s.locales
    ]
    manifest: dict[str, object] = {
        "about": "Generated by samples/generate.py; describes every page of samples/.",
        "catalog": "index.html",
        "publications": publication_entries,
        "issues": issue_entries,
        "stories": stories,
        "missing_stories": missing,
    }
    return files, manifest


KEEP = {"generate.py", "README.md", "__init__.py", "__pycache__"}
OWNED = re.compile(r"^(index\.html|MANIFEST\.json|magazines|stories|[A-Z]{2}|[a-z]{2}(-\w+)?)$")


def write(root: Path = HERE) -> int:
    files, manifest = build()
    for entry in sorted(root.iterdir()):
        if entry.name in KEEP or not OWNED.match(entry.name):
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    files["MANIFEST.json"] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    for rel_path, text in sorted(files.items()):
        target = root / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return len(files)


def main() -> int:
    count = write()
    print(f"wrote {count} files under {HERE}")
    return 0


# ---------------------------------------------------------------------------------------------
# The stories, in issue order (the order of the cards). Fields: issue, title, standfirst,
# summary (card line; default: standfirst), authors (";"-separated), read (minutes), category
# (default: the publication's), layout (classic | new2025 | other | unknown), wording (prompt
# wording: classic | 2025; default from the layout), locales (mirrored copies: en = no prefix),
# variants (free, price-banner, app-cta, mixed-prompt, vox-pop), count (the offer line's
# number), missing (not in the mirror; the locale its cards link to).
# ---------------------------------------------------------------------------------------------

CONTENT = """
=== ind-flood
issue: ind-1014
title: Flood defences 'years behind schedule' as winter looms
standfirst: Dozens of schemes promised after the 2020 storms are still waiting for funding,
  leaving thousands of homes exposed as forecasters warn of a wet season ahead
authors: Tom Ashworth
read: 5
layout: classic
locales: en
body:
More than 40 flood defence schemes promised to communities in the north of England after the
storms of 2020 have yet to break ground, according to figures seen by The Independent.

The Environment Agency said the delays were caused by rising construction costs and a shortage
of engineers, and that every project remained “a priority”. Residents in the affected towns say
they have heard that before.

In Mytholmroyd, where the river burst its banks twice in five years, shopkeepers still keep
sandbags stacked behind their counters. “We don’t unpack the stockroom until March,” said Janet
Pryce, who runs a hardware shop on the high street. “You learn.”

The Met Office has said there is an increased chance of a wetter than average winter, with the
risk of heavy rain highest in the west and north.

Analysis by the Association of British Insurers suggests that about 12,000 households in the
affected catchments could struggle to renew their home insurance if the schemes slip by another
year.

A spokesperson for the Department for Environment said: 'We are investing record sums in flood
resilience and will set out further plans shortly.'

=== ind-nightbus
issue: ind-1014
title: The quiet return of the night bus
standfirst: After years of cuts, councils are bringing back late-night routes, and finding that
  nurses, cleaners and bakers have been waiting for them
authors: Sarah Whitlock
read: 4
layout: classic
locales: nb
body:
At 2.40am the N29 pulls out of Trafalgar Square with 31 passengers on board, most of them
heading to work rather than home.

For a decade the story of the night bus was one of decline. Routes were trimmed, frequencies
halved and, in many towns outside London, the last service left well before midnight.

That is starting to change. Six councils have restored overnight routes this year, helped by a
government fund for “shift-worker transport”, and early figures suggest the buses are busier
than planners expected.

“People assume the night bus is for people coming home from clubs,” said Amira Haddad, a
transport researcher at the University of Leeds. “In reality it carries the people who keep
hospitals, bakeries and warehouses running.”

In Bristol, where a night route was reinstated in April, ridership has already passed 9,500
journeys a month.

=== ind-fusion
issue: ind-1014
title: Inside the race to build Britain's first fusion plant
summary: A former coal power station in Nottinghamshire has been chosen as the site. The
  engineers there have until 2040 to make the science work
read: 7
missing: en

=== ind-pension
issue: ind-1015
title: Why your pension statement is about to get shorter
standfirst: New rules will cut the annual letter to a single page. Campaigners say it is long
  overdue; some providers fear savers will miss the small print
authors: Ellen Hart
read: 3
layout: classic
locales: de
body:
Millions of workers will receive a slimmer pension statement from next spring after regulators
agreed a simplified, one-page format.

The new document must show, in plain figures, how much a saver has built up, what they have paid
in charges over the year and what income they might expect at 67.

Consumer groups have campaigned for the change for years. Research by the Pensions Policy
Institute found that fewer than one in five savers read beyond the first page of their
statement, and that many could not say who managed their money.

Some providers are less enthusiastic. “If you strip out the detail, people won’t see the
caveats,” said one industry executive, who asked not to be named.

The regulator said more detailed information would remain available online and on request.

=== ind-darkpatterns
issue: ind-1015
title: Pop-ups, nags and the 'dark patterns' that keep us subscribed
standfirst: A study of 200 websites found that cancelling a subscription is, on average, almost
  three times harder than starting one
authors: Daniel Okafor
read: 6
layout: classic
# premium: its page is a trap fixture in tests/fixtures/traps (its text names
# the brand), so a crawl of samples/ passes ../shared/tools/check_output.py
missing: en
body:
Signing up for a streaming service takes, on average, four clicks. Leaving it takes eleven,
according to a study of 200 subscription websites published yesterday by a consumer group.

The researchers catalogued the tricks used to keep customers paying: countdown timers,
pre-ticked boxes, and “confirmshaming” buttons that ask whether you really want to miss out.

One of the most effective, they found, is the humble login prompt. The pop-up that asks “Already
a subscriber?” appears on nearly every news and magazine site in the sample, and in a third of
cases it covered the button needed to cancel.

“None of these designs is illegal on its own,” said the report’s author, Dr Hannah Lowe.
“Together they make leaving feel like an obstacle course.”

The government has promised to tackle so-called subscription traps in new consumer legislation,
with rules requiring firms to make cancelling as easy as joining.

=== ind-rugby
issue: ind-1015
title: Rugby's new tackle law splits coaches
summary: Lowering the legal tackle height has cut head injuries in the community game, but some
  clubs say it has changed the sport beyond recognition
read: 4
missing: nb

=== ind-villageshop
issue: ind-1016
title: The village shop that refused to close
standfirst: When the last shop in Ashcombe was put up for sale, 160 residents clubbed together
  to buy it. Three years on, it turns a profit
authors: Priya Mehta
read: 5
layout: new2025
locales: en
body:
The sign above the door still says “Ashcombe Stores, est. 1911”, but since 2021 the shop has had
160 owners.

When the previous owners retired and no buyer came forward, residents held a meeting in the
church hall and agreed to buy it themselves. Shares cost £50 each; within six weeks they had
raised £184,000.

“We didn’t know anything about running a shop,” said Graham Tuck, a retired engineer who chairs
the management committee. “We knew what it would mean to lose it.”

The shop now employs four part-time staff and relies on a rota of 30 volunteers. It sells bread
from a bakery in the next valley, eggs from the farm at the top of the lane and, on Saturdays, a
surprising quantity of sourdough pizza.

According to the Plunkett Foundation, which supports community businesses, there are now more
than 450 community-owned shops in the UK, and their survival rate after five years is above 90
per cent.

=== ind-wine
issue: ind-1016
title: Heatwaves are rewriting the wine map of Europe
standfirst: Harvests are starting weeks earlier in Bordeaux and Rioja, while growers in Kent and
  Sussex are planting grapes that would not have ripened a generation ago
authors: Marc Delacroix
read: 6
layout: classic
locales: ar
body:
In 1990 the grape harvest in Châteauneuf-du-Pape typically began in the last week of September.
This year the first pickers were in the vineyards on 19 August.

Winemakers across southern Europe are adapting to a climate that is hotter and drier than the
one their vines were bred for. Some are moving to higher ground; others are replacing
traditional varieties with grapes from Greece and Sicily that cope better with heat.

Further north, the picture looks different. England now has more than 4,000 hectares of
vineyards, and sparkling wines from Kent and Sussex regularly beat champagne in blind tastings.

“Twenty years ago people laughed when we planted pinot noir here,” said one grower near
Canterbury. “Now the French come to visit.”

Scientists warn that the shift is not a simple story of winners and losers. Late frosts, hail
and sudden downpours are becoming more common everywhere, and a single bad night in April can
wipe out a year’s crop.

=== ind-booker
issue: ind-1016
title: Ten books to read before the Booker winner is announced
summary: From a debut about a Glasgow ferry to a 700-page family saga, our critics pick the
  titles worth your time this autumn
read: 5
missing: en

=== ind-chess
issue: ind-1017
title: The chess prodigy who learned on a broken board
standfirst: At 11, Aarav Nair is the youngest player to qualify for the British Championship. He
  learned the game on a set missing three pawns
authors: Sarah Whitlock
read: 4
layout: classic
locales: es
body:
The board that Aarav Nair learned on is still in his grandmother’s flat in Leicester. Three of
the pawns are missing; for years the family used bottle tops instead.

Last month Aarav, 11, became the youngest player ever to qualify for the British Chess
Championship, beating two international masters on the way.

“He used to set up positions from books and play both sides,” said his mother, Lakshmi. “We
thought he would grow out of it.”

His coach, Richard Pell, says Aarav’s strength is not calculation but patience. “Most children
want to attack. He is happy to wait for you to make a mistake.”

The family have started a crowdfunding page to cover the cost of travel to tournaments abroad,
which can run to £3,000 a trip.

=== ind-letters
issue: ind-1017
title: Letters: readers on the four-day week
standfirst: Our report on the firms trialling a shorter working week prompted a full postbag.
  Here is a selection
read: 3
layout: classic
locales: en
variants: free
body:
Your report on the four-day week (“The firms that gave staff Fridays off”, 15 October) rang
true. My employer moved to a 32-hour week last year and nobody wants to go back. Sick days are
down and, to the surprise of our finance director, so are costs. – Margaret Hale, Shrewsbury

Spare a thought for those of us who cannot do our jobs in four days. I am a care worker; the
people I look after need help seven days a week, whatever the spreadsheets say. – Rob Keane,
Swansea

The question is not whether a shorter week works for office staff; it clearly can. It is who
pays for the extra shifts in the jobs that cannot shrink. – Dr Alan Prior, Norwich

html: We welcome letters from readers. Write to <a
href="mailto:letters@independent.co.uk">letters@independent.co.uk</a>, including your full
postal address. Letters may be edited for length.

=== ind-visa
issue: ind-1017
title: Ministers face backlash over student visa cap
summary: Universities warn that a limit on overseas students could push a dozen institutions
  into deficit within two years
read: 4
missing: de

=== ind-evs
issue: ind-1018
title: What Britain can learn from Norway's electric car boom
standfirst: Nine in ten new cars sold in Norway are now electric. The secret, say Norwegians,
  was never really the cars
authors: Ellen Hart; Jonas Berg
read: 6
layout: new2025
locales: nb
body:
In Oslo, the petrol station on the corner of Kirkeveien has become a café with 14 charging
points and a queue for cinnamon buns.

Norway passed a milestone this year when battery-electric cars made up more than 90 per cent of
new sales, a figure that would have seemed absurd a decade ago.

Economists point to generous tax breaks, free parking and toll exemptions. But officials in Oslo
say the bigger factor was reliable charging: drivers stopped worrying about running out of power
long before they stopped worrying about the price.

“You can’t sell people an electric car and then tell them to hope for the best,” said Ingrid
Solberg, who ran the city’s charging programme until last year.

Britain’s position is very different. Only around one in five new cars sold here is fully
electric, and the number of public chargers per car has fallen for two years running.

=== ind-lighthouse
issue: ind-1018
title: The last lighthouse keepers
standfirst: The lights went automatic in 1998. Some of the men who tended them still meet every
  year to remember the job
authors: Tom Ashworth
read: 7
layout: unknown
locales: en
body:
Every October, a dozen men in their seventies and eighties gather in a hotel function room in
Oban to talk about the weather.

They are some of the last surviving lighthouse keepers in Britain. The final manned light, at
North Foreland in Kent, was automated in November 1998, ending a tradition that stretched back
three centuries.

“People imagine it was lonely,” said Hector MacLeod, 81, who spent 22 years on rock stations off
the west coast. “It wasn’t. You were never alone on a rock. You were just a long way from
everyone else.”

Keepers worked in teams of three, on shifts of a month on and a month off. They cleaned the
lenses, wound the clockwork that turned them and logged the weather every three hours, day and
night.

Most of the lighthouses are now monitored from a control room hundreds of miles away. Some have
been turned into holiday lets; a few are museums.

The men at the reunion are not sentimental about it. They are, however, very precise about the
weather. “Force six,” said one, glancing out of the window as the meeting began. “Backing
westerly later.”

=== ind-pesport
issue: ind-1018
title: Paralympic champion to lead review of school sport
summary: The review will look at why children with disabilities are twice as likely to miss out
  on PE lessons
read: 3
missing: en

=== ind-pfw
issue: ind-1019
title: Paris Fashion Week's quiet revolution
standfirst: The shows were smaller, the clothes were wearable and the front row was full of
  buyers rather than influencers
authors: Alice Fenwick
read: 4
layout: classic
locales: fr
body:
For a decade, Paris Fashion Week has been a contest of spectacle: catwalks built inside giant
installations, collections designed to go viral before the models reached the end of the runway.

This season felt different. Several of the biggest houses showed in their own ateliers to
audiences of fewer than 200 people, and the clothes – tailored coats, soft knitwear, flat shoes
– looked like things people might actually buy.

“Retailers have had a hard two years,” said one buyer from a London department store. “They want
clothes that sell, not clothes that trend.”

html: The mood was summed up by a single look at the closing show: a navy wool coat, worn over
jeans, with a note in the programme that read simply <em>Wear it for ten years</em>.

=== ind-sleep
issue: ind-1019
title: Premier League clubs turn to sleep coaches in fixture pile-up
standfirst: With some players facing 70 matches a season, clubs are hiring specialists to make
  sure they rest properly between games
authors: Daniel Okafor
read: 4
layout: classic
locales: en
count: 10,000+
body:
When the squad of one Premier League club arrived at their hotel before a Champions League game
last month, the first person to inspect the rooms was not the kit manager but the club’s sleep
coach.

Blackout blinds were checked, thermostats set to 18C and the minibar emptied of anything with
caffeine in it.

html: At least eight top-flight clubs now employ a sleep specialist, either full-time or as a
consultant, as the fixture calendar grows ever more crowded. Some players are on course to play
more than 70&nbsp;matches this season, with international duty adding flights across several
time zones.

“Sleep is the cheapest performance enhancer there is,” said Dr Marcus Finch, who has worked with
clubs in England and Spain. “And it is the one players are most likely to neglect.”

The players’ union has called for a limit on the number of games a player can be asked to play
in a season.

=== ind-grain
issue: ind-1019
title: Grain corridor reopens as talks resume
summary: Ships are moving through the Black Sea again after a two-week pause, easing fears of a
  spike in bread prices
read: 3
missing: nb

=== ind-ocean
issue: ind-1020
title: The woman who mapped the ocean floor
standfirst: Marie Tharp drew the first maps of the Atlantic's mid-ocean ridge. For years, her
  male colleagues refused to believe them
authors: Alice Fenwick
read: 8
layout: other
locales: en
body:
In 1952, a young geologist at Columbia University noticed something odd in the numbers she was
plotting. Along the crest of the mountain range that runs down the middle of the Atlantic, the
depth readings dipped into a deep valley, again and again.

Marie Tharp was not allowed on the research ships that collected the soundings; women were
barred from the voyages at the time. Instead she worked from the data, turning thousands of echo
readings into profiles of the seabed by hand.

The valley she found suggested that the ocean floor was pulling apart, an idea that most
geologists of the day rejected. Her colleague Bruce Heezen at first dismissed it as “girl talk”.

It took several years, and more data, for him to come round. By the 1960s the rift she had drawn
had become a cornerstone of the theory of plate tectonics.

In 1977 Tharp and Heezen published the World Ocean Floor map, painted by the Austrian artist
Heinrich Berann, which still hangs in classrooms around the world.

Tharp died in 2006, by then widely recognised as one of the most important cartographers of the
20th century.

=== ind-counciltax
issue: ind-1020
title: Council tax bills could rise by 10 per cent, town halls warn
standfirst: Local authorities say a funding gap of £2bn will force them to ask for permission to
  break the referendum limit
authors: Priya Mehta
read: 4
layout: classic
locales: nb
body:
Households in some parts of England could face council tax rises of up to 10 per cent next
April, local government leaders have warned, as councils struggle with the cost of social care
and temporary housing.

Under current rules, councils must hold a local referendum to raise bills by more than 4.99 per
cent a year. Several authorities have already said they will ask ministers for permission to go
further.

The Local Government Association estimates that councils in England face a shortfall of more
than £2bn next year.

“We have cut everything we can cut,” said the leader of one county council. “What is left is the
statutory stuff: children’s services, adult care, bins. You can’t stop emptying bins.”

The government said it would set out funding for councils in December.

=== ind-spinners
issue: ind-1020
title: England's young spinners keep series alive
summary: Two bowlers with five Tests between them shared seven wickets on a turning pitch to set
  up a tense final day
read: 3
missing: en

=== ind-puzzles
issue: ind-1020
title: Sunday puzzles: the big crossword
summary: Our cryptic crossword, with the solutions to Saturday's quick puzzles
read: 2
missing: de

=== br-breakfast
issue: br-0308
title: The great Indian breakfast revival
standfirst: From idli bars to poha pop-ups, chefs are putting the first meal of the day back on
  the menu
authors: Anisha Rao
read: 6
category: food
layout: new2025
locales: en
body:
For years the breakfast menu at most Indian restaurants stopped at a hotel buffet: a few
parathas, a dosa station and a chef in a tall hat making omelettes to order.

That is changing. In Mumbai, Bengaluru and Delhi, a new wave of breakfast-only cafés is serving
regional dishes that rarely made it out of home kitchens: Malvani ghavan, Kashmiri girda,
Assamese jolpan.

“Every state has a breakfast culture, and most of it was invisible,” said chef Kavya Iyer, whose
Bandra café opens at 7am and is usually sold out of appam by ten. “We grew up eating this food.
We just never saw it in a restaurant.”

The numbers suggest diners agree. Delivery platforms report that breakfast orders have grown
faster than any other meal slot over the past two years, led by office workers who eat at their
desks.

Not everyone is convinced. Some home cooks grumble about paying ₹450 for a plate of poha. Iyer
shrugs. “My grandmother would say the same thing,” she said. “Then she would ask for the
recipe.”

=== br-sourdough
issue: br-0308
title: Why every city now has a sourdough club
standfirst: What began as a lockdown hobby has become a weekend ritual, complete with starter
  swaps and bread-scoring workshops
authors: Karan Bhasin
read: 4
layout: new2025
locales: de
body:
On the first Sunday of every month, about 40 people crowd into a community kitchen in Pune with
jars of bubbling starter under their arms.

The Pune Sourdough Club began in 2020 as a WhatsApp group for people who had never baked before.
It now has 1,200 members, a waiting list for its workshops and a starter that its founder claims
is older than her marriage.

Similar clubs have sprung up in Chennai, Kolkata, Hyderabad and Goa. Members trade flour, swap
recipes and argue, at length, about hydration ratios.

“It is slow, it is messy and you cannot rush it,” said founder Meera Joshi. “That’s exactly why
people like it.”

=== br-tasting
issue: br-0308
title: Five new tasting menus worth the splurge
summary: Seasonal produce, small courses and a few surprises: our pick of the city’s most
  ambitious new menus
read: 5
category: food
missing: en

=== br-slowliving
issue: br-0315
title: Slow living, fast rents
standfirst: The dream of moving to the hills is colliding with the reality of rising prices in
  India's favourite weekend towns
authors: Anisha Rao
read: 5
layout: new2025
locales: nb
body:
When software engineer Nikhil Rao moved from Bengaluru to a cottage near Coonoor in 2021, his
rent was ₹18,000 a month. This year his landlord asked for ₹42,000.

The pandemic turned hill towns into remote-work hubs, and many of those who arrived have stayed.
Homestays have become long-term lets; orchards have become gated communities.

Locals say the change has been abrupt. “The people who work in the cafés can’t afford to live
near the cafés,” said a shop owner in Kasauli.

Some state governments are considering limits on short-term rentals, but property developers
argue that the new arrivals have brought jobs and investment.

For Rao, the calculation is still worth it, just. “I have a view of tea gardens from my desk,”
he said. “I just don’t have a second bedroom any more.”

=== br-filmcamera
issue: br-0315
title: The return of the film camera
standfirst: A generation raised on smartphones is paying premium prices for cameras their
  parents threw away
authors: Rohan Dsouza
read: 4
layout: new2025
locales: ar
body:
At a small shop in Delhi’s Chandni Chowk, a 1982 Pentax that once sold for ₹300 is now priced at
₹14,000. It will probably be gone by the weekend.

Film photography is enjoying an unlikely revival among people in their twenties, who prize the
grain, the waiting and the fact that every frame costs money.

“On a phone you take 200 photos and look at none of them,” said Tanya Gill, 24, who shoots on a
secondhand Olympus. “With film you take 36, and you remember every one.”

The revival has its limits. Rolls of colour film now cost upwards of ₹1,500, and there are only
a handful of labs left in the country that can develop them.

=== br-collector
issue: br-0315
title: The collector's edition that started a bidding war
standfirst: A first printing of a 1960s Hindi comic sold for ₹11 lakh at auction. The story of
  how it survived is stranger than the comic itself
authors: Karan Bhasin
read: 6
layout: classic
locales: en
body:
The comic is 32 pages long, its cover is torn and one corner has been nibbled by something,
probably a mouse. Last month it sold at auction in Mumbai for ₹11 lakh.

html: It is one of only a handful of surviving copies of the first printing of <em>Chacha
Bahadur</em>, a 1967 comic that ran for just four issues before its publisher went bust.

The copy belonged to a retired schoolteacher in Indore, who kept it in a biscuit tin under her
bed for more than 50 years. Her grandson found it while clearing the house and, on a whim,
posted a photo on a collectors’ forum.

“Within an hour I had 40 messages,” he said. “Some of them were offering more than my car is
worth.”

Dealers say the market for vintage Indian comics has grown rapidly as the readers who grew up
with them reach their fifties and sixties, with money to spend and a taste for nostalgia.

The buyer, a Bengaluru-based tech investor, has said he plans to lend the comic to a museum.

=== br-pondicherry
issue: br-0315
title: A weekend in Pondicherry, without the crowds
summary: The French quarter is full, but the villages inland have quiet beaches, good coffee and
  rooms for half the price
read: 5
category: travel
missing: ar

=== br-playlist
issue: br-0322
title: Can a playlist fix your workout?
standfirst: Scientists say the right music can make exercise feel easier. The trick is choosing
  the tempo, not the genre
authors: Rohan Dsouza
read: 3
layout: new2025
locales: en
variants: price-banner
body:
Put on a song at 130 beats per minute and most people will start to walk faster without
noticing. Push it to 160 and they will start to jog.

Researchers have known for decades that music affects how hard exercise feels, but the latest
studies suggest the effect is strongest when the tempo is matched to the activity.

A 2023 study of 1,100 runners found that those who listened to music at a tempo close to their
stride rate reported feeling less tired, even though they ran at the same pace as a control
group.

Fitness instructors in Mumbai have taken note. Several studios now build their classes around
playlists rather than the other way round.

=== br-monsoon
issue: br-0322
title: Monsoon weddings, minus the monsoon
standfirst: Couples are moving the big day to the hills and the coast in search of cooler
  weather, and the wedding industry is following them
authors: Brunch Team
read: 5
layout: classic
locales: de
variants: mixed-prompt
body:
The wedding season used to follow the calendar of auspicious dates. Increasingly, it follows the
weather forecast.

With summers getting hotter and longer, couples are moving their celebrations to the hills of
Uttarakhand, the coast of Kerala and, for those who can afford it, to Bali and Sri Lanka.

Planners say bookings for venues above 1,500 metres have doubled in three years. “Nobody wants
their guests fainting during the pheras,” said one Delhi wedding planner.

The shift has created a boom for small hill towns, though not everyone is pleased. Residents of
one popular Himachal village complained that three weddings in one weekend had left the only
road blocked for hours.

=== br-smallplates
issue: br-0322
title: Small plates, big ambitions
standfirst: Sharing menus have taken over the restaurant scene. Are diners eating better, or
  just paying more for less?
authors: Kunal Mehra
read: 5
category: food
layout: new2025
locales: en, de
body:
Order the “small plates” at a fashionable restaurant and the waiter will usually recommend three
or four per person. It is worth doing the maths before you agree.

Sharing menus have become the default at new restaurants in every big Indian city, from Goa to
Gurugram. Chefs say the format lets them experiment; diners say it makes dinner feel like a
party.

“The plates are small, but the bill is not,” said one food writer, who estimates that a meal of
small plates now costs about 30 per cent more than an equivalent meal of mains.

Restaurateurs disagree. Rents and ingredient costs have risen, they argue, and small plates mean
less waste. “We’re not selling smaller portions,” one owner said. “We’re selling more of them.”

=== br-quiz
issue: br-0322
title: The Brunch quiz: how well do you know your chaat?
summary: Ten questions on the country’s favourite street snack, from papdi to pani puri
read: 2
category: food
missing: en

=== br-nap
issue: br-0329
title: In praise of the afternoon nap
standfirst: Sleep scientists say a 20-minute nap after lunch can sharpen the mind. Some offices
  are starting to listen
authors: Anisha Rao
read: 4
layout: unknown
wording: 2025
locales: ar
body:
In much of India the afternoon nap was once a household institution. Shops pulled down their
shutters after lunch and the whole street went quiet until four.

Then came air-conditioned offices, open-plan floors and the expectation of being always online.
The siesta became something to be embarrassed about.

Sleep researchers think that was a mistake. Studies suggest that a short nap of 10 to 20 minutes
improves alertness and memory, as long as it doesn’t tip into deep sleep.

“The dip after lunch is biological, not a sign of laziness,” said Dr Sunita Pillai, a sleep
specialist in Kochi. “You can fight it with coffee, or you can work with it.”

A handful of companies in Bengaluru and Hyderabad have installed nap pods. Take-up, they admit,
has been slow: nobody wants to be seen using them first.

=== br-chai
issue: br-0329
title: Notes from a chai stall
standfirst: Forty years, three prime ministers and one kettle: a Lucknow tea seller on the city
  he has watched from behind his counter
authors: Kunal Mehra
read: 3
layout: new2025
locales: en
variants: free
body:
Ramesh Yadav opened his chai stall opposite the railway station in Lucknow in 1985, with a
kerosene stove, a dented kettle and six glasses.

He still uses the kettle. The stove is gas now, and the glasses have been replaced so many times
that he has lost count.

He has served students, soldiers, film crews and, once, a minister, who asked for less sugar and
did not pay. “He sent someone the next day with the money,” Yadav said. “Ten rupees. I still
have the note.”

Asked what has changed in 40 years, he thinks for a long time. “People are in more of a hurry,”
he said eventually. “But they still stop for tea.”

=== br-watch
issue: br-0329
title: What to watch this week
summary: A courtroom drama, a Malayalam thriller and the return of a cult sitcom
read: 3
missing: de

=== br-styledoctor
issue: br-0329
title: Ask the style doctor: what do I wear to a daytime wedding?
summary: Our columnist on colours, fabrics and the eternal question of the blazer
read: 2
missing: en

=== gr-trench
issue: gr-1809
title: The return of the trench coat
standfirst: It has been around for a century, but this season's trench comes in colours, cuts
  and fabrics that would surprise its military inventors
authors: Team Grazia
read: 4
layout: classic
locales: es
variants: vox-pop
body:
Every autumn someone declares the trench coat back, as if it had ever left. This year, for once,
they may have a point.

The catwalks were full of them: cropped trenches, belted trenches in rust and olive, trench
dresses with the sleeves cut off. One designer even showed a trench made entirely of recycled
sari silk.

Retailers say sales of trench coats in India have risen by a third since last year, helped by a
wet monsoon and a steady supply of celebrity airport photos.

So we asked readers how they wear theirs.

VOX POP

=== gr-bridal
issue: gr-1809
title: Meet the women rewriting the rules of bridal wear
standfirst: Pastel lehengas, pantsuits and grandmother's saris: a new generation of brides is
  dressing for itself
authors: Mehak Sethi
read: 5
layout: classic
locales: fr
body:
When Aditi Rao married last winter she wore a pale blue pantsuit, embroidered by hand with the
names of her grandparents. Her mother cried, and not, she says, entirely from joy.

Designers say Aditi is part of a growing group of brides who are turning away from the heavy red
lehenga that has dominated Indian weddings for decades.

“Brides come in with screenshots from Pinterest, not photographs of their mothers,” said one
Delhi designer. “They want something they can wear again.”

Others are going in the opposite direction, restoring their grandmothers’ saris instead of
buying new ones. Restoration studios report waiting lists of up to six months.

=== gr-shelfie
issue: gr-1809
title: Shelfie: what our editors actually use
standfirst: Forget the 12-step routine. Here is what is really on the bathroom shelf at Grazia
authors: Team Grazia
read: 3
category: beauty
layout: classic
locales: en
body:
html: We get sent more beauty products than we could ever use. So we asked the <em>Grazia</em>
team to empty their bathroom cabinets and tell us, honestly, what they reach for every day.

The answers were reassuringly short. Most of us use a cleanser, a moisturiser and a sunscreen,
and not much else. One editor admitted she has used the same cold cream since she was 16.

The most popular product in the office turned out to be a ₹199 lip balm from a pharmacy chain,
which beat several serums costing 20 times as much.

Our beauty director was unrepentant about her exceptions. “A good retinol is worth it,” she
said. “So is sleep. Nobody sells that.”

=== gr-frontrow
issue: gr-1809
title: The 20 best looks from fashion week's front row
summary: Sequins at breakfast, sneakers with saris and one very brave cape
read: 3
missing: es

=== gr-vintage
issue: gr-1810
title: Why vintage is the new luxury
standfirst: Secondhand designer pieces are selling faster than new ones, and the big brands have
  noticed
authors: Mehak Sethi
read: 5
layout: other
locales: fr
body:
Ten years ago, wearing secondhand clothes in Mumbai was something you did if you had to. Now it
is something you boast about on Instagram.

Resale platforms for designer fashion report that sales in India have more than doubled in two
years. Vintage handbags, in particular, can sell for more than they cost new.

“Buyers want pieces with a story,” said the founder of one online vintage store. “A bag that was
carried through the 1990s has more personality than one that came out of a box last week.”

Luxury brands, which once treated resale as a threat, are now setting up their own secondhand
schemes.

For shoppers, there is also a simpler appeal. “It is the only way I can afford the labels I
like,” one buyer admitted.

=== gr-sneakers
issue: gr-1810
title: Sneakers at the office: a field guide
standfirst: Trainers have taken over the workplace. Here is how to wear them without looking
  like you are on your way to the gym
authors: Team Grazia
read: 3
category: lifestyle
layout: classic
locales: es
body:
Somewhere in the last five years, the office dress code quietly surrendered to the sneaker.

Even in banks and law firms, where heels and brogues once ruled, plain leather trainers are now
a common sight. Stylists say the trick is to keep them clean, simple and, ideally, white.

“Think of them as a shoe, not as sportswear,” advised one Mumbai stylist. “If it has a logo the
size of your hand, leave it at home.”

Colour is allowed, within reason. Pastels work with tailoring; neon is best kept for the
weekend.

=== gr-whiteshirt
issue: gr-1810
title: The quiet power of a white shirt
standfirst: The most ordinary item in your wardrobe may be the most useful. Five women explain
  why they own a dozen
authors: Naina Kapur
read: 4
layout: classic
locales: ar
body:
There is a white shirt in almost every wardrobe, and almost nobody thinks about it.

We asked five women – a lawyer, a chef, an architect, a musician and a politician – why they
rely on theirs. The answers ranged from the practical (“it goes with everything”) to the
philosophical (“it means I never have to decide”).

“I own 14,” said the architect. “People assume I wear the same shirt every day. In a way, I do.”

Designers say the white shirt has survived every trend because it can be dressed up or down.
Tuck it into a silk skirt for dinner, or wear it open over a swimsuit on the beach.

=== gr-stars
issue: gr-1810
title: Your stars this month
summary: What the planets have planned for your love life, your career and your wardrobe
read: 2
category: lifestyle
missing: es

=== gr-party
issue: gr-1811
title: Party season, decoded
standfirst: Sequins, velvet or something in between? A guide to dressing for every invitation
  between Diwali and New Year
authors: Team Grazia
read: 5
layout: unknown
locales: es
body:
The invitations start arriving in October and do not stop until January. Between Diwali parties,
weddings, office dinners and New Year’s Eve, the festive season can involve a dozen outfits.

The good news is that almost none of them need to be new. Stylists recommend building the season
around two or three pieces that can be worn in different ways.

A sequinned skirt, for instance, works with a knit for a lunch and with a silk camisole for a
party. A velvet blazer can go over a sari as easily as over a dress.

“People buy a new outfit for every event and then never wear any of them again,” said one Delhi
stylist. “Repeat. Nobody is keeping a spreadsheet.”

=== gr-bollywood
issue: gr-1811
title: The designer who dresses Bollywood's brides
standfirst: Neha Malhotra started with a single sewing machine in her mother's garage. Now the
  waiting list for her lehengas runs into 2020
authors: Mehak Sethi; Naina Kapur
read: 6
layout: classic
locales: en
body:
Neha Malhotra still keeps the sewing machine she started with: a black Usha, bought secondhand
in 2006, that sits in a corner of her Mumbai studio like a museum piece.

In the years since, she has dressed three film stars for their weddings and dozens more for the
premieres and award nights that follow them. Her lehengas now take up to 4,000 hours of hand
embroidery and cost more than a family car.

Malhotra says her success rests on something simple. “I listen,” she said. “A bride tells you
what she wants in the first five minutes. The rest is noise.”

The waiting list for a bespoke piece is now 18 months long, and brides who want one for a winter
2019 wedding are already too late.

She is unapologetic about the prices. “Each piece keeps 30 craftsmen in work for a month,” she
said. “That is what you are paying for.”

=== gr-velvet
issue: gr-1811
title: Velvet, but make it daytime
standfirst: The fabric of evening gowns and sofas is having a daytime moment. Here is how to
  wear it before dark
read: 3
layout: classic
locales: fr
body:
Velvet has spent most of its life after dark. This winter it has escaped.

Designers are cutting it into trousers, shirts and even trainers, in colours like moss, rust and
mustard rather than the traditional black and burgundy.

The key, stylists say, is to wear it with something plain. A velvet blazer looks sharp with a
T-shirt and jeans; a velvet skirt works with a chunky jumper.

One warning: velvet shows everything. Keep a clothes brush in your bag.

=== gr-gifts
issue: gr-1811
title: Gift guide: 50 presents under ₹5,000
summary: For your sister, your boss and the friend who has everything
read: 4
category: lifestyle
missing: en

=== gr-winterskin
issue: gr-1811
title: Winter skin: what actually works
summary: Dermatologists separate the myths from the moisturisers
read: 3
category: beauty
missing: fr

=== ol-subscriptions
issue: ol-0201
title: The subscription economy comes for the magazine rack
standfirst: Digital newsstands are betting that readers will pay a monthly fee for everything,
  rather than a cover price for one title
authors: Sunil Menon
read: 6
category: business
layout: classic
# premium: its page is a trap fixture in tests/fixtures/traps (its text names
# the brand), so a crawl of samples/ passes ../shared/tools/check_output.py
missing: en
body:
The newsstand in Delhi’s Khan Market has been selling magazines since 1964. Its owner says sales
of print titles have halved in ten years, but his customers have not stopped reading. They have
simply moved to their phones.

Digital newsstands, which bundle thousands of magazines and newspapers into a single
subscription, are among the quieter winners of that shift. For a monthly fee, readers get access
to titles they would never have bought individually, and publishers get a share of the revenue
based on what is read.

Magzter GOLD now counts more than a million paying readers, the company said.

Publishers remain divided on the model. Some say the revenue from bundles has helped keep
loss-making titles alive; others worry that it trains readers to see journalism as something
that costs almost nothing.

“It is the Spotify question,” said a media analyst in Mumbai. “Bundling grows the market. The
argument is about who gets what share of it.”

For readers, the appeal is obvious. One subscriber in Pune said she now reads 12 magazines a
month, up from two. “I just don’t read any of them cover to cover.”

=== ol-air
issue: ol-0201
title: Delhi's air: a winter without answers
standfirst: Another season of toxic smog has come and gone. The plans to fix it are still mostly
  on paper
authors: Farah Qureshi
read: 5
layout: classic
locales: de
body:
For six weeks this winter, the air quality index in parts of Delhi did not fall below 300, a
level the government’s own guidelines describe as “very poor”.

Schools closed, construction was halted and flights were diverted. Hospitals reported a surge in
children with breathing problems.

Every year brings new promises: smog towers, odd-even driving rules, subsidies for farmers to
stop burning crop stubble. Every year the smog returns.

Scientists say there is no single cause, and therefore no single fix. Vehicle exhaust, industry,
dust, the burning of waste and stubble fires in neighbouring states all play a part, and their
share changes week by week.

“We know what works,” said an environmental engineer at IIT Delhi. “Cleaner fuel, better public
transport, enforcement. It is not glamorous, and it takes years.”

=== ol-budget
issue: ol-0201
title: Budget 2025: the middle class gets its moment
standfirst: A sweeping cut in income tax puts more money in salaried pockets. Economists are
  less sure it will get spent
authors: Sunil Menon; Arvind Rao
read: 7
category: business
layout: other
wording: 2025
locales: nb
body:
For years, the salaried middle class has complained that every budget was written for somebody
else. This time, the finance minister addressed them directly.

Changes to income-tax slabs mean that millions of salaried taxpayers will pay less tax from
April, with the biggest gains going to those earning between ₹10 lakh and ₹25 lakh a year.

The government hopes the extra cash will be spent, giving a lift to consumer demand that has
been sluggish for more than a year.

Economists are not so sure. Many households, they point out, are carrying more debt than before
the pandemic and may use the windfall to pay it down.

“A tax cut is a bet on confidence,” said one economist at a Mumbai brokerage. “If people are
worried about their jobs, they save it.”

=== ol-farmers
issue: ol-0201
title: The unfinished business of the farm protests
summary: Four years on, the farmers who camped on Delhi's borders say the promises made to them
  have not been kept
read: 8
missing: en

=== ol-cricket
issue: ol-0211
title: The cricket academies of small-town India
standfirst: The next generation of India's fast bowlers is coming from towns most selectors
  could not find on a map
authors: Farah Qureshi
read: 5
category: sports
layout: new2025
locales: ar
body:
The academy in Bareilly has one turf pitch, two concrete nets and a bowling machine donated by a
local jeweller. It also has three players on the books of IPL franchises.

Small-town academies are changing the way Indian cricket finds its talent. Scouts who once
watched only the big-city clubs now spend their winters on buses to places like Moradabad,
Jalgaon and Sagar.

“The boys here bowl fast because nobody told them not to,” said the academy’s founder, a former
Ranji Trophy player. “In the city they get coached out of it by the age of 14.”

The academies survive on donations and fees of about ₹1,500 a month, which many families
struggle to pay. Several coaches said they waive the fee for their best players.

=== ol-chips
issue: ol-0211
title: Inside India's semiconductor gamble
standfirst: Billions in subsidies have brought the first chip plants to Gujarat and Assam.
  Making them pay will be harder
authors: Arvind Rao
read: 7
category: business
layout: new2025
locales: de
body:
On a patch of former farmland outside Dholera, the walls of one of India’s first large
semiconductor fabrication plants are rising out of the dust.

The government has committed more than ₹76,000 crore in incentives to attract chipmakers, and
several global companies have announced plans to build assembly and testing units.

Supporters say the investment is overdue. India imports almost all of its chips, and the
shortages of 2021 showed how exposed that left its car and electronics makers.

Sceptics point to the scale of the challenge. A modern fab needs a constant supply of ultra-pure
water, stable power and thousands of specialised engineers, none of which can be conjured
overnight.

“The plants are the easy part,” said one industry consultant. “The ecosystem around them is what
takes twenty years.”

=== ol-river
issue: ol-0211
title: A river that no longer reaches the sea
standfirst: Dams, sand mining and a changing climate have left the lower stretches of a
  once-mighty river dry for months at a time
authors: Farah Qureshi
read: 6
layout: classic
locales: es
body:
Fishermen in the delta villages remember when the river arrived every monsoon with such force
that it pushed fresh water kilometres out to sea.

Now, for four or five months of the year, the river does not reach the sea at all. The mouth
silts up, salt water creeps inland and wells that once gave sweet water turn brackish.

Hydrologists blame a combination of upstream dams, irrigation canals and illegal sand mining,
which has lowered the riverbed in places by several metres.

“The river is being used up before it gets here,” said a village council head. “We are at the
end of the pipe.”

State officials say a new water-sharing agreement will guarantee a minimum flow. Villagers say
they have heard that promise before.

=== ol-voterlists
issue: ol-0211
title: Why new voter-list rules worry opposition parties
summary: Changes to the way electoral rolls are revised have triggered a row ahead of the next
  round of state polls
read: 6
category: politics
missing: de

=== ol-cinema
issue: ol-0221
title: The long goodbye of the single-screen cinema
standfirst: Once there were more than 24,000 single screens in India. Fewer than 7,000 remain,
  and their owners are running out of ideas
authors: Arvind Rao
read: 6
category: entertainment
layout: new2025
locales: nb
body:
The Regal’s projection room smells of dust and warm metal. The projector itself, a German
machine installed in 1978, has not run since the pandemic.

India had more than 24,000 single-screen cinemas at its peak in the 1990s. Industry estimates
put the number still operating at fewer than 7,000.

Multiplexes, streaming and soaring property prices have all played a part. For many owners, the
land under the cinema is worth far more than anything they could earn from showing films.

A few have found ways to survive, by screening regional films that multiplexes ignore, or by
renting the hall out for weddings and religious events.

“People come and tell me they saw their first film here,” said the owner of one Pune cinema. “I
ask them when they last came back. They go quiet.”

=== ol-gig
issue: ol-0221
title: Why India's gig workers are organising
standfirst: Delivery riders and cab drivers are forming unions to demand minimum pay and
  accident insurance. The platforms are watching
authors: Sunil Menon
read: 5
category: business
layout: classic
locales: ar
body:
At 11pm on a Friday, a group of delivery riders gathers outside a shopping mall in Gurugram,
helmets on their knees, phones in their hands.

They are not waiting for orders. They are holding a union meeting.

India’s gig workforce is estimated at more than 7.7 million people, most of them working for
app-based delivery and ride-hailing companies. Few have formal contracts, fixed pay or health
insurance.

Rajasthan and Karnataka have passed laws requiring platforms to contribute to welfare funds for
gig workers, and riders in other states want the same.

The companies say their workers value flexibility and that many drive or deliver part-time. The
riders outside the mall laughed at that. “Flexible,” one said. “I work 12 hours a day.”

=== ol-upi
issue: ol-0221
title: How India learned to pay with a QR code
standfirst: From vegetable carts to temple donation boxes, instant payments have changed how a
  country handles money
authors: Arvind Rao
read: 5
category: business
layout: new2025
locales: en
body:
In a market in Varanasi, the man selling marigolds has a laminated QR code hanging from his cart
next to the flowers. So does the man selling tea, and the one selling plastic toys.

html: India’s Unified Payments Interface, launched in 2016, now handles more than
13&nbsp;billion transactions a month, more than any other real-time payments system in the
world.

The system’s success has surprised even its designers. It was built for small transfers between
bank accounts; it has become the way people pay for almost everything.

Critics worry about what happens when the network goes down, or when fraudsters target users who
are new to digital money. Complaints about payment fraud have risen sharply, and banks say they
are struggling to keep up.

For the marigold seller, the case is simple. “No change, no counting, no fake notes,” he said.
“The money is in the bank before the customer has walked away.”

=== ol-kashmir
issue: ol-0221
title: Letters from the valley: a Kashmir diary
summary: A month of snow, power cuts and unexpected visitors in a village above Gulmarg
read: 5
missing: nb

=== wl-camino
issue: wl-2105
title: Walking the Camino, one stamp at a time
standfirst: The pilgrim routes to Santiago de Compostela are reopening. We walked the last 100km
  and collected the stamps to prove it
authors: Alex Petrie
read: 7
layout: classic
locales: en
variants: app-cta
body:
The first stamp came from a bar in Sarria, pressed into my pilgrim passport by a woman who was
simultaneously making coffee, answering the phone and telling a German cyclist that he was going
the wrong way.

To earn a Compostela, the certificate given to those who complete the pilgrimage, walkers must
cover at least the last 100km to Santiago and collect two stamps a day as proof. The stamps come
from churches, hostels, cafés and, occasionally, from a farmer at the side of the road.

Last year, with borders closed, only a small fraction of the usual pilgrims made it. This spring
the routes are quiet but open, and the albergues are taking bookings again.

=== wl-hebrides
issue: wl-2105
title: Scotland's island-hopping revival
standfirst: A new ferry pass makes it easier than ever to explore the Hebrides. Just don't
  expect to keep to a schedule
authors: Claire Dunmore
read: 6
layout: classic
locales: en
count: 8500+
body:
The ferry from Oban to Barra takes just under five hours, which is about the time it takes to
stop checking your phone.

Island-hopping in the Hebrides has always been possible, but rarely simple. A hop-on, hop-off
pass, valid for 8 or 15 days, is designed to change that, bundling a dozen routes into a single
ticket.

The pass is best used without a rigid plan. Weather cancels sailings, cafés close when they run
out of scones and the best beach on Harris may be the one you find by accident. As one skipper
put it: 'The timetable is more of a suggestion.'

Visitor numbers are expected to be well below pre-pandemic levels this summer, and islanders are
cautiously welcoming. Many businesses ask visitors to book ahead and to take a lateral flow test
before travelling.

=== wl-staycations
issue: wl-2105
title: The 50 best UK staycations for 2021
summary: Cottages, campsites and coastal walks: our pick of the places to go while the world
  reopens
read: 9
missing: en

=== wl-faroe
issue: wl-2106
title: The Faroe Islands without the crowds
standfirst: Eighteen islands, 70,000 sheep and a tourist board that once closed the country for
  maintenance. What to know before you go
authors: Claire Dunmore
read: 5
layout: classic
locales: nb
body:
The Faroe Islands have more sheep than people, and on some days it feels like more waterfalls
than either.

The archipelago, halfway between Scotland and Iceland, has long been a secret among hikers and
birdwatchers. In 2019 its tourist board made headlines by “closing” the islands for a weekend so
that volunteers could repair footpaths.

Those paths are now in better shape than ever, and visitor numbers, kept low by travel
restrictions, are a fraction of what they were.

The weather is famously changeable. Locals say that if you do not like it, you should wait five
minutes; visitors quickly learn that this works in both directions.

Accommodation is limited, so book early, and rent a car: buses are infrequent and the best
viewpoints are at the ends of single-track roads.

=== wl-kumano
issue: wl-2106
title: Japan's forgotten pilgrim trail
standfirst: The Kumano Kodo has been walked for a thousand years. In a year without tourists,
  the mountain villages along it are waiting
authors: Alex Petrie
read: 6
layout: classic
locales: de
body:
The Kumano Kodo is a network of ancient paths that wind through the forested mountains of the
Kii Peninsula, linking three grand shrines that have drawn pilgrims since the 10th century.

Before the pandemic, the trail was growing fast in popularity, with foreign walkers making up a
large share of those staying in the family-run inns along the route.

Those inns have spent the past year almost empty. “We clean the rooms every week,” said the
owner of one guesthouse in Chikatsuyu. “We want them ready.”

When travel resumes, walkers can expect steep stone steps, cedar forests, hot springs at the end
of the day and dinners of a dozen tiny dishes served in their room.

=== wl-toddler
issue: wl-2106
title: Ask the experts: travelling with a toddler
standfirst: Our panel of seasoned family travellers answers your questions on flights, sleep and
  snacks
authors: Claire Dunmore
read: 4
layout: classic
locales: en
variants: free
body:
Q: We are flying long-haul with our two-year-old for the first time. Any tips for the flight?

A: Book a night flight if you can, and bring more snacks than you think anyone could possibly
need. Wrap a few small new toys so there is something to unwrap every hour. And ignore the looks
from other passengers: most of them have been there.

Q: How do we cope with jet lag?

A: Get outside in daylight as soon as you arrive and keep naps short on the first day. Expect a
couple of early mornings. Children usually adjust faster than their parents.

html: Send your questions to the Wanderlust team at <a
href="mailto:experts@wanderlust.co.uk">experts@wanderlust.co.uk</a>.

=== wl-iceland
issue: wl-2106
title: Iceland reopens: what you need to know
summary: Testing, quarantine rules and the best places to see the northern lights this winter
read: 4
missing: de
"""

if __name__ == "__main__":
    sys.exit(main())
