"""A test-only extension that records the collector's state where the tuning acts: after it
tuned the collector (``spider_opened``) and after it restored it (``engine_stopped``). It is
enabled after ``GcTuning`` (a higher order), so its handlers run after the tuning's, and it
writes what it saw as JSON to ``GC_PROBE_FILE``."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

PROBE_SETTING = "GC_PROBE_FILE"


class GcProbe:
    def __init__(self, target: Path) -> None:
        self.target = target
        self.seen: dict[str, Any] = {
            "started": gc.get_threshold(),
            "frozen_start": gc.get_freeze_count(),
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcProbe:
        probe = cls(Path(crawler.settings[PROBE_SETTING]))
        crawler.signals.connect(probe.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.engine_stopped, signal=signals.engine_stopped)
        return probe

    def spider_opened(self) -> None:
        self.seen["opened"] = gc.get_threshold()
        self.seen["frozen_opened"] = gc.get_freeze_count()

    def engine_stopped(self) -> None:
        self.seen["stopped"] = gc.get_threshold()
        self.seen["frozen_stopped"] = gc.get_freeze_count()
        self.target.write_text(json.dumps(self.seen), encoding="utf-8")
