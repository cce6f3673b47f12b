"""Run one ``scrapy crawl`` in a child process and measure it: wall time, CPU time (``os.wait4``:
this child's own usage, not that of all children), peak RSS, and the crawl's closing stats
(read from the JSON file the crawl writes).

Peak RSS is the child's ``VmHWM`` (``/proc/<pid>/status``), polled every 0.1 s while it runs.
Not ``ru_maxrss``: Linux carries the parent's high-water mark over into a child started with
fork/vfork + exec, so a child of a parent that holds a big generated mirror would report the
parent's size (this runner saw 534 MB for a crawl whose own peak was 209 MB). ``ru_maxrss``
is used only where ``/proc`` is missing.

``crawl`` is the one launcher every measurement uses: it takes what differs between crawls
(the spider, its ``-a`` arguments, extra settings, the output folder, a process whose CPU time
to record beside the crawl's) and returns a ``CrawlRun``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.clock import CLOCK_SETTING

ROOT = Path(__file__).resolve().parents[1]
# The setting that names the JSON file the bare spiders (benchmarks.bare) write their stats to.
BENCH_STATS_SETTING = "BENCH_STATS_FILE"
STATS_FILE = "stats.json"  # in a crawl's output folder, beside its feeds and log.txt
CLOCK_FILE = "clock.json"  # the crawl phase's CPU time and CPU wait (benchmarks.clock)
LOG_FILE = "log.txt"
CLOCK_EXTENSION = "benchmarks.clock.CrawlClock"


class CrawlFailed(RuntimeError):
    pass


@dataclass
class CrawlRun:
    name: str
    wall_s: float  # process start to exit: imports, set-up and the crawl
    elapsed_s: float  # Scrapy's: spider opened to spider closed
    cpu_s: float  # user + system CPU of the crawl process
    max_rss_mb: float
    pages: int  # responses received
    items: int  # items exported (after validation and dedupe)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after
    stats: dict[str, Any] = field(repr=False, default_factory=dict)
    watched_cpu_s: float | None = None  # CPU time of the watched process (``crawl(watch=)``)
    # The crawl phase alone (spider opened to engine stopped; ``benchmarks.clock``): CPU time,
    # time spent ready to run while another process had the CPU, involuntary switches.
    crawl_cpu_s: float = 0.0
    crawl_wait_s: float = 0.0
    involuntary_switches: int = 0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def items_per_s(self) -> float:
        return self.items / self.elapsed_s if self.elapsed_s else 0.0

    @property
    def startup_s(self) -> float:
        return max(self.wall_s - self.elapsed_s, 0.0)

    @property
    def crawl_cpu_ms_per_page(self) -> float:
        return 1000 * self.crawl_cpu_s / self.pages if self.pages else 0.0

    @property
    def wait_share(self) -> float:
        """The share of the crawl phase the process waited for a CPU."""
        return self.crawl_wait_s / self.elapsed_s if self.elapsed_s else 0.0


@dataclass(frozen=True)
class Spider:
    """A spider to crawl with, and how it is told where to write."""

    name: str
    stats_setting: str  # the setting naming the JSON file the spider writes its stats to
    settings: Mapping[str, str] = field(default_factory=dict)  # always given (-s)
    output_setting: str | None = None  # the setting naming the folder for its feeds
    extensions: Mapping[str, int] = field(default_factory=dict)  # the clock is added to them


def _project(name: str) -> Spider:
    from aggregator import settings

    return Spider(
        name, "AGGREGATOR_STATS_FILE", output_setting="OUTPUT_DIR", extensions=settings.EXTENSIONS
    )


# The bare spiders get the project's collector tuning too (aggregator/extensions/gc_tuning.py):
# what it saves on Scrapy's own objects is not our code's, so full - bare stays like for like.
GC_TUNING_EXTENSION = "aggregator.extensions.gc_tuning.GcTuning"


def _bare(name: str, output_setting: str | None = None) -> Spider:
    from aggregator import settings

    tuning = {GC_TUNING_EXTENSION: settings.EXTENSIONS[GC_TUNING_EXTENSION]}
    return Spider(
        name,
        BENCH_STATS_SETTING,
        {"SPIDER_MODULES": "benchmarks.bare"},
        output_setting,
        extensions=tuning,
    )


ISSUES = _project("issues")  # scrapy crawl issues: every pipeline, both feeds
DUMPS = _project("dumps")  # scrapy crawl dumps
BARE = _bare("bare")  # the ceiling of ISSUES: the same requests, yields nothing
BARE_ITEMS = _bare("bare_items", "OUTPUT_DIR")  # BARE + the items of ISSUES, both feeds
BARE_DUMPS = _bare("bare_dumps")  # the ceiling of DUMPS: plain items to the FEEDS given


def crawl_command(
    spider: Spider,
    work: Path,
    arguments: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
) -> list[str]:
    """``scrapy crawl`` for ``spider`` with ``-a`` ``arguments`` and ``-s`` ``settings``, its
    stats (and feeds, for the project's spiders) written to ``work``; logging at WARNING
    unless ``settings`` say otherwise."""
    chosen = {"LOG_LEVEL": "WARNING", **spider.settings}
    if spider.output_setting is not None:
        chosen[spider.output_setting] = str(work)
    chosen["EXTENSIONS"] = json.dumps({**spider.extensions, CLOCK_EXTENSION: 0})
    chosen[CLOCK_SETTING] = str(work / CLOCK_FILE)
    chosen.update(settings or {})
    chosen[spider.stats_setting] = str(work / STATS_FILE)
    command = [sys.executable, "-m", "scrapy", "crawl", spider.name]
    for option, values in (("-a", arguments or {}), ("-s", chosen)):
        for key, value in values.items():
            command += [option, f"{key}={value}"]
    return command


def crawl(
    spider: Spider,
    work: Path,
    *,
    timeout: float,
    arguments: Mapping[str, str] | None = None,
    settings: Mapping[str, str] | None = None,
    label: str | None = None,
    watch: int | None = None,
) -> CrawlRun:
    """Run ``spider`` once in a child process and measure it (``run_measured``).

    ``work`` receives the crawl's stats, log and (for the project's spiders) feeds; ``label``
    names the run in errors (default: the spider's name); ``watch`` is the pid of a process,
    such as the mirror server, whose CPU time over the crawl is recorded as ``watched_cpu_s``.
    """
    work.mkdir(parents=True, exist_ok=True)
    command = crawl_command(spider, work, arguments, settings)
    before = cpu_seconds(watch) if watch is not None else None
    run = run_measured(label or spider.name, command, work / STATS_FILE, timeout, work / LOG_FILE)
    after = cpu_seconds(watch) if watch is not None else None
    if before is not None and after is not None:
        run.watched_cpu_s = after - before
    return run


def run_measured(
    name: str,
    command: Sequence[str],
    stats_file: Path,
    timeout: float,
    log_file: Path | None = None,
) -> CrawlRun:
    """Run ``command`` from the project folder; it must write its stats to ``stats_file``."""
    stats_file.unlink(missing_ok=True)
    clock_file = stats_file.with_name(CLOCK_FILE)
    clock_file.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": _pythonpath()}
    log = open(log_file, "wb") if log_file else subprocess.DEVNULL  # noqa: SIM115
    load_before = _load()
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=ROOT, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        watcher = _PeakRss(process.pid)
        watcher.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            watcher.stop()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log_file:
            log.close()  # type: ignore[union-attr]
    if process.returncode != 0 or not stats_file.is_file():
        where = f"; see {log_file}" if log_file else ""
        raise CrawlFailed(f"{name}: exit status {process.returncode} after {wall:.1f} s{where}")
    stats: dict[str, Any] = json.loads(stats_file.read_text(encoding="utf-8"))
    clock: dict[str, float] = (
        json.loads(clock_file.read_text(encoding="utf-8")) if clock_file.is_file() else {}
    )
    cpu = usage.ru_utime + usage.ru_stime
    return CrawlRun(
        name=name,
        wall_s=wall,
        elapsed_s=float(stats.get("elapsed_time_seconds") or wall),
        cpu_s=cpu,
        max_rss_mb=(watcher.peak_kb or usage.ru_maxrss) / 1024,  # kilobytes on Linux
        pages=int(stats.get("response_received_count", 0)),
        items=int(stats.get("item_scraped_count", 0)),
        load=(load_before, _load()),
        stats=stats,
        crawl_cpu_s=clock.get("cpu_s", cpu),
        crawl_wait_s=clock.get("wait_s", 0.0),
        involuntary_switches=int(clock.get("involuntary_switches", 0)),
    )


class _PeakRss(threading.Thread):
    """Polls a running process's ``VmHWM`` (its own peak resident set, in kB)."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.path = Path(f"/proc/{pid}/status")
        self.every = every
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self._read()
            self._done.wait(self.every)

    def _read(self) -> None:
        try:
            text = self.path.read_text()
        except OSError:
            return
        for line in text.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                return

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=1)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process (Linux ``/proc``), else ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _load() -> float:
    """The 1-minute load average: other work on the machine skews a measurement."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _pythonpath() -> str:
    current = os.environ.get("PYTHONPATH")
    return f"{ROOT}{os.pathsep}{current}" if current else str(ROOT)
