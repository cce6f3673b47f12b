"""The page's one walk (``PageIndex``) selects exactly what the whole-page CSS selectors it
replaces select: the same elements, in document order, no repeats, on edge markup and on
every page of ``samples/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from aggregator.pages.issue import ISSUE_CARDS
from aggregator.pages.jsonld import _jsonld_texts
from aggregator.pages.select import PageIndex, page_index, select
from aggregator.pages.story.layouts import LAYOUTS

SAMPLES = Path(__file__).resolve().parents[2] / "samples"

# every whole-page selector the layouts and card lists ask, and a few that fall back
SELECTORS = sorted(
    {lay.detect for lay in LAYOUTS}
    | {lay.head for lay in LAYOUTS}
    | {lay.paragraphs for lay in LAYOUTS}
    | {lay.cards.card for lay in LAYOUTS}
    | {ISSUE_CARDS.card, "div.gold-cta", "article.story", "a.rd-card", "article.story, p"}
    | {"section.more-stories li.story-card a.card-link", "article.story .x + p"}
)

PAGES = {
    "nested anchors": (
        "<html><body><article class='story' id='a1'><div class='story-body'><p>1</p>"
        "<article class='story' id='a2'><div class='story-body'><p>2</p></div></article>"
        "</div></article><article class='story'><div class='story-body'><p>3</p></div>"
        "</article></body></html>"
    ),
    "anchor is the target": (
        "<html><body><article class='story story-body'><p>x</p></article>"
        "<article class='story'><span class='x'></span><p>y</p></article></body></html>"
    ),
    "class spacing": (
        "<html><body><article class='\tstory\n other'><div class='a story-body\r'>"
        "<p>z</p></div></article><article class='storyline'><div class='story-body'>"
        "<p>no</p></div></article><div class='gold-cta-x'></div></body></html>"
    ),
    "cards in two sections": (
        "<html><body><section class='more-stories'><ul><li class='story-card'>1</li>"
        "<section class='more-stories'><li class='story-card'>2</li></section></ul>"
        "</section><section class='more-stories'><li class='story-card'>3</li></section>"
        "<main class='reader'><div class='rd-article'><div class='rd-text'><p>r</p></div>"
        "</div></main><div class='gold-cta'></div></body></html>"
    ),
}


def _ids(elements: list[object]) -> list[int]:
    return [id(element) for element in elements]


def _check(root: object) -> None:
    index = PageIndex(root)
    for css in SELECTORS:
        assert _ids(index.select(css)) == _ids(select(root, css)), css


@pytest.mark.parametrize("name", sorted(PAGES))
def test_index_selects_what_the_selector_selects(name: str) -> None:
    root = html.fromstring(PAGES[name])
    # the elements must be alive for their ids to compare: both lists hold them
    _check(root)


def test_index_selects_on_every_sample_page() -> None:
    pages = sorted(SAMPLES.rglob("*.html"))
    assert pages, "samples/ holds the generated site"
    for path in pages:
        _check(html.fromstring(path.read_bytes()))


def test_index_is_built_once_a_page() -> None:
    first = html.fromstring(PAGES["nested anchors"])
    second = html.fromstring(PAGES["class spacing"])
    assert page_index(first) is page_index(first)
    assert page_index(second).root is second


JSONLD = etree.XPath('//script[@type="application/ld+json"]/text()')

SCRIPTS = (
    "<html><head><script type='application/ld+json'>{\"a\": 1}</script>"
    "<script>var x = 1;</script></head><body><div><script type='application/ld+json'>"
    "[2]</script><script type='Application/ld+json'>3</script>"
    "<script type='application/ld+json '>4</script><script type='application/ld+json'>"
    "</script></div><script type='application/ld+json'>{\"b\": 5}</script></body></html>"
)


@pytest.mark.parametrize("page", [SCRIPTS, PAGES["nested anchors"]])
def test_jsonld_texts_are_what_the_xpath_selects(page: str) -> None:
    root = html.fromstring(page)
    assert _jsonld_texts(root) == JSONLD(root)


def test_jsonld_texts_on_every_sample_page() -> None:
    for path in sorted(SAMPLES.rglob("*.html")):
        root = html.fromstring(path.read_bytes())
        assert _jsonld_texts(root) == JSONLD(root), path
