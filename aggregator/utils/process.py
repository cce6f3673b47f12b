"""The crawler process of a command that checks its arguments before Scrapy starts.

Such a command sets ``requires_crawler_process = False``: making the process starts
Scrapy's logging, so a bad argument would print a page of start-up logs before its line.
"""

from __future__ import annotations

from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.settings import Settings

# The settings of a command that reads pages and publishes nothing (parse, fetch, shell,
# view): no run verdict, summary line or feeds, which speak of publishing.
READ_ONLY = {"AGGREGATOR_HEALTH_ENABLED": False}

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def crawler_process(settings: Settings) -> AsyncCrawlerProcess | CrawlerProcess:
    """The same choice ``scrapy.cmdline`` makes for a command that needs a crawler process."""
    use_asyncio = (
        settings["TWISTED_REACTOR"] == ASYNCIO_REACTOR
        and not settings.getbool("FORCE_CRAWLER_PROCESS")
    ) or not settings.getbool("TWISTED_REACTOR_ENABLED")
    return AsyncCrawlerProcess(settings) if use_asyncio else CrawlerProcess(settings)
