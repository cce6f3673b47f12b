"""``CrawlClock``: the CPU time of a crawl's own phase, and how long it waited for a CPU.

The runner (``benchmarks.process``) measures a child's whole life: imports, set-up and the
crawl. Comparing crawls needs the crawl alone: this extension reads the process's CPU time
(``getrusage``), its run-queue wait (``/proc/self/schedstat``: time it was ready to run but
another process had the CPU, which on a shared machine inflates wall time, not CPU time) and
its involuntary context switches when the spider opens and when the engine stops (feeds
closed), and writes the differences as JSON to ``BENCH_CLOCK_FILE``. Enabled by the runner
with ``-s EXTENSIONS=…`` for every spider it measures, the bare ones included.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

CLOCK_SETTING = "BENCH_CLOCK_FILE"
SCHEDSTAT = Path("/proc/self/schedstat")


def sample() -> dict[str, float]:
    """CPU seconds, run-queue wait seconds (0 without ``/proc``), context switches, now."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    try:
        _run_ns, wait_ns, _slices = SCHEDSTAT.read_text().split()[:3]
        wait = int(wait_ns) / 1e9
    except (OSError, ValueError):
        wait = 0.0
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "wait_s": wait,
        "involuntary_switches": float(usage.ru_nivcsw),
        "voluntary_switches": float(usage.ru_nvcsw),
        "wall_s": time.perf_counter(),
    }


class CrawlClock:
    def __init__(self, target: Path) -> None:
        self.target = target
        self.opened: dict[str, float] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlClock:
        target = crawler.settings.get(CLOCK_SETTING)
        if not target:
            raise NotConfigured(f"{CLOCK_SETTING} is not set")
        clock = cls(Path(target))
        crawler.signals.connect(clock.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(clock.engine_stopped, signal=signals.engine_stopped)
        return clock

    def spider_opened(self) -> None:
        self.opened = sample()

    def engine_stopped(self) -> None:
        if self.opened is None:
            return
        stopped = sample()
        phase = {name: stopped[name] - self.opened[name] for name in stopped}
        self.target.write_text(json.dumps(phase), encoding="utf-8")
