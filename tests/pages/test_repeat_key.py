"""A card's repeat id read from its link alone (``base.repeat_key``, remembered) is the id
``read_cards`` checked before: ``teaser_id`` of the link's quick canonical URL."""

from __future__ import annotations

import pytest

from aggregator.pages.cards import repeat_key
from aggregator.site.links import quick_canonical
from aggregator.site.urls import teaser_id

HREFS = [
    "https://www.magzter.com/stories/lifestyle/Brunch/SLOW-LIVING-FAST-RENTS-301",
    "../../stories/travel/Wanderlust/THE-BRUNCH-QUIZ-860",
    "/nb/stories/news/Outlook/A-STORY-12#comments",
    "stories/news/Outlook/../x",
    "javascript:void(0)//stories/a/b/c",
    "#stories/a/b/c",
    "https://www.magzter.com/issues/Outlook/1234",
    " ",
]


@pytest.mark.parametrize("href", HREFS)
def test_the_same_id_as_the_link_read_each_time(href: str) -> None:
    quick = quick_canonical(href)
    expected = teaser_id(quick, None, "Any title") if quick else None
    assert repeat_key(href) == expected
    assert repeat_key(href) == expected  # remembered


def test_story_links_have_a_key_others_none() -> None:
    assert repeat_key(HREFS[0]) is not None
    assert repeat_key(HREFS[-2]) is None
