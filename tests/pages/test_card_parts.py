"""A card's one walk (``card_parts``) finds what the part selectors it replaces find: the
first element under the card (itself included) that each selects."""

from __future__ import annotations

import pytest
from lxml import html

from aggregator.pages.cards import CardMarkup, card_parts, contract_cards
from aggregator.pages.select import find
from aggregator.pages.story.layouts import LAYOUTS


def _ids(elements: list[object]) -> list[int]:
    return [id(element) for element in elements]


CARDS = (
    "<ul><li class='story-card card-title' id='self'><a class='card-link' href='/a'>t</a>"
    "<span class='card-title' id='inner'>x</span></li>"
    "<li class='story-card'><span class='card-summary'>s</span>"
    "<span class='card-read-time'>5 min</span><time class='card-date x' datetime='2024'>"
    "</time><span class=' card-summary '>second</span><b class='card-date'>not a time</b>"
    "</li><li class='story-card'></li></ul>"
)


@pytest.mark.parametrize(
    "markup",
    [
        contract_cards("ul"),
        LAYOUTS[-1].cards,
        CardMarkup("li", "li > span", "a", ".card-summary", "b", "i", "time"),
    ],
)
def test_card_parts_are_the_first_each_selector_selects(markup: CardMarkup) -> None:
    root = html.fromstring(CARDS)
    parts = card_parts(markup)
    selectors = (
        markup.title,
        markup.link,
        markup.summary,
        markup.publication,
        markup.read_time,
        markup.date,
    )
    for card in root.iter("li"):
        assert _ids(parts(card)) == _ids([find(card, css) for css in selectors])
