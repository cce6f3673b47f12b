"""The meta path's lead figure: the first ``figure`` with an ``img`` inside an ``article`` or
``main``, exactly what the XPath it replaced selects."""

from __future__ import annotations

import pytest
from lxml import etree, html

from aggregator.pages.story.meta import _lead_figure

XPATH = etree.XPath("(//article//figure[.//img] | //main//figure[.//img])[1]")

PAGES = {
    "none": "<html><body><article><p>no figure</p></article></body></html>",
    "outside first": (
        "<html><body><figure id='chrome'><img src='a'></figure>"
        "<main><figure id='lead'><div><img src='b'></div></figure></main></body></html>"
    ),
    "imageless first": (
        "<html><body><article><figure id='empty'><figcaption>x</figcaption></figure>"
        "<figure id='lead'><img src='c'></figure></article></body></html>"
    ),
    "main before article": (
        "<html><body><main><div><figure id='lead'><img src='d'></figure></div></main>"
        "<article><figure id='later'><img src='e'></figure></article></body></html>"
    ),
    "nested figures": (
        "<html><body><article><figure id='outer'><figure id='inner'><img src='f'>"
        "</figure></figure></article></body></html>"
    ),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_lead_figure_is_what_the_xpath_selects(name: str) -> None:
    root = html.fromstring(PAGES[name])
    expected = XPATH(root)
    found = _lead_figure(root)
    assert (found.get("id") if found is not None else None) == (
        expected[0].get("id") if expected else None
    )
    if name != "none":
        assert found is not None
