"""Crawlers and settings for unit tests of the stages, the default matcher's cleaning, and the
check that a real crawl ended well."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from aggregator import settings as project
from aggregator.prompts import CleanResult, PromptMatcher
from tests.support.crawl import CrawlResult


def clean(*lines: str) -> CleanResult:
    """The default matcher's cleaning of ``lines``, one paragraph a line."""
    return PromptMatcher.default().clean("\n".join(lines))


def project_settings() -> Settings:
    """The project's settings (aggregator/settings.py) at project priority, as ``scrapy``
    loads them from scrapy.cfg, without depending on the working directory."""
    settings = Settings()
    settings.setmodule(project, priority="project")
    return settings


def open_crawler(**settings: Any) -> Crawler:
    """A crawler from ``scrapy.utils.test.get_crawler`` with ``settings``, its stats opened,
    for the stages' ``from_crawler``."""
    crawler = get_crawler(settings_dict=settings)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return crawler


def finished(result: CrawlResult) -> CrawlResult:
    """``result``, once it is known to have ended with status 0."""
    assert result.returncode == 0, result.stderr[-3000:]
    return result
