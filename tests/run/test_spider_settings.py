"""Live-site manners stay on for a live site and step aside for a mirror on disk or loopback."""

from __future__ import annotations

import pytest
from scrapy.crawler import Crawler

from aggregator.settings import AGGREGATOR_START_DEFAULT
from aggregator.spiders.issues import IssuesSpider
from tests.support.crawlers import project_settings


def settings_after_start(start_urls: str) -> dict[str, object]:
    # as `scrapy crawl` does: the spider is made before the settings are frozen
    crawler = Crawler(IssuesSpider, project_settings())
    spider = IssuesSpider.from_crawler(crawler, start_urls=start_urls)
    assert spider.arguments.start_urls == start_urls.split(",")
    return {
        name: crawler.settings[name]
        for name in ("AUTOTHROTTLE_ENABLED", "ROBOTSTXT_OBEY", "USER_AGENT", "DOWNLOAD_MAXSIZE")
    }


def test_live_site_keeps_its_manners() -> None:
    settings = settings_after_start("https://www.magzter.com/magazines/Brunch")
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["ROBOTSTXT_OBEY"] is True
    assert "aggregator-crawler" in str(settings["USER_AGENT"])
    assert settings["DOWNLOAD_MAXSIZE"] == 16 * 1024 * 1024


@pytest.mark.parametrize("start", ["file:///mirror/index.html", "http://127.0.0.1:8000/index.html"])
def test_local_mirror_drops_politeness(start: str) -> None:
    settings = settings_after_start(start)
    assert settings["AUTOTHROTTLE_ENABLED"] is False
    assert settings["ROBOTSTXT_OBEY"] is False


def test_default_start_is_the_samples_catalog() -> None:
    assert AGGREGATOR_START_DEFAULT.endswith("/samples/index.html")
    assert AGGREGATOR_START_DEFAULT.startswith("file://")
