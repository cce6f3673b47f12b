"""``scrapy corpus run``: plan the tasks, run them on an engine, merge when all completed.

One run at a time an ``OUTPUT_DIR`` (an exclusive lock on ``OUTPUT_DIR/.corpus.lock``): a
second one exits at once rather than race the first. The run writes ``OUTPUT_DIR/stats.json``
(per task and in total: records read, skipped, refused, lost stories, articles and teasers
out; the failed tasks and why) and prints its summary line last. Exit status: 0 every task
completed and healthy; 1 a task failed (no merged feeds: the previous ones stay) or a task
lost stories (the merged feeds are written, the losses named in its log); 2 bad arguments.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aggregator.corpus.executors import check_engine, run_tasks
from aggregator.corpus.merge import merge
from aggregator.corpus.tasks import (
    COUNTS,
    RunOptions,
    TaskResult,
    plan,
    remove_partials,
    task_dir,
)


class RunLocked(Exception):
    pass


@dataclass
class Outcome:
    exitcode: int
    summary: str


def totals(results: list[TaskResult]) -> dict[str, int]:
    return {name: sum(r.counts.get(name, 0) for r in results if r.ok) for name in COUNTS}


def write_json(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    with partial.open("w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def run_corpus(
    inputs: list[str],
    output_dir: Path,
    *,
    engine: str,
    workers: int,
    retries: int,
    timeout: float | None,
    settings: dict[str, str],
    say: Callable[[str], None] = print,
) -> Outcome:
    """InputError (bad input), EngineUnavailable or RunLocked before any task runs."""
    check_engine(engine)
    tasks = plan(inputs)
    output_dir.mkdir(parents=True, exist_ok=True)
    lock = (output_dir / ".corpus.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise RunLocked(f"{output_dir}: another corpus run is writing there") from None
    try:
        remove_partials(output_dir)
        before = sum((task_dir(output_dir, t) / "done.json").is_file() for t in tasks)
        say(f"corpus: {len(tasks)} tasks ({before} completed before), engine {engine}")

        def report(result: TaskResult, done: int, total: int) -> None:
            if result.done_before:
                return
            what = (
                f"{result.counts.get('articles', 0)} articles, "
                f"{result.counts.get('teasers', 0)} teasers"
                if result.ok
                else f"FAILED ({result.reason})"
            )
            if result.failures:
                what += f" (try {result.tries}; before: {'; '.join(result.failures)})"
            say(f"corpus: [{done}/{total}] {result.task.id}: {what}")

        options = RunOptions(output_dir, settings, workers, retries, timeout)
        results = run_tasks(engine, tasks, options, report)
        return finish(output_dir, results)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def finish(output_dir: Path, results: list[TaskResult]) -> Outcome:
    failed = [r for r in results if not r.ok]
    unhealthy = [r for r in results if r.ok and r.health != "healthy"]
    total = totals(results)
    stats: dict[str, Any] = {
        "tasks": {r.task.id: r.to_json() for r in results},
        "total": total,
        "failed": {r.task.id: r.reason for r in failed},
        "ran": sum(1 for r in results if r.ok and not r.done_before),
        "done_before": sum(1 for r in results if r.done_before),
    }
    counts = (
        f"{total['records']} records read, {total['skipped']} skipped, "
        f"{total['refused']} refused, {total['lost']} stories lost"
    )
    if failed:
        stats["merged"] = None
        named = "; ".join(f"{r.task.id} ({r.reason})" for r in failed)
        summary = (
            f"corpus: UNHEALTHY: {len(failed)} of {len(results)} tasks failed, merged feeds "
            f"not written (previous ones kept): {named}; rerun to do only those; {counts}"
        )
        code = 1
    else:
        merged = merge(output_dir, [r.task for r in results])
        stats["merged"] = {
            "articles": merged.articles,
            "teasers": merged.teasers,
            "article_repeats": merged.article_repeats,
            "teaser_repeats": merged.teaser_repeats,
        }
        verdict = "healthy" if not unhealthy else "UNHEALTHY"
        summary = (
            f"corpus: {verdict}: {len(results)} tasks, {merged.articles} articles, "
            f"{merged.teasers} teasers merged ({merged.article_repeats} article repeats); "
            f"{counts}"
        )
        if unhealthy:
            summary += "; unhealthy tasks: " + ", ".join(
                f"{r.task.id} (see tasks/{r.task.id}/crawl.log)" for r in unhealthy
            )
        code = 1 if unhealthy else 0
    stats["summary"] = summary
    write_json(output_dir / "stats.json", stats)
    return Outcome(code, summary)
