"""Copies of a generated mirror (``benchmarks.mirror``) that change what a scheduled run must
find: a new newest issue of one publication, story bodies edited (the incremental benchmark
and tests/scheduling use them). Written from the same plan, so that every file that need not
change keeps its bytes and its mtime (``shutil.copytree`` copies both): a server's ``ETag``
and ``Last-Modified`` for it stay the same.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.mirror import Plan, _story, issue_date, render
from sitegen import Issue, Para, StorySpec

EDIT = "Correction: an earlier version of this story gave the wrong figures ({key})."


def all_stories(content: Plan) -> list[StorySpec]:
    return [spec for specs in content.stories.values() for spec in specs]


def add_issue(content: Plan, publication_index: int, stories: int = 8) -> Issue:
    """A new newest issue of a publication, with ``stories`` new stories: archive page 1
    lists it (every archive page shifts by one), its page links the former newest one."""
    pub = content.publications[publication_index]
    oldest_first = content.issues[pub.slug]
    count = sum(len(v) for v in content.issues.values())
    issue = Issue(pub, str(2_000_000 + count), issue_date(pub, -1))  # the newest
    number = len(all_stories(content))
    rng = random.Random(f"new-issue-{count}")
    specs = [_story(rng, number + n, issue) for n in range(stories)]
    oldest_first.append(issue)
    content.stories[issue.path] = specs
    content.story_pages += sum(len(s.locales) for s in specs)
    return issue


def edit_body(spec: StorySpec) -> None:
    """A sentence-long paragraph after the first (the generator prints it in the markup and
    in the JSON-LD ``articleBody`` alike)."""
    spec.paragraphs = [
        spec.paragraphs[0],
        Para.plain(EDIT.format(key=spec.key)),
        *spec.paragraphs[1:],
    ]


@dataclass
class Copy:
    root: Path
    written: set[str] = field(default_factory=set)  # paths whose bytes changed or are new


def write_copy(source: Path, content: Plan, root: Path) -> Copy:
    """``source`` copied to ``root``, then the files of ``content`` that differ rewritten."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(source, root)
    (root / "MIRROR.json").unlink(missing_ok=True)  # not the generator's mirror: never reused
    copy = Copy(root)
    for relative, text in render(content).items():
        target = root / relative
        data = text.encode("utf-8")
        before = target.stat().st_mtime if target.exists() else 0.0
        if before and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        # an edit made in the same second as the source would keep its Last-Modified (HTTP
        # dates are in whole seconds): the copy stands for a later edit
        stamp = max(time.time(), before + 2)
        os.utime(target, (stamp, stamp))
        copy.written.add(relative)
    return copy
