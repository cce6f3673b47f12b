"""An issue page's story links (from the page's one walk) are what the CSS selector
``section.issue-toc li.story-card a.card-link::attr(href)`` selects, resolved, on edge
markup and on every issue page of ``samples/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from aggregator.pages.issue import IssuePage
from aggregator.site.links import resolve_link

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

EDGE = (
    "<html><body><section class='issue-toc'><ul><li class='story-card'>"
    "<a class='card-link' href='stories/a/P/ONE.html'>1</a><a class='card-link'>no href</a>"
    "<a class='x card-link' href='#frag'>refused</a></li><li class='story-card'>"
    "<section class='issue-toc'><li class='story-card'><a class='card-link' href='/TWO'>2</a>"
    "</li></section></li></ul></section><li class='story-card'><a class='card-link' "
    "href='/outside'>no</a></li><section class='issue-toc'><li class='story-card'>"
    "<a class='card-link' href='THREE.html'>3</a></li></section></body></html>"
)


def _expected(response: HtmlResponse) -> list[str]:
    hrefs = response.css("section.issue-toc li.story-card a.card-link::attr(href)").getall()
    return [url for url in (resolve_link(response, h) for h in hrefs) if url]


def test_edge_markup() -> None:
    response = HtmlResponse("http://127.0.0.1/GB/x.html", body=EDGE.encode(), encoding="utf-8")
    assert IssuePage(response).story_urls() == _expected(response)
    assert len(_expected(response)) == 3


def test_every_issue_page_of_the_samples() -> None:
    pages = [p for p in sorted(SAMPLES.rglob("*.html")) if b"issue-toc" in p.read_bytes()]
    if not pages:
        pytest.fail("samples/ holds no issue page")
    for path in pages:
        url = "http://127.0.0.1:8000/" + path.relative_to(SAMPLES).as_posix()
        response = HtmlResponse(url, body=path.read_bytes(), encoding="utf-8")
        assert IssuePage(response).story_urls() == _expected(response), path
