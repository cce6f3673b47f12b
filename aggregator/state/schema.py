"""The state file's schema, its version (SQLite's ``user_version``) and the migration to it.

Version 1 (the first incremental runs) had no version number: ``runs``, ``published``,
``staged`` and ``pages``. Version 2 adds what makes a scheduled run cost what changed:
``reads`` (per run: the story, issue and navigation pages it read, when, and their
``ETag`` / ``Last-Modified``), ``listed`` (per run: the stories each issue page it read
lists) and ``seen`` (the same, for published runs: what the next run
need not fetch again until due). A version-1 file is migrated in place, in one transaction;
a file of any other version is refused (``SchemaError``), never touched.

``state_file_problem`` is the crawl command's check before anything starts: why a path cannot
be a state file, in one line, or None.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

VERSION = 2

TABLES_V1 = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('open', 'publishing', 'published')),
    started TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS published (
    kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL, run_id TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS staged (
    run_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT NOT NULL,
    change TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (run_id, kind, id)
);
CREATE TABLE IF NOT EXISTS pages (
    run_id TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (run_id, url)
);
"""

# kind: 'story', 'issue' (seen in full: every story on it read), 'page' (catalog and
# publication pages: their text, zlib-compressed, is kept to be read again on a 304)
TABLES_V2 = """
CREATE TABLE IF NOT EXISTS reads (
    run_id TEXT NOT NULL, kind TEXT NOT NULL, url TEXT NOT NULL, read_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, body BLOB,
    PRIMARY KEY (run_id, kind, url)
);
CREATE TABLE IF NOT EXISTS seen (
    kind TEXT NOT NULL, url TEXT NOT NULL, read_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, body BLOB,
    PRIMARY KEY (kind, url)
);
CREATE TABLE IF NOT EXISTS listed (
    run_id TEXT NOT NULL, issue TEXT NOT NULL, url TEXT NOT NULL,
    PRIMARY KEY (run_id, issue, url)
);
"""

V1_TABLES = frozenset({"runs", "published", "staged", "pages"})


class SchemaError(Exception):
    """The file is no state file of this version (one line, why)."""


def _tables(db: sqlite3.Connection) -> set[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def file_version(db: sqlite3.Connection) -> int | None:
    """The schema version of an open database: 0 when empty, None when not a state file.
    ``sqlite3.DatabaseError`` when it is no SQLite database at all."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    tables = _tables(db)
    if version == 0:
        if not tables:
            return 0
        return 1 if tables >= V1_TABLES else None
    return version


def prepare(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables of a new file, migrate a version-1 file, refuse any other."""
    try:
        version = file_version(db)
    except sqlite3.DatabaseError as error:
        raise SchemaError(f"{path} is not a state file ({error})") from error
    if version is None:
        raise SchemaError(f"{path} is not a state file (an SQLite database of other tables)")
    if version not in (0, 1, VERSION):
        raise SchemaError(
            f"{path} is a state file of schema version {version}; this crawler reads "
            f"version {VERSION} (and migrates version 1)"
        )
    if version == VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        # statement by statement: executescript would commit on its own
        for statement in (TABLES_V1 + TABLES_V2).split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def state_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be the state file, or None (checked read-only: nothing touched)."""
    if path.is_dir():
        return f"{path} is a folder, not a state file"
    if not path.exists():
        folder = _existing_parent(path)
        if not folder.is_dir():
            return f"{path}: {folder} is not a folder"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"{path}: its folder {folder} is not writable"
        return None
    if not os.access(path, os.R_OK | os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        return f"{path} is not writable (the state file and its folder must be)"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return f"{path} cannot be opened ({error})"
    try:
        version = file_version(db)
    except sqlite3.DatabaseError:
        return f"{path} is not a state file (not an SQLite database)"
    finally:
        db.close()
    if version is None:
        return f"{path} is not a state file (an SQLite database of other tables)"
    if version not in (0, 1, VERSION):
        return (
            f"{path} is a state file of schema version {version}; this crawler reads "
            f"version {VERSION} (and migrates version 1)"
        )
    return None


def _existing_parent(path: Path) -> Path:
    """The nearest folder of ``path`` that exists (the state file's folder is made if not)."""
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder
