"""Workers of one shared crawl: real ``scrapy crawl issues`` processes started on one frontier,
each with its own OUTPUT_DIR, and what they wrote: feeds, stats, the stories they named lost.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.crawl import ROOT, scrapy_command

LEASE = "2"  # seconds: a killed worker's leases come back soon
# every run here tolerates the stories the test mirror makes unreadable on purpose
MAX_LOST = "10"
TIMEOUT = 240
LOST_LINE = re.compile(r"Story lost: (\S+) \(")


def read_records(output_dir: Path, feed: str) -> list[dict[str, Any]]:
    """A published feed's records; none when it was not published."""
    path = output_dir / f"{feed}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def lost_in(log: str) -> list[str]:
    """The stories a crawl's log names lost (one WARNING line each)."""
    return LOST_LINE.findall(log)


def crawl_settings(output_dir: Path, *settings: str) -> list[str]:
    """The ``-s`` options of every crawl here, frontier or not."""
    pairs = [
        f"OUTPUT_DIR={output_dir}",
        "AGGREGATOR_STATS_FILE=%(output_dir)s/stats.json",
        f"AGGREGATOR_HEALTH_MAX_LOST={MAX_LOST}",
        "AGGREGATOR_PROGRESS_INTERVAL=0",
        *settings,
    ]
    return [part for pair in pairs for part in ("-s", pair)]


@dataclass
class Worker:
    name: str
    output_dir: Path
    process: subprocess.Popen[str]
    log: Path
    returncode: int | None = None

    def wait(self, timeout: float = TIMEOUT) -> int:
        self.returncode = self.process.wait(timeout=timeout)
        return self.returncode

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.returncode = self.process.wait(timeout=30)

    def records(self, feed: str) -> list[dict[str, Any]]:
        return read_records(self.output_dir, feed)

    @property
    def stats(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.output_dir / "stats.json").read_text("utf-8"))
        return data

    @property
    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    @property
    def lost_stories(self) -> list[str]:
        return lost_in(self.log_text)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(encoding="utf-8").splitlines()[-30:])


@dataclass
class Crawl:
    """The workers of one shared crawl."""

    frontier: str
    start_url: str
    folder: Path
    key: str
    workers: list[Worker] = field(default_factory=list)

    def start(self, *settings: str, env: dict[str, str] | None = None) -> Worker:
        """A worker with ``settings`` (``-s``), and ``env`` added to its environment."""
        name = f"w{len(self.workers)}"
        output_dir = self.folder / name
        log = self.folder / f"{name}.log"
        command = scrapy_command(
            "crawl",
            "issues",
            "-a",
            f"start_urls={self.start_url}",
            *crawl_settings(
                output_dir,
                f"AGGREGATOR_FRONTIER={self.frontier}",
                f"AGGREGATOR_FRONTIER_KEY={self.key}",
                f"AGGREGATOR_FRONTIER_WORKER={name}",
                f"AGGREGATOR_FRONTIER_LEASE={LEASE}",
                *settings,
            ),
        )
        with log.open("w", encoding="utf-8") as stream:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=stream,
                text=True,
                env={**os.environ, **(env or {})},
            )
        worker = Worker(name, output_dir, process, log)
        self.workers.append(worker)
        return worker

    def wait(self) -> list[int]:
        return [w.returncode if w.returncode is not None else w.wait() for w in self.workers]

    def stop(self) -> None:
        """Kill whatever still runs (a failed test must not leave workers behind)."""
        for worker in self.workers:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(timeout=30)

    def survivors(self) -> list[Worker]:
        return [w for w in self.workers if w.returncode == 0]


# A teaser card is on its issue page and on the story pages of the issue: which page gave the
# one published (and its place there) depends on the order pages were read, in one process too
WHERE_FOUND = ("source_url", "position", "story_id")


def by_id(
    records: list[dict[str, Any]], leave_out: tuple[str, ...] = ()
) -> dict[str, dict[str, Any]]:
    """Records by id, without the time they were read (it differs between any two crawls)
    and the fields ``leave_out``."""
    dropped = {"crawled_at", *leave_out}
    return {r["id"]: {k: v for k, v in r.items() if k not in dropped} for r in records}


def ids_twice(workers: list[Worker], feed: str) -> list[str]:
    counts = Counter(r["id"] for w in workers for r in w.records(feed))
    return sorted(key for key, count in counts.items() if count > 1)
