"""``StatsFile``: write the crawl's closing stats as JSON, for schedulers and monitoring.

On only when ``AGGREGATOR_STATS_FILE`` names a file (``%(output_dir)s`` allowed).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


class StatsFile:
    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        template = crawler.settings.get("AGGREGATOR_STATS_FILE")
        if not template:
            raise NotConfigured  # no message: being off is the default, not news
        output_dir = str(crawler.settings.get("OUTPUT_DIR") or "output")
        extension = cls(crawler, Path(str(template) % {"output_dir": output_dir}))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats: dict[str, Any] = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(
            json.dumps(stats, default=_json_default, indent=1, sort_keys=True), encoding="utf-8"
        )
        logger.info("Stats written to %s", self.path)


def _json_default(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
