"""The challenge check reads the page's visible text and title as the XPath queries it
replaces do (``//body//text()[not(ancestor::script or ancestor::style)]``,
``//title//text()``), on edge markup and on every page of ``samples/``, and still tells a
challenge page from a real one."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from aggregator.pages.challenge import (
    _TITLE_TEXT,
    VISIBLE_TEXT,
    ChallengePage,
    guard_groups,
    marks,
    short_text,
    title_text,
    visible_texts,
)
from aggregator.utils.text import collapse

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

PAGES = {
    "comments and instructions": (
        "<html><head><title>T</title></head><body><p>a<!--c-->b<?pi x?>c</p>"
        "<!--top-->d</body></html>"
    ),
    "scripts and styles": (
        "<html><body>x<script>s1</script>t1<div><style>p{}</style>t2<script><!--s2-->"
        "</script></div><noscript>n</noscript>t3</body></html>"
    ),
    "two bodies": "<html><body>a<p>b</p></body><body>c<title>in body</title></body></html>",
    "svg titles": (
        "<html><head><title>Page</title></head><body><svg><title>Icon</title></svg>"
        "<p>text</p></body></html>"
    ),
    "upper case title": "<HTML><HEAD><TITLE>Just a moment...</TITLE></HEAD><BODY>x</BODY></HTML>",
    "no title": "<html><body><p class='title'>&lt;title&gt; is not one</p></body></html>",
    "title after the body": "<html><body><p>x</p></body></html><title>late</title>",
    "title in a comment": "<html><head><!-- <title>no</title> --><title>yes</title></head></html>",
    "text before and after body": "before<html><head></head><body>in</body></html>after",
    "whitespace": "<html><body> \n <p>\u00a0a  b\t</p>\n<p> </p>c</body></html>",
}


def _response(markup: str | bytes, encoding: str = "utf-8") -> HtmlResponse:
    body = markup.encode(encoding) if isinstance(markup, str) else markup
    return HtmlResponse("http://127.0.0.1/page.html", body=body, encoding=encoding)


def _check(response: HtmlResponse) -> None:
    root = response.selector.root
    assert list(visible_texts(root)) == VISIBLE_TEXT(root)
    assert title_text(response) == collapse(" ".join(_TITLE_TEXT(root)))


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_texts_are_what_the_xpath_selects(name: str, encoding: str) -> None:
    _check(_response(PAGES[name], encoding))


def test_texts_on_every_sample_page() -> None:
    pages = sorted(SAMPLES.rglob("*.html"))
    assert pages, "samples/ holds the generated site"
    for path in pages:
        _check(_response(path.read_bytes()))


def test_short_text_stops_at_its_limit() -> None:
    root = _response(PAGES["whitespace"]).selector.root
    assert short_text(root, 10) == "a b c"
    assert short_text(root, 5) == "a b c"
    assert short_text(root, 4) is None
    long = _response("<html><body>" + "<p>word</p>" * 5000 + "</body></html>").selector.root
    assert short_text(long, 3000) is None
    assert short_text(long, 30_000) == " ".join(["word"] * 5000)


def test_a_challenge_is_told_from_a_page() -> None:
    upper = _response(PAGES["upper case title"])
    assert ChallengePage(upper).reason() == "challenge page (title 'Just a moment...')"
    svg = _response(PAGES["svg titles"].replace("Page", "Just a moment"))
    assert ChallengePage(svg).reason() == "challenge page (title 'Just a moment Icon')"
    late = _response("<html><body><p>x</p></body></html><title>Access denied</title>")
    assert ChallengePage(late).reason() == "challenge page (title 'Access denied')"
    short = _response("<html><body><p>Checking your browser before you go on</p></body></html>")
    assert ChallengePage(short).reason() == "challenge page (text 'checking your browser')"
    hidden = _response("<html><body><script>'Checking your browser'</script>x</body></html>")
    assert ChallengePage(hidden).reason() is None
    assert ChallengePage(_response(PAGES["svg titles"])).reason() is None


def test_markup_groups_find_the_first_string_in_order() -> None:
    m = marks()
    grouped = [string for _, strings in m.markup_groups for string in strings]
    assert sorted(grouped) == sorted(set(m.markup))
    assert all(guard in string for guard, strings in m.markup_groups for string in strings)
    assert len(m.markup_groups) < len(m.markup)
    page = b"<html><body><p>a recaptcha-less captcha, a challenge, Incapsula</p></body></html>"
    assert m.markup_mark(page) is None
    for string, later in itertools.permutations(m.markup, 2):
        body = page.replace(b"</p>", b"</p>" + later + b"<i>" + string + b"</i>")
        first = min((string, later), key=m.markup.index)
        assert m.markup_mark(body) == first.decode()


def test_guard_groups() -> None:
    groups = guard_groups((b"abcdefgh-1", b"xx-abcdefgh", b"short", b"lonely-string", b"short"))
    assert groups == (
        (b"abcdefgh", (b"abcdefgh-1", b"xx-abcdefgh")),
        (b"lonely-string", (b"lonely-string",)),
        (b"short", (b"short",)),
    )


COLUMN_PAGES = {
    **PAGES,
    "long article": (
        "<html><body><nav>"
        + "<a href='/x'>menu</a>" * 50
        + "</nav><article><p>"
        + "word " * 40
        + "</p><script>"
        + "s" * 500
        + "</script></article>tail</body></html>"
    ),
    "short article, long page": (
        "<html><body><article>a</article>" + "<p>more text</p>" * 20 + "</body></html>"
    ),
    "main before article": "<html><body><main><p>m m</p></main><article>a</article></body></html>",
    "article in a style": "<html><body><style><article>x</article></style>y</body></html>",
    "article outside the body": "<html><article>before</article><body>in</body></html>",
}


def _reference(root: object, limit: int) -> str | None:
    text = " ".join(part for part in map(collapse, VISIBLE_TEXT(root)) if part)
    return None if len(text) > limit else text


@pytest.mark.parametrize("name", sorted(COLUMN_PAGES))
def test_short_text_is_the_visible_text_within_its_limit(name: str) -> None:
    root = _response(COLUMN_PAGES[name]).selector.root
    for limit in (0, 1, 3, 5, 10, 50, 100, 150, 199, 200, 201, 250, 500, 3000):
        assert short_text(root, limit) == _reference(root, limit), limit


def test_short_text_on_every_sample_page() -> None:
    for path in sorted(SAMPLES.rglob("*.html")):
        root = _response(path.read_bytes()).selector.root
        for limit in (100, 3000, 10**6):
            assert short_text(root, limit) == _reference(root, limit), (path, limit)
