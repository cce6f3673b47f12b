"""``QuietItemLogFormatter`` (``LOG_FORMATTER``): no per-item log record the log level hides.

Scrapy builds a DEBUG record for every scraped item ("Scraped from …", with the whole item
in it) and, for drops raised at DEBUG (dedupe's repeats), a "Dropped: …" record; the
handler then discards them when ``LOG_LEVEL`` is higher: a sizeable share of Scrapy's own
per-item cost (BENCHMARKS.md). A log formatter method that returns ``None`` makes Scrapy skip
the record, so these two return ``None`` below ``LOG_LEVEL``. Drops at WARNING (the
default, ``DEFAULT_DROPITEM_LOG_LEVEL``: validate's) and item errors are logged as before.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class QuietItemLogFormatter(LogFormatter):
    def __init__(self, level: int = logging.DEBUG) -> None:
        self.level = level

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietItemLogFormatter:
        return cls(log_level(crawler.settings.get("LOG_LEVEL", "DEBUG")))

    def _shown(self, result: LogFormatterResult) -> LogFormatterResult | None:
        """``None`` (no record at all) for what the log handler would discard."""
        return result if result["level"] >= self.level else None

    def scraped(  # type: ignore[override]  # Scrapy's method may return None (its docs)
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult | None:
        return self._shown(super().scraped(item, response, spider))

    def dropped(  # type: ignore[override]  # Scrapy's method may return None (its docs)
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult | None:
        return self._shown(super().dropped(item, exception, response, spider))


def log_level(value: object) -> int:
    """``LOG_LEVEL`` as a number: ``"INFO"``, ``"info"``, ``20`` and ``"20"`` alike."""
    text = str(value).strip().upper()
    if text.isdigit():
        return int(text)
    level = logging.getLevelName(text)
    return level if isinstance(level, int) else logging.DEBUG
