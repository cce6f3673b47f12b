"""The check ``scrapy crawl`` makes on an ``AGGREGATOR_INDEX`` of a ``sqlite:///`` URL before
anything starts (one line, exit 2, no file made): a file name (not a folder), in a folder
that can be written, and, when it exists, an SQLite database holding an index (its ``items``
table). A ``postgresql://`` index is checked when the run indexes (it needs the server).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from aggregator.index import sqlite_path

INDEX_TABLE = "items"


def index_file_problem(url: str) -> str | None:
    """Why the ``sqlite:///`` index at ``url`` cannot be opened or written, or None."""
    if not url.lower().startswith("sqlite://") or not sqlite_path(url):
        return None  # no file named: open_index says so when the run indexes
    path = Path(sqlite_path(url))
    if path.is_dir():
        return f"{path} is a folder, not an index file"
    if not path.exists():
        folder = path.absolute().parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            return f"{path} cannot be written (its folder {folder} is not writable)"
        return None
    if not os.access(path, os.R_OK | os.W_OK):
        return f"{path} cannot be opened for writing"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX_TABLE,)
            ).fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return f"{path} is not an index (not an SQLite database)"
    if row is None:
        return f"{path} is not an index (an SQLite database without its tables)"
    return None
