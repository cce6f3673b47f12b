"""A page read by the issues spider is freed when its callback is done, without waiting for
the garbage collector (``aggregator.pages.tree``): Scrapy's response and its cached selector
point at each other, and every parsed tree of a crawl used to wait for a full collection."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import BaseSettings
from scrapy.utils.test import get_crawler

from aggregator.items import Article, Teaser
from aggregator.spiders.issues import IssuesSpider

SAMPLES = Path(__file__).parents[2] / "samples"
SITE = "https://www.magzter.com/"


@pytest.fixture
def spider() -> IssuesSpider:
    project = BaseSettings()
    project.setmodule("aggregator.settings")
    settings = {name: project[name] for name in project if name != "TWISTED_REACTOR"}
    crawler = get_crawler(IssuesSpider, settings)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return IssuesSpider.from_crawler(crawler, start_urls=SITE)


@pytest.fixture
def no_collector() -> Iterator[None]:
    """Only reference counting frees anything while the test reads."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _pages(folder: str) -> list[Path]:
    return sorted((SAMPLES / folder).rglob("*.html"))


@pytest.mark.parametrize("page", [*_pages("stories")[:3], *_pages("GB")[:2]], ids=lambda p: p.name)
def test_a_read_page_is_freed_by_reference_counting(
    spider: IssuesSpider, no_collector: None, page: Path
) -> None:
    url = SITE + page.relative_to(SAMPLES).as_posix()
    response = HtmlResponse(url, body=page.read_bytes(), request=Request(url))
    tree = weakref.ref(response.selector)
    read = weakref.ref(response)
    outputs = list(spider.parse_page(response))
    assert any(isinstance(o, (Article, Teaser)) for o in outputs), "the page gave no item"
    del response
    assert read() is None, "the response outlived its callback (a reference cycle)"
    assert tree() is None, "its selector and parsed tree outlived it"
