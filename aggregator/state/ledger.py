"""The state file of incremental runs (``AGGREGATOR_STATE``): what was published, what a run
has staged, which story pages it has read, and what pages published runs read (``reads`` and
``seen``: ``aggregator.state.freshness``). Its schema: ``aggregator.state.schema``. SQLite in
WAL mode, from the standard library: one file, transactions, no server.

A run's life, each step one transaction, so that a crash at any instant leaves a state the
next start can finish or roll back (``aggregator.state.run.StateRun``, at its start):

1. ``open``: a run id (time-sortable, UTC). A run left ``open`` by a stop is resumed.
2. ``stage``: each item new or changed since the last published run (its content hash
   differs), with its JSON record; ``page_done``: a story page all of whose items are staged
   (a resumed run does not fetch it again).
3. ``begin_publishing``, then the run folder is written and renamed into place by the caller,
   then ``mark_published``: the staged items become the published ones, in one transaction.

At start, a run found ``publishing`` is finished (its folder is in place) or set back to
``open`` (it is not): its items were never marked published, so the folder written on the
next finish holds them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aggregator.feeds.content_hash import content_hash
from aggregator.state.schema import prepare


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)  # explicit transactions
        try:
            prepare(self.db, path)  # the tables, a migration, or SchemaError (file untouched)
        except BaseException:
            self.db.close()
            raise
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: every commit survives the process being killed (the OS has it); only
        # a power cut can lose the last commits, and the start-up recovery copes with that.
        # (FULL would fsync on every staged item.)
        self.db.execute("PRAGMA synchronous=NORMAL")

    def close(self) -> None:
        self.db.close()

    # -- runs -----------------------------------------------------------------------------

    def publishing_run(self) -> str | None:
        row = self.db.execute("SELECT id FROM runs WHERE state = 'publishing'").fetchone()
        return str(row[0]) if row else None

    def reopen(self, run_id: str) -> None:
        """A run whose folder never appeared goes back to staging."""
        self.db.execute("UPDATE runs SET state = 'open' WHERE id = ?", (run_id,))

    def open_run(self, now: datetime | None = None) -> tuple[str, bool]:
        """(run id, resumed): the run a stop left open, else a new one."""
        row = self.db.execute("SELECT id FROM runs WHERE state = 'open'").fetchone()
        if row:
            return str(row[0]), True
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        run_id, suffix = stamp, 1
        while self.db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
            suffix += 1
            run_id = f"{stamp}-{suffix}"
        self.db.execute(
            "INSERT INTO runs (id, state, started) VALUES (?, 'open', ?)",
            (run_id, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        return run_id, False

    # -- staging --------------------------------------------------------------------------

    def stage(self, run_id: str, kind: str, record: dict[str, Any]) -> str:
        """Stage ``record`` if new or changed: ``new``, ``changed``, ``unchanged`` or
        ``seen`` (already staged by this run, the first copy kept)."""
        item_id = str(record["id"])
        digest = content_hash(kind, record)
        row = self.db.execute(
            "SELECT hash FROM published WHERE kind = ? AND id = ?", (kind, item_id)
        ).fetchone()
        if row and row[0] == digest:
            return "unchanged"
        change = "changed" if row else "new"
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO staged (run_id, kind, id, hash, change, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, kind, item_id, digest, change, json.dumps(record, ensure_ascii=False)),
        )
        return change if cursor.rowcount else "seen"

    def page_done(self, run_id: str, url: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO pages (run_id, url) VALUES (?, ?)", (run_id, url))

    def done_pages(self, run_id: str) -> Iterator[str]:
        """The story pages ``run_id`` has read (one by one: a resumed run keeps only keys)."""
        rows = self.db.execute("SELECT url FROM pages WHERE run_id = ?", (run_id,))
        for (url,) in rows:
            yield str(url)

    def staged(self, run_id: str, kind: str) -> Iterator[str]:
        """The run's staged records of ``kind`` (JSON), in id order."""
        rows = self.db.execute(
            "SELECT record FROM staged WHERE run_id = ? AND kind = ? ORDER BY id", (run_id, kind)
        )
        for (record,) in rows:
            yield str(record)

    def staged_counts(self, run_id: str) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT kind || '/' || change, COUNT(*) FROM staged WHERE run_id = ? GROUP BY 1",
            (run_id,),
        )
        return {str(key): int(count) for key, count in rows}

    # -- reads: what the next run need not fetch again (aggregator.state.freshness) --------

    def record_read(
        self,
        run_id: str,
        kind: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        body: bytes | None = None,
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO reads (run_id, kind, url, read_at, etag, last_modified, "
            "body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (run_id, kind, url, _now(), etag,
             last_modified, body),
        )  # fmt: skip

    def seen_body(self, kind: str, url: str) -> bytes | None:
        row = self.db.execute(
            "SELECT body FROM seen WHERE kind = ? AND url = ?", (kind, url)
        ).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def seen(self, kind: str, url: str) -> tuple[str, str | None, str | None] | None:
        """(read at, ETag, Last-Modified) of a page a published run read, or None."""
        row = self.db.execute(
            "SELECT read_at, etag, last_modified FROM seen WHERE kind = ? AND url = ?",
            (kind, url),
        ).fetchone()
        return (str(row[0]), row[1], row[2]) if row else None

    def read_in_run(self, run_id: str, kind: str, url: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM reads WHERE run_id = ? AND kind = ? AND url = ?", (run_id, kind, url)
        ).fetchone()
        return row is not None

    def list_stories(self, run_id: str, issue: str, urls: list[str]) -> None:
        """The stories an issue page lists (in the file, not in memory: a long run reads
        many issues)."""
        with self._transaction():
            self.db.executemany(
                "INSERT OR IGNORE INTO listed (run_id, issue, url) VALUES (?, ?, ?)",
                [(run_id, issue, url) for url in urls],
            )

    def settle_issues(self, run_id: str, settled: tuple[str, ...]) -> int:
        """Record as read the issues of ``run_id`` every story of which is of a ``settled``
        kind, in this run's reads or a published run's; how many."""
        marks = ", ".join("?" * len(settled))
        cursor = self.db.execute(
            "INSERT OR REPLACE INTO reads (run_id, kind, url, read_at) "
            "SELECT ?, 'issue', l.issue, ? FROM listed AS l WHERE l.run_id = ? "
            "GROUP BY l.issue HAVING SUM(NOT ("
            f"EXISTS (SELECT 1 FROM reads AS r WHERE r.run_id = l.run_id AND r.kind IN ({marks})"
            " AND r.url = l.url) "
            f"OR EXISTS (SELECT 1 FROM seen AS s WHERE s.kind IN ({marks}) AND s.url = l.url)"
            ")) = 0",
            (run_id, _now(), run_id, *settled, *settled),
        )
        return int(cursor.rowcount)

    def count_seen(self, kind: str) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM seen WHERE kind = ?", (kind,)).fetchone()
        return int(row[0])

    # -- publishing -----------------------------------------------------------------------

    def begin_publishing(self, run_id: str) -> None:
        self.db.execute("UPDATE runs SET state = 'publishing' WHERE id = ?", (run_id,))

    def mark_published(self, run_id: str) -> None:
        """The staged items become the published ones; the run is done. One transaction."""
        with self._transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO published (kind, id, hash, run_id) "
                "SELECT kind, id, hash, run_id FROM staged WHERE run_id = ?",
                (run_id,),
            )
            self.db.execute("DELETE FROM staged WHERE run_id = ?", (run_id,))
            self.db.execute("DELETE FROM pages WHERE run_id = ?", (run_id,))
            self.db.execute(
                "INSERT OR REPLACE INTO seen (kind, url, read_at, etag, last_modified, body) "
                "SELECT kind, url, read_at, etag, last_modified, body FROM reads "
                "WHERE run_id = ?",
                (run_id,),
            )
            self.db.execute("DELETE FROM reads WHERE run_id = ?", (run_id,))
            self.db.execute("DELETE FROM listed WHERE run_id = ?", (run_id,))
            self.db.execute("UPDATE runs SET state = 'published' WHERE id = ?", (run_id,))

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _now() -> str:
    """When a page was read, to the microsecond (``Freshness`` compares these as strings)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
