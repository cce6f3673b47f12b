"""The page's one walk (``PageIndex``) selects exactly what the whole-page CSS selectors it
replaces select: the same elements, in document order, no repeats, on edge markup and on
every page of ``samples/``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from lxml import etree, html

from aggregator.pages.issue import ISSUE_CARDS
from aggregator.pages.jsonld import _jsonld_texts
from aggregator.pages.select import PageIndex, page_index, select
from aggregator.pages.story.generic import _COLUMNS, _HREFS_UNDER, _PARAGRAPH_PARENTS
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
    | {"article h1", "main h1", "section li"}
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
    "columns nested": (
        "<html><body><main id='m'><p>0</p><h1>t</h1><article id='a'><p>1</p><a href='/x'>x</a>"
        "<div><p>2</p></div></article><div><main><p>3</p></main></div></main><p>out</p>"
        "<article><h1>u</h1><section><p>4</p><a href='/y'>y</a></section></article>"
        "<a href='/z'>z</a></body></html>"
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


# the generic path's unions over the columns, read as PageIndex.under
UNIONS = [
    (etree.XPath("//article[p] | //article//*[p] | //main[p] | //main//*[p]"), _PARAGRAPH_PARENTS),
    (etree.XPath("//article//a/@href | //main//a/@href"), _HREFS_UNDER),
]


def _check(root: object) -> None:
    index = PageIndex(root)
    for css in SELECTORS:
        assert _ids(index.select(css)) == _ids(select(root, css)), css
    for union, query in UNIONS:
        found, expected = index.under(_COLUMNS, query), union(root)  # both held: ids stay
        assert [_key(x) for x in found] == [_key(x) for x in expected], union.path


def _key(node: object) -> object:
    """A string result as itself, an element by its identity."""
    return str(node) if isinstance(node, str) else id(node)


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


def test_each_thread_keeps_its_own_index() -> None:
    first = html.fromstring(PAGES["nested anchors"])
    second = html.fromstring(PAGES["class spacing"])
    mine = page_index(first)
    seen: list[PageIndex] = []
    thread = threading.Thread(target=lambda: seen.append(page_index(second)))
    thread.start()
    thread.join()
    assert seen[0].root is second
    assert page_index(first) is mine  # the other thread's page did not replace this one's
