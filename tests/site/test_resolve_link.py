"""``resolve_link`` remembers its joins (by the page's folder, for most links): the URL it
gives is still ``Response.urljoin``'s, fragment dropped, for every kind of base and link,
and for every link of every page of ``samples/``."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from aggregator.site.links import resolve_link

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

BASES = [
    "http://127.0.0.1:8000/stories/news/Pub/SLUG.html",
    "http://127.0.0.1:8000/stories/news/Pub/",
    "http://127.0.0.1:8000/stories/news/Pub",
    "http://127.0.0.1:8000",
    "http://127.0.0.1:8000/a//b/c.html",
    "http://127.0.0.1:8000/a/b.html?page=2",
    "http://127.0.0.1:8000/a/b.html#top",
    "http://127.0.0.1:8000/a/b;v=1/c.html",
    "http://127.0.0.1:8000/a/b.html;v=1",
    "https://user@127.0.0.1/x/./y/../z.html",
    "file:///srv/mirror/stories/news/Pub/SLUG.html",
]

HREFS = [
    "x.html",
    "./x.html",
    "../x.html",
    "../../../../../x.html",
    ".",
    "..",
    "./",
    "a//b.html",
    "/root.html",
    "//other.example/p.html",
    "https://www.magzter.com/stories/news/Pub/S",
    "http:rel.html",
    "https:rel.html",
    "?q=1",
    ";p=1",
    "x.html?q=1#frag",
    "x.html#frag",
    "  spaced.html  ",
    "sub/../x.html",
    "%2e%2e/x.html",
]


def _expected(response: HtmlResponse, href: str) -> str:
    return response.urljoin(href.strip()).split("#", 1)[0]


@pytest.mark.parametrize("base", BASES)
def test_a_link_resolves_as_urljoin_has_it(base: str) -> None:
    response = HtmlResponse(base, body=b"<html><body></body></html>", encoding="utf-8")
    for href in HREFS:
        assert resolve_link(response, href) == _expected(response, href), href


def test_pages_of_one_folder_share_joins_without_mixing_them() -> None:
    """Two pages of one folder, then a page of another, in turns: each gets its own URLs."""
    urls = [
        "http://127.0.0.1/stories/news/Pub/ONE.html",
        "http://127.0.0.1/stories/news/Pub/TWO.html",
        "http://127.0.0.1/stories/life/Other/THREE.html",
        "http://127.0.0.1/stories/news/Pub/ONE.html?x=1",
    ]
    responses = [HtmlResponse(u, body=b"<html></html>", encoding="utf-8") for u in urls]
    for response, href in itertools.product(responses * 2, HREFS):
        assert resolve_link(response, href) == _expected(response, href), (response.url, href)


def test_a_base_element_is_honoured() -> None:
    body = b"<html><head><base href='http://127.0.0.1/other/dir/'></head><body></body></html>"
    response = HtmlResponse("http://127.0.0.1/a/b.html", body=body, encoding="utf-8")
    assert resolve_link(response, "x.html") == "http://127.0.0.1/other/dir/x.html"
    assert resolve_link(response, "?q") == "http://127.0.0.1/other/dir/?q"


def test_refused_links() -> None:
    response = HtmlResponse(BASES[0], body=b"<html></html>", encoding="utf-8")
    for href in (None, "", "   ", "#top", "mailto:a@b.c", "javascript:void(0)", "file:///etc"):
        assert resolve_link(response, href) is None, href


def test_every_link_of_every_sample_page() -> None:
    pages = sorted(SAMPLES.rglob("*.html"))
    assert pages, "samples/ holds the generated site"
    checked = 0
    for path in pages:
        url = "http://127.0.0.1:8000/" + path.relative_to(SAMPLES).as_posix()
        response = HtmlResponse(url, body=path.read_bytes(), encoding="utf-8")
        for href in response.xpath("//a/@href").getall():
            if resolve_link(response, href) is not None:
                assert resolve_link(response, href) == _expected(response, href), (url, href)
                checked += 1
    assert checked > 100
