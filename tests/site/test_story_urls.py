"""``is_story_url`` says what ``parse_story_url`` says (a story page or not), on live and
mirrored URLs, without building the parts."""

from __future__ import annotations

import pytest

from aggregator.site.urls import is_story_url, parse_story_url

URLS = [
    "https://www.magzter.com/stories/news/The-Paper/STORY-1",
    "https://www.magzter.com/en-GB/stories/news/The-Paper/STORY-1/",
    "file:///mirror/root/stories/newspaper/The-Independent/A-STORY.html",
    "http://127.0.0.1:8080/stories/news/The-Paper/STORY-2.htm?x=1#top",
    "https://www.magzter.com/stories/news/The-Paper",
    "https://www.magzter.com/GB/Publisher/The-Paper/News/123456",
    "https://www.magzter.com/magazines/The-Paper/page-2",
    "https://www.magzter.com/",
    "https://www.magzter.com/search?q=/stories/a/b/c",
    "https://www.magzter.com?q=/stories/a/b/c",
    "https://www.magzter.com#/stories/a/b/c",
    "https://stories/a/b/c",
    "https://user:pw@www.magzter.com:8443/fr/stories/news/The-Paper/STORY-3.html",
    "HTTPS://WWW.MAGZTER.COM/stories/news/The-Paper/STORY-4",
    " https://www.magzter.com/stories/news/The-Paper/STORY-5",
    "https://www.magzter.com/stories/news/The-Paper/STO\tRY-6",
    "https://www.magzter.com/stories/news/The-Paper/STORY-7\n",
    "data:,stories/a/b/c",
    "/stories/news/The-Paper/STORY-8",
]


@pytest.mark.parametrize("url", URLS)
def test_is_story_url_agrees_with_parse_story_url(url: str) -> None:
    assert is_story_url(url) is (parse_story_url(url) is not None)


def test_both_kinds_are_in_the_sample() -> None:
    assert {is_story_url(url) for url in URLS} == {True, False}
