"""Retention of run folders (``AGGREGATOR_STATE_KEEP_RUNS``): at the end of a healthy run, the
newest ``keep`` run folders stay and older ones are removed, never the one ``runs/latest``
points to. 0 keeps them all. Work in progress (``.<run-id>.partial``) is not touched: the
run that owns it, or its resume, removes it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

RUN_ID = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")


def run_folders(runs_dir: Path) -> list[str]:
    """The published run folders' names, oldest first (ids sort by time)."""
    if not runs_dir.is_dir():
        return []
    names = (p.name for p in runs_dir.iterdir() if not p.is_symlink() and p.is_dir())
    return sorted(name for name in names if RUN_ID.match(name))


def prune(runs_dir: Path, keep: int) -> list[str]:
    """Remove all but the newest ``keep`` run folders (and ``latest``'s); the removed names."""
    if keep <= 0:
        return []
    link = runs_dir / "latest"
    pointed = link.resolve().name if link.is_symlink() else None
    names = run_folders(runs_dir)
    kept = set(names[-keep:]) | ({pointed} if pointed else set())
    removed = [name for name in names if name not in kept]
    for name in removed:
        shutil.rmtree(runs_dir / name)
    return removed
