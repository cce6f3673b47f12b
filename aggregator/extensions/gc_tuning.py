"""``GcTuning``: keep CPython's cyclic garbage collector from walking what lives all crawl long.

By the time the spider opens, the process holds some 100,000 objects the collector tracks:
modules, functions and classes, the prompt catalogs, compiled patterns, Scrapy's components.
They live until the process ends, yet every full (generation-2) collection walks them all
again, and a crawl runs several. At ``spider_opened`` the extension runs one ``gc.collect()``
(so start-up garbage is not kept) and ``gc.freeze()``: what is alive then moves to the
collector's permanent generation, which no collection walks. It also sets the collector's
thresholds from ``AGGREGATOR_GC_THRESHOLDS`` (a list of one to three integers, as for
``gc.set_threshold``; empty: leave Python's as they are).

What the collections mid-crawl free is mostly each page's response: a Scrapy ``Selector``
holds its response and the response caches its selector, a cycle that only the collector
breaks, so every parsed tree is freed by a collection, not by reference counting. A high
first threshold therefore keeps more dead trees in memory between collections: the default
is chosen by measurement (BENCHMARKS.md, "Issue 25, fifth pass (gc30, …)").

At ``engine_stopped`` the extension puts back what it changed (``gc.unfreeze()``, the
thresholds it found) and writes into the stats: ``aggregator/gc/frozen_objects`` (objects
frozen at the start), ``aggregator/gc/collections_gen0`` … ``_gen2`` (collections over the
crawl, per generation), ``aggregator/gc/collected`` (objects they freed) and
``aggregator/gc/cpu_seconds`` (the collector's CPU time over the crawl, from a
``gc.callbacks`` hook). ``AGGREGATOR_GC_TUNING = False`` turns it off (``NotConfigured``):
the collector is then left as Python set it, and none of these stats is written.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

ENABLED_SETTING = "AGGREGATOR_GC_TUNING"
THRESHOLDS_SETTING = "AGGREGATOR_GC_THRESHOLDS"


def thresholds(settings: BaseSettings) -> tuple[int, ...]:
    """The thresholds ``AGGREGATOR_GC_THRESHOLDS`` asks for (empty: none); ``ValueError``
    naming the setting when it is not one to three integers >= 0."""
    raw = [str(value).strip() for value in settings.getlist(THRESHOLDS_SETTING)]
    raw = [value for value in raw if value]
    try:
        values = tuple(int(value) for value in raw)
    except ValueError:
        values = None
    if values is None or len(values) > 3 or any(value < 0 for value in values):
        raise ValueError(
            f"{THRESHOLDS_SETTING} must be one to three integers >= 0 (gc.set_threshold), "
            f"not {','.join(raw)!r}"
        )
    return values


def gc_settings_problem(settings: BaseSettings) -> str | None:
    """What is wrong with the collector's settings, in one line, or ``None``."""
    if not settings.getbool(ENABLED_SETTING, True):
        return None
    try:
        thresholds(settings)
    except ValueError as error:
        return str(error)
    return None


class GcTuning:
    def __init__(self, stats: StatsCollector, wanted: tuple[int, ...]) -> None:
        self.stats = stats
        self.wanted = wanted
        self.previous: tuple[int, int, int] | None = None
        self.frozen = 0
        self.collections = [0, 0, 0]
        self.collected = 0
        self.cpu_s = 0.0
        self._started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        if not crawler.settings.getbool(ENABLED_SETTING, True):
            raise NotConfigured(f"{ENABLED_SETTING} is off")
        assert crawler.stats is not None
        extension = cls(crawler.stats, thresholds(crawler.settings))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def spider_opened(self) -> None:
        if self.previous is not None:  # opened once a crawl
            return
        self.previous = gc.get_threshold()
        gc.collect()
        before = gc.get_freeze_count()
        gc.freeze()
        self.frozen = gc.get_freeze_count() - before
        if self.wanted:
            gc.set_threshold(*self.wanted)
        gc.callbacks.append(self._watch)

    def _watch(self, phase: str, info: dict[str, Any]) -> None:
        # process_time, not perf_counter: on a shared machine the collector's share of the
        # crawl's CPU is the figure that holds still
        if phase == "start":
            self._started = time.process_time()
            return
        self.cpu_s += time.process_time() - self._started
        self.collections[info["generation"]] += 1
        self.collected += info["collected"]

    def engine_stopped(self) -> None:
        if self.previous is None:
            return
        if self._watch in gc.callbacks:
            gc.callbacks.remove(self._watch)
        gc.unfreeze()
        gc.set_threshold(*self.previous)
        self.previous = None
        self.stats.set_value("aggregator/gc/frozen_objects", self.frozen)
        self.stats.set_value("aggregator/gc/collections_gen0", self.collections[0])
        self.stats.set_value("aggregator/gc/collections_gen1", self.collections[1])
        self.stats.set_value("aggregator/gc/collections_gen2", self.collections[2])
        self.stats.set_value("aggregator/gc/collected", self.collected)
        self.stats.set_value("aggregator/gc/cpu_seconds", round(self.cpu_s, 3))
