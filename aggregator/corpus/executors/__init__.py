"""Where a corpus run's tasks run: ``local`` (a pool of worker processes on this machine, the
default) or ``ray`` (a Ray cluster, the optional extra ``aggregator[ray]``). Both run the
same idempotent ``aggregator.corpus.tasks.run_task``; an executor only schedules and
retries it, and returns one ``TaskResult`` a task, in plan order."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable

from aggregator.corpus.tasks import RunOptions, Task, TaskResult

ENGINES = ("local", "ray", "slurm")


class EngineUnavailable(Exception):
    """The engine asked for cannot run here: one line saying what to install or use."""


# report(result, tasks finished so far, tasks in all): called as each task finishes
Report = Callable[[TaskResult, int, int], None]


def check_engine(engine: str) -> None:
    """EngineUnavailable, before anything runs, when ``engine`` cannot run here."""
    if engine == "slurm":
        raise EngineUnavailable(
            "--engine slurm is not available: on a Slurm allocation, start a Ray cluster "
            "over its nodes and use --engine ray (docs/corpus.md, 'On a cluster')"
        )
    if engine == "ray" and importlib.util.find_spec("ray") is None:
        raise EngineUnavailable(
            "--engine ray needs Ray: pip install 'aggregator[ray]' (or pip install ray)"
        )
    if engine not in ENGINES:
        raise EngineUnavailable(f"--engine {engine}: expected one of {', '.join(ENGINES)}")


def run_tasks(
    engine: str, tasks: list[Task], options: RunOptions, report: Report
) -> list[TaskResult]:
    if engine == "local":
        from aggregator.corpus.executors.local import run_local

        return run_local(tasks, options, report)
    if engine == "ray":
        from aggregator.corpus.executors.ray import run_ray

        return run_ray(tasks, options, report)
    check_engine(engine)
    raise EngineUnavailable(f"--engine {engine}: no executor")
