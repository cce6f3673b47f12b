"""A corpus run's tasks: one shard a task, each an idempotent ``scrapy crawl dumps``.

A task's id comes from its input's path (not from its place in the list), so adding or
removing shards never reassigns a finished task's output. A task is run as a child process
(``scrapy crawl dumps -a path=SHARD``: the same extraction, pipelines and feeds as a crawl)
into ``OUTPUT_DIR/tasks/.<id>.partial-<pid>``; when it finished, its files are fsynced, a
``done.json`` (counts, health) is written last, and the folder is renamed to
``OUTPUT_DIR/tasks/<id>``: one atomic step, so a task is either complete or absent. A
killed worker, a killed run, a crash leave at most a partial folder, removed by the next
run, which runs only the tasks without a ``tasks/<id>/done.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aggregator.corpus.inputs import expand
from aggregator.utils.files import fsync_path

DONE = "done.json"
PARTIAL = ".partial-"
SAFE = re.compile(r"[^A-Za-z0-9._-]+")
# the counts of a task's stats a run reports, per task and in total
COUNTS = ("records", "skipped", "refused", "lost", "articles", "teasers")


@dataclass(frozen=True)
class Task:
    id: str
    input: str  # the shard's path


@dataclass(frozen=True)
class RunOptions:
    """How a run's tasks run: where, with which settings, how many at once, how often
    tried again, how long each may take (None: no limit)."""

    output_dir: Path
    settings: dict[str, str]
    workers: int = 1
    retries: int = 1
    timeout: float | None = None


@dataclass
class TaskResult:
    task: Task
    ok: bool
    reason: str = ""  # why it failed
    done_before: bool = False  # completed by an earlier run, not run again
    tries: int = 1  # runs of it in this run (a failed one tried again)
    failures: list[str] = field(default_factory=list)  # why the tries before failed
    health: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["task"] = asdict(self.task)
        return data


def task_id(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:10]
    return f"{SAFE.sub('-', path.name)[:60]}-{digest}"


def plan(inputs: list[str]) -> list[Task]:
    """The tasks of ``inputs`` (InputError for one that names nothing), by path, no repeats."""
    files = {path.resolve(): path for raw in inputs for path in expand(raw)}
    return [Task(task_id(path), str(path)) for path in sorted(files)]


def tasks_dir(output_dir: Path) -> Path:
    return output_dir / "tasks"


def task_dir(output_dir: Path, task: Task) -> Path:
    return tasks_dir(output_dir) / task.id


def completed(output_dir: Path, task: Task) -> TaskResult | None:
    done = task_dir(output_dir, task) / DONE
    if not done.is_file():
        return None
    data = json.loads(done.read_text("utf-8"))
    return TaskResult(task, True, done_before=True, health=data["health"], counts=data["counts"])


def remove_partials(output_dir: Path) -> None:
    """The folders of tasks a killed run left unfinished (a run holds the lock: none is live)."""
    folder = tasks_dir(output_dir)
    if folder.is_dir():
        for partial in folder.glob(f".*{PARTIAL}*"):
            shutil.rmtree(partial, ignore_errors=True)


def counts_of(stats: dict[str, Any]) -> dict[str, int]:
    def total(prefix: str) -> int:
        return sum(int(v) for k, v in stats.items() if k.startswith(prefix))

    return {
        "records": int(stats.get("aggregator/dumps/records", 0)),
        "skipped": sum(
            int(stats.get(key, 0))
            for key in (
                "aggregator/dumps/skipped_type",
                "aggregator/dumps/skipped_host",
                "aggregator/dumps/skipped_not_story",
                "aggregator/dumps/skipped_status",
            )
        ),
        "refused": total("aggregator/dumps/malformed/"),
        "lost": total("aggregator/lost/"),
        "articles": int(stats.get("aggregator/published/articles", 0)),
        "teasers": int(stats.get("aggregator/published/teasers", 0)),
    }


def crawl_command(task: Task, folder: Path, settings: dict[str, str]) -> list[str]:
    options = {
        **settings,
        "OUTPUT_DIR": str(folder),
        "AGGREGATOR_STATS_FILE": str(folder / "stats.json"),
        # a shard with no story of ours is a finished task with empty feeds
        "AGGREGATOR_CORPUS_TASK": "1",
        "AGGREGATOR_HEALTH_MIN_ARTICLES": "0",
        "AGGREGATOR_INDEX": "",  # the merged feeds are indexed, not each task's
        "AGGREGATOR_STATE": "",
        "AGGREGATOR_PROGRESS_INTERVAL": "0",  # a line every 10 s a task: the run reports
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "dumps", "-a", f"path={task.input}"]
    for name, value in options.items():
        command += ["-s", f"{name}={value}"]
    return command


def failure(returncode: int | None, log: Path) -> str:
    if returncode is None:
        return "timed out"
    if returncode < 0:
        return f"killed by signal {-returncode}"
    lines = [line for line in log.read_text("utf-8", "replace").splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if "ERROR" in line), lines[-1] if lines else "")
    return f"exit status {returncode}: {last[-300:]}"


def run_task(task: Task, options: RunOptions) -> TaskResult:
    """Run ``task`` unless it completed before; publish its folder atomically when done."""
    output_dir, settings, timeout = options.output_dir, options.settings, options.timeout
    done = completed(output_dir, task)
    if done is not None:
        return done
    partial = tasks_dir(output_dir) / f".{task.id}{PARTIAL}{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    log = partial / "crawl.log"
    try:
        with log.open("wb") as out:
            child = subprocess.Popen(
                crawl_command(task, partial, settings),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            try:
                returncode: int | None = child.wait(timeout)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
                returncode = None
        stats_file = partial / "stats.json"
        stats = json.loads(stats_file.read_text("utf-8")) if stats_file.is_file() else {}
        feeds = [partial / "articles.jsonl", partial / "teasers.jsonl"]
        if not (
            returncode in (0, 1)
            and stats.get("finish_reason") == "finished"
            and all(f.is_file() for f in feeds)
        ):
            return TaskResult(task, False, reason=failure(returncode, log))
        result = TaskResult(task, True, health=str(stats.get("aggregator/health/verdict", "")))
        result.counts = counts_of(stats)
        for file in (*feeds, stats_file, log):
            fsync_path(file)
        record = {"task": asdict(task), "health": result.health, "counts": result.counts}
        with (partial / DONE).open("w", encoding="utf-8") as out:
            json.dump(record, out, indent=1)
            out.flush()
            os.fsync(out.fileno())
        fsync_path(partial)
        os.rename(partial, task_dir(output_dir, task))  # the task is complete: one step
        fsync_path(tasks_dir(output_dir))
        return result
    finally:
        shutil.rmtree(partial, ignore_errors=True)
