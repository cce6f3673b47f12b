"""Durable files: what a crash must never tear. One home for the fsync of a file or a folder
(a rename is durable only once its folder is synced)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Make ``path`` (a file, or a folder and so the renames in it) durable."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_folder(folder: Path) -> None:
    """``fsync_path`` of a folder, a no-op where folders cannot be opened (POSIX only)."""
    with contextlib.suppress(OSError):
        fsync_path(folder)
