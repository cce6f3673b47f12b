"""``story_url`` reads a plain URL of the site without splitting it; these hold that quick way
to the parts urlsplit gives, on the URLs a dump holds and on ones made to trip it."""

from __future__ import annotations

import random
from urllib.parse import urlsplit

import pytest

from aggregator.corpus.saved_texts import SITE_DOMAIN, story_url
from aggregator.site.urls import StoryUrl, parse_story_path

PATH = "stories/lifestyle/Readers-Digest-UK/THE-OWN-STORY"


def split_way(url: str) -> StoryUrl | None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if host != SITE_DOMAIN and not host.endswith(f".{SITE_DOMAIN}"):
        return None
    return parse_story_path(parts.path)


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.magzter.com/{PATH}",
        f"http://magzter.com/nb/{PATH}",
        f"https://www.magzter.com/{PATH}?utm=1",
        f"https://www.magzter.com/{PATH}#top",
        f"https://www.magzter.com/{PATH}/",
        f"https://www.magzter.com:443/{PATH}",
        f"https://user@www.magzter.com/{PATH}",
        f"https://www.magzter.com/{PATH}\t",
        f"https://www.magzter.com/stories/a\nb/{PATH}",
        "https://www.magzter.com/stories/caf\u00e9/Pub/SLUG",
        f"https://www.magzter.com/{PATH} ",
        f"https://www.magzter.com.evil.example/{PATH}",
        f"https://www.magzter.community/{PATH}",
        f"HTTPS://WWW.MAGZTER.COM/{PATH}",
        f"ftp://www.magzter.com/{PATH}",
        "https://www.magzter.com/",
        "https://www.magzter.com/stories/",
    ],
)
def test_the_quick_way_gives_what_urlsplit_gives(url: str) -> None:
    assert story_url(url) == split_way(url)


def test_urls_made_of_every_troublesome_piece_agree() -> None:
    pieces = ["/", "stories", "nb", "a", "B-C", "?", "#", "%2F", ";", " ", "\t", ":", "@", "é", "."]
    chooser = random.Random(7)
    for _ in range(20_000):
        tail = "".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 12)))
        url = chooser.choice(["https://www.magzter.com/", "http://magzter.com/"]) + tail
        assert story_url(url) == split_way(url), repr(url)
