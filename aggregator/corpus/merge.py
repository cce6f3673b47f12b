"""The merged feeds of a corpus run, from its completed tasks' feeds.

Articles are deduplicated across shards by ``id``: the newest ``crawled_at`` (the WARC
date of the capture) wins, a tie goes to the first task in plan order (tasks are sorted by
input path), then to the first line. Teasers by ``id``, the first in plan order. Lines are
copied as the tasks wrote them, so the merged feeds are byte for byte the same whatever
order the tasks completed in, and whichever run completed them.

Two passes over the task feeds: the first keeps only each id's winner (task, line), the
second writes the winners; memory holds the ids, not the records. Each merged feed is
written beside its final name, fsynced and renamed into place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from aggregator.corpus.tasks import Task, task_dir
from aggregator.utils.files import fsync_path


@dataclass(frozen=True)
class Merged:
    articles: int
    teasers: int
    article_repeats: int  # the same article from more than one capture
    teaser_repeats: int


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as feed:
        for number, line in enumerate(feed):
            if line.strip():
                yield number, line


def _publish(path: Path, lines: Iterator[bytes]) -> int:
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    count = 0
    with partial.open("wb") as out:
        for line in lines:
            out.write(line if line.endswith(b"\n") else line + b"\n")
            count += 1
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)
    fsync_path(path.parent)
    return count


def merge(output_dir: Path, tasks: list[Task]) -> Merged:
    folders = [task_dir(output_dir, task) for task in tasks]
    winners: dict[str, tuple[str, int, int]] = {}  # id -> (crawled_at, task, line)
    seen = 0
    for index, folder in enumerate(folders):
        for number, line in _lines(folder / "articles.jsonl"):
            seen += 1
            record = json.loads(line)
            key, when = record["id"], record.get("crawled_at") or ""
            if key not in winners or when > winners[key][0]:
                winners[key] = (when, index, number)
    chosen = {(index, number) for _, index, number in winners.values()}

    def articles() -> Iterator[bytes]:
        for index, folder in enumerate(folders):
            for number, line in _lines(folder / "articles.jsonl"):
                if (index, number) in chosen:
                    yield line

    teaser_ids: set[str] = set()
    teasers_seen = 0

    def teasers() -> Iterator[bytes]:
        nonlocal teasers_seen
        for folder in folders:
            for _, line in _lines(folder / "teasers.jsonl"):
                teasers_seen += 1
                key = json.loads(line)["id"]
                if key not in teaser_ids:
                    teaser_ids.add(key)
                    yield line

    written = _publish(output_dir / "articles.jsonl", articles())
    teasers_written = _publish(output_dir / "teasers.jsonl", teasers())
    return Merged(written, teasers_written, seen - written, teasers_seen - teasers_written)
