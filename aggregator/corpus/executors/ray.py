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
from dataclasses import replace
from typing import Any

from aggregator.corpus.executors import EngineUnavailable, Report
from aggregator.corpus.tasks import RunOptions, Task, TaskResult, run_task

MISSING = "--engine ray needs Ray: pip install 'aggregator[ray]' (or pip install ray)"


class TaskFailed(Exception):
    pass


def _attempt(task: Task, options: RunOptions) -> Any:
    result = run_task(task, options)
    if not result.ok:
        raise TaskFailed(result.reason)  # Ray retries it
    return result


def run_ray(tasks: list[Task], options: RunOptions, report: Report) -> list[TaskResult]:
    try:
        import ray
    except ImportError:
        raise EngineUnavailable(MISSING) from None
    address = os.environ.get("RAY_ADDRESS")
    if address:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    else:
        ray.init(num_cpus=options.workers, ignore_reinit_error=True, log_to_driver=False)
    remote = ray.remote(num_cpus=1, max_retries=options.retries, retry_exceptions=True)(_attempt)
    shared = replace(options, output_dir=options.output_dir.resolve())  # the same on every node
    pending = {remote.remote(task, shared): task for task in tasks}
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
