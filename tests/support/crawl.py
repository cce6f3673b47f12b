"""Run a real ``scrapy crawl`` in a subprocess (a fresh reactor per run) and read its output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# the project folder: `scrapy crawl` runs from here (scrapy.cfg); tests/conftest.py derives
# the other paths from it
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    output_dir: Path

    def records(self, feed: str) -> list[dict[str, Any]]:
        path = self.output_dir / f"{feed}.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    @property
    def articles(self) -> list[dict[str, Any]]:
        return self.records("articles")

    @property
    def teasers(self) -> list[dict[str, Any]]:
        return self.records("teasers")

    @property
    def stats(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.output_dir / "stats.json").read_text("utf-8"))
        return data


def scrapy_command(*arguments: str) -> list[str]:
    """The command line of ``scrapy ARGUMENTS…`` in this environment (run it from ``ROOT``):
    every test that starts Scrapy starts it so."""
    return [sys.executable, "-m", "scrapy", *arguments]


def run_crawl(
    spider: str,
    output_dir: Path,
    *arguments: str,
    timeout: int = 120,
    log_level: str = "INFO",
    env: dict[str, str] | None = None,
) -> CrawlResult:
    """``scrapy crawl SPIDER -a …`` from the project folder, feeds and stats in ``output_dir``;
    ``env``: variables added to the environment."""
    command = scrapy_command(
        "crawl",
        spider,
        *arguments,
        "-s",
        f"OUTPUT_DIR={output_dir}",
        "-s",
        "AGGREGATOR_STATS_FILE=%(output_dir)s/stats.json",
        "-s",
        f"LOG_LEVEL={log_level}",
    )
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env} if env else None,
    )
    return CrawlResult(done.returncode, done.stdout, done.stderr, output_dir)


def run_scrapy(*arguments: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``scrapy ARGUMENTS…`` (any command) from the project folder, its output captured."""
    return subprocess.run(
        scrapy_command(*arguments),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
