"""Site chrome of real weight for the benchmark mirror's pages.

A real story page carries 100 kB and more around the article: a navigation menu with every
category and hundreds of publications, a footer of links and legal text, a style sheet and
inline scripts (an application bundle, a JSON state blob). ``sitegen`` renders the markup
contract only (the tests byte-compare ``samples/``), so the benchmark mirror adds the chrome
here, around the rendered page: ``dress(html, locale)`` puts a ``<style>`` into ``<head>``,
the menu after ``<body …>`` and the footer and scripts before ``</body>``.

The chrome links to category, publication, account and help pages, never to a story, an
issue or an archive page: the crawl's requests and items are the same with it or without it.
Only the cost of parsing and of walking the page grows, as on the real site.
"""

from __future__ import annotations

import json
import random
import re
from functools import cache

CATEGORIES = (
    "news",
    "business",
    "lifestyle",
    "fashion",
    "travel",
    "sports",
    "technology",
    "food",
    "health",
    "entertainment",
    "science",
    "automotive",
)
_WORDS = [
    "Times",
    "Weekly",
    "Review",
    "Living",
    "Digest",
    "World",
    "Style",
    "Motor",
    "Home",
    "Garden",
    "Money",
    "Health",
    "Travel",
    "Kitchen",
    "Tech",
    "Sport",
    "Herald",
    "Journal",
    "Gazette",
    "Express",
    "Chronicle",
    "Today",
    "Monthly",
    "Studio",
    "Outdoor",
    "Family",
    "Design",
    "Science",
    "Nature",
    "Cinema",
    "Music",
    "Art",
    "Wellness",
    "Business",
    "Markets",
]
_LEGAL = (
    "All rights reserved. Reproduction in whole or in part without written permission is "
    "prohibited. Magazines and newspapers are delivered digitally to subscribers; prices "
    "include applicable taxes where required. Your use of this site is subject to the terms "
    "of use and the privacy policy, which describe how your data is collected and used. "
)
HEAD_END = "</head>"
BODY_END = "</body>"
_BODY_START = re.compile(r"<body[^>]*>")


def _name(rng: random.Random) -> str:
    return " ".join(rng.sample(_WORDS, rng.randint(2, 3)))


def _slug(name: str) -> str:
    return name.replace(" ", "-")


def _menu(rng: random.Random, locale: str) -> str:
    parts = ['<header class="site-header"><div class="top-bar">']
    parts.append('<a class="logo" href="/index.html"><span>Magzter</span></a>')
    parts.append(
        '<form class="search" action="/search"><input type="search" name="q" '
        'placeholder="Search magazines, newspapers and stories"></form>'
    )
    parts.append('<a class="account" href="/login">Sign in</a><a href="/gold">GOLD</a></div>')
    parts.append('<nav class="mega-menu" aria-label="Categories"><ul class="menu-root">')
    for category in CATEGORIES:
        parts.append(
            f'<li class="menu-cat"><a class="menu-cat-link" href="/{locale}/magazines/'
            f'category/{category}">{category.title()}</a><div class="menu-panel"><ul>'
        )
        for _ in range(30):
            name = _name(rng)
            parts.append(
                f'<li class="menu-item"><a class="menu-pub" href="/{locale}/magazines/'
                f'{category}/{_slug(name)}" data-track="nav-{category}">'
                f'<img class="menu-icon" src="/img/{_slug(name).lower()}.webp" alt="" '
                f'width="24" height="32" loading="lazy"><span>{name}</span></a></li>'
            )
        parts.append("</ul></div></li>")
    parts.append("</ul></nav></header>")
    return "".join(parts)


def _footer(rng: random.Random, locale: str) -> str:
    parts = ['<footer class="site-footer"><div class="footer-cols">']
    for column in ("Company", "Help", "Partners", "Categories", "Countries", "Languages"):
        parts.append(f'<div class="footer-col"><h5>{column}</h5><ul>')
        for _ in range(30):
            name = _name(rng)
            parts.append(
                f'<li><a href="/{locale}/{column.lower()}/{_slug(name).lower()}">{name}</a></li>'
            )
        parts.append("</ul></div>")
    parts.append("</div>")
    for _ in range(6):
        parts.append(f'<p class="legal">{_LEGAL}</p>')
    parts.append("</footer>")
    return "".join(parts)


def _bundle(rng: random.Random) -> str:
    """An inline script the size of a real page's bundle (about 30 kB)."""
    functions = []
    for n in range(200):
        a, b = rng.randint(0, 999), rng.randint(0, 999)
        functions.append(
            f"function f{n}(e,t){{var n=e&&e.length?e[{a % 7}]:null;if(!n)return t||{b};"
            f'return n.key==="k{a}"?f{(n + 1) % 200}(e.slice(1),t):n.value*{b}+{a}}}'
        )
    return "<script>(function(){" + ";".join(functions) + "})();</script>"


def _state(rng: random.Random, locale: str) -> str:
    """The JSON state blob single-page sites print (about 20 kB), not JSON-LD."""
    state = {
        "locale": locale,
        "experiments": {f"exp{n}": rng.random() < 0.5 for n in range(40)},
        "menu": [
            {"id": rng.randint(1, 10**6), "title": _name(rng), "category": c}
            for c in CATEGORIES
            for _ in range(12)
        ],
    }
    blob = json.dumps(state, separators=(",", ":"))
    return f'<script id="app-state" type="application/json">{blob}</script>'


def _style(rng: random.Random) -> str:
    rules = (
        f".c{n}{{margin:{rng.randint(0, 24)}px;padding:{rng.randint(0, 16)}px;"
        f"color:#{rng.randint(0, 0xFFFFFF):06x}}}"
        for n in range(200)
    )
    return "<style>" + "".join(rules) + "</style>"


@cache
def chrome(locale: str) -> tuple[str, str, str]:
    """The head extra, the header and the footer (scripts included) for an interface locale."""
    rng = random.Random(f"chrome:{locale}")
    head = _style(rng)
    header = _menu(rng, locale)
    footer = _footer(rng, locale) + _state(rng, locale) + _bundle(rng)
    return head, header, footer


def dress(html: str, locale: str) -> str:
    """``html`` with the chrome of ``locale`` around its content."""
    head, header, footer = chrome(locale)
    html = html.replace(HEAD_END, head + HEAD_END, 1)
    start = _BODY_START.search(html)
    if start is not None:
        html = html[: start.end()] + header + html[start.end() :]
    index = html.rfind(BODY_END)
    if index >= 0:
        html = html[:index] + footer + html[index:]
    return html
