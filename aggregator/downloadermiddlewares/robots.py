"""``QuietRobotsTxtMiddleware``: Scrapy's robots.txt middleware, without a traceback at ERROR
when a host cannot be reached at all.

When a start URL's host does not resolve (or refuses connections, or times out), Scrapy's
middleware logs the failed robots.txt download at ERROR with a traceback of some seventy
lines, and then the page's own request fails the same way and the spider names it once
(``Page not read: URL (cannot resolve host …)``). That one line is what a person or a
scheduler needs; the robots.txt record is kept at DEBUG, without its traceback. Any other
robots.txt failure is logged as Scrapy logs it.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from twisted.internet.error import ConnectError, DNSLookupError, TimeoutError

# the host cannot be reached: the page's own request meets the same error and is named
# (Scrapy's own exceptions, and Twisted's where a handler lets them through)
UNREACHABLE = (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    DNSLookupError,
    ConnectError,
    TimeoutError,
)


class _Unreachable(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        error = args.get("f_exception") if isinstance(args, dict) else None
        if isinstance(error, UNREACHABLE):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            record.exc_info = record.exc_text = None
        return True


_FILTER = _Unreachable()


class QuietRobotsTxtMiddleware(RobotsTxtMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietRobotsTxtMiddleware:
        middleware = super().from_crawler(crawler)  # NotConfigured without ROBOTSTXT_OBEY
        logger = logging.getLogger(RobotsTxtMiddleware.__module__)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
        return middleware
