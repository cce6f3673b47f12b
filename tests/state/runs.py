"""Scheduled runs of ``scrapy crawl issues`` with a state file, against a recording server
(``tests.servers.recording``), and what they asked for and published."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aggregator.site.urls import article_id, teaser_id
from aggregator.state.retention import run_folders
from sitegen import StorySpec
from tests.servers.recording import Logged, RecordingServer
from tests.support.crawl import ROOT, scrapy_command

CRAWL_TIMEOUT = 300


def kind(path: str) -> str:
    if "/stories/" in path:
        return "story"
    if "/magazines/" in path:
        return "archive"
    if path == "/index.html":
        return "catalog"
    return "issue"


@dataclass
class Place:
    out: Path
    state: Path

    @classmethod
    def fresh(cls, folder: Path) -> Place:
        folder.mkdir(parents=True, exist_ok=True)
        return cls(out=folder / "out", state=folder / "state.sqlite")

    @property
    def runs(self) -> Path:
        return self.out / "runs"

    def folders(self) -> list[str]:
        return run_folders(self.runs)

    def latest(self) -> str | None:
        link = self.runs / "latest"
        return link.resolve().name if link.is_symlink() else None


@dataclass
class Run:
    returncode: int
    stderr: str
    log: list[Logged]
    stats: dict[str, Any]

    @property
    def summary(self) -> str:
        return str(self.stats.get("aggregator/health/summary", ""))

    def paths(self, of: str | None = None) -> Counter[str]:
        return Counter(e.path for e in self.log if of is None or kind(e.path) == of)

    def statuses(self, of: str) -> Counter[int]:
        return Counter(e.status for e in self.log if kind(e.path) == of)

    def conditional(self, of: str) -> int:
        return sum(e.conditional for e in self.log if kind(e.path) == of)

    def stat(self, key: str) -> Any:
        return self.stats.get(key, 0)


def crawl(
    place: Place, server: RecordingServer, *settings: str, env: dict[str, str] | None = None
) -> Run:
    command = scrapy_command(
        "crawl", "issues",
        "-a", f"start_urls={server.url_for('index.html')}",
        "-s", f"OUTPUT_DIR={place.out}",
        "-s", f"AGGREGATOR_STATE={place.state}",
        "-s", "AGGREGATOR_STATS_FILE=%(output_dir)s/stats.json",
        "-s", "LOG_LEVEL=WARNING",
    )  # fmt: skip
    for setting in settings:
        command += ["-s", setting]
    server.clear()
    stats_file = place.out / "stats.json"
    stats_file.unlink(missing_ok=True)
    environment = {k: v for k, v in os.environ.items() if k != "AGGREGATOR_CRASH_AT"}
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
        env={**environment, **(env or {})},
    )
    stats = json.loads(stats_file.read_text("utf-8")) if stats_file.is_file() else {}
    return Run(done.returncode, done.stderr, server.clear(), stats)


def read_ids(folder: Path) -> tuple[set[str], set[str]]:
    """(article ids, teaser ids) of a run folder."""

    def ids(name: str) -> set[str]:
        lines = (folder / name).read_text("utf-8").splitlines()
        return {json.loads(line)["id"] for line in lines}

    return ids("articles.jsonl"), ids("teasers.jsonl")


def article_ids(specs: list[StorySpec]) -> set[str]:
    return {article_id(s.canonical_url) for s in specs}


def teaser_ids(specs: list[StorySpec]) -> set[str]:
    return {teaser_id(s.canonical_url, None, s.title) for s in specs}


def story_paths(specs: list[StorySpec]) -> set[str]:
    return {f"/{s.path(locale)}" for s in specs for locale in s.locales}
