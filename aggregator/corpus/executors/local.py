"""The local executor: ``workers`` tasks at a time on this machine (the default engine).

Each task is a child process of its own (``scrapy crawl dumps``: a fresh reactor a shard), so
a thread a worker only waits on it: a worker killed with SIGKILL fails that one task (its
partial folder is dropped, the task retried up to ``retries`` times), where a process pool
(``concurrent.futures.ProcessPoolExecutor``) breaks as a whole and fails every task left.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from aggregator.corpus.executors import Report
from aggregator.corpus.tasks import RunOptions, Task, TaskResult, run_task


def run_local(tasks: list[Task], options: RunOptions, report: Report) -> list[TaskResult]:
    results: dict[str, TaskResult] = {}
    tries = dict.fromkeys((task.id for task in tasks), 0)
    failures: dict[str, list[str]] = {task.id: [] for task in tasks}
    with ThreadPoolExecutor(max_workers=options.workers, thread_name_prefix="corpus") as pool:
        running: dict[Future[TaskResult], Task] = {
            pool.submit(run_task, task, options): task for task in tasks
        }
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                result = future.result()
                tries[task.id] += 1
                if not result.ok and tries[task.id] <= options.retries:
                    failures[task.id].append(result.reason)
                    again = pool.submit(run_task, task, options)
                    running[again] = task
                    continue
                result.tries, result.failures = tries[task.id], failures[task.id]
                results[task.id] = result
                report(result, len(results), len(tasks))
    return [results[task.id] for task in tasks]
