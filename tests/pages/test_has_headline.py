"""``has_headline`` (asked of a story URL whose markup declares no page type) answers as
``//h1`` does, on edge markup and on every page of ``samples/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from aggregator.pages.page_type import has_headline

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

_H1 = etree.XPath("//h1")

PAGES = {
    "in an article": (
        "<html><body><nav>x</nav><article><div><h1>t</h1></div></article></body></html>"
    ),
    "in main": "<html><body><main><h1>t</h1></main></body></html>",
    "outside both": "<html><body><div><h1>t</h1></div><article><h2>s</h2></article></body></html>",
    "none": "<html><body><article><h2>s</h2></article><main><p>p</p></main></body></html>",
    "the article itself": "<html><body><article class='h1'>x</article></body></html>",
    "in head": "<html><head><h1>odd</h1></head><body></body></html>",
    "empty page": "<html></html>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_as_the_xpath_has_it(name: str) -> None:
    root = html.document_fromstring(PAGES[name])
    assert has_headline(root) == bool(_H1(root))


def test_on_every_sample_page() -> None:
    pages = sorted(SAMPLES.rglob("*.html"))
    assert pages, "samples/ holds the generated site"
    for path in pages:
        root = html.fromstring(path.read_bytes())
        assert has_headline(root) == bool(_H1(root)), path
