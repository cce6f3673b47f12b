"""The Ray executor (``--engine ray``, the optional extra ``aggregator[ray]``): one Ray task a
shard, over the same idempotent ``run_task``. Ray retries a task whose worker died
(``max_retries``) or that failed (``retry_exceptions``); a retry finds a completed task
done, so a task is never published twice.

``RAY_ADDRESS`` names a running cluster (``ray start --head`` on one node, ``ray start
--address=…`` on the others); without it a local Ray of ``workers`` CPUs is started. Every
node must see ``OUTPUT_DIR`` and the shards at the same paths (a shared file system).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from aggregator.corpus.executors import EngineUnavailable, Report
from aggregator.corpus.tasks import Task, TaskResult, run_task

MISSING = "--engine ray needs Ray: pip install 'aggregator[ray]' (or pip install ray)"


class TaskFailed(Exception):
    pass


def _attempt(task: Task, output_dir: str, settings: dict[str, str], timeout: float | None) -> Any:
    result = run_task(task, Path(output_dir), settings, timeout)
    if not result.ok:
        raise TaskFailed(result.reason)  # Ray retries it
    return result


def run_ray(
    tasks: list[Task],
    output_dir: Path,
    settings: dict[str, str],
    workers: int,
    retries: int,
    timeout: float | None,
    report: Report,
) -> list[TaskResult]:
    try:
        import ray
    except ImportError:
        raise EngineUnavailable(MISSING) from None
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    else:
        ray.init(num_cpus=workers, ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(num_cpus=1, max_retries=retries, retry_exceptions=True)(_attempt)
    pending = {
        remote.remote(task, str(output_dir.resolve()), settings, timeout): task for task in tasks
    }
    results: dict[str, TaskResult] = {}
    try:
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                task = pending.pop(ref)
                try:
                    result: TaskResult = ray.get(ref)
                except Exception as error:  # the last try failed, or its worker died
                    cause = getattr(error, "cause", None) or error
                    result = TaskResult(task, False, reason=f"{type(cause).__name__}: {cause}")
                results[task.id] = result
                report(result, len(results), len(tasks))
    finally:
        ray.shutdown()
    return [results[task.id] for task in tasks]
