"""``BatchedCounts``: counts kept in a ``Counter`` and added to Scrapy's stats in batches.

A stats call per event (several a dump record, seven repeat cards a story page) was a
visible share of a crawl: every call goes through ``StatsCollector``'s wrapper. The counts
reach the stats every ``every`` increments and at ``flush()`` (call it when the events are
over, e.g. at ``spider_closed``), so the stats are at most ``every`` events behind while the
crawl runs and exact at its end.
"""

from __future__ import annotations

from collections import Counter

from scrapy.statscollectors import StatsCollector


class BatchedCounts:
    def __init__(self, stats: StatsCollector, prefix: str = "", every: int = 200) -> None:
        self.stats = stats
        self.prefix = prefix
        self.every = every
        self.pending: Counter[str] = Counter()
        self.events = 0

    def inc(self, key: str = "", count: int = 1) -> None:
        """Count ``count`` more under the stat ``prefix + key``."""
        self.pending[key] += count
        self.events += 1
        if self.events >= self.every:
            self.flush()

    def flush(self) -> None:
        """The pending counts into the stats, in the order they were first counted."""
        for key, count in self.pending.items():
            self.stats.inc_value(f"{self.prefix}{key}", count)
        self.pending.clear()
        self.events = 0
