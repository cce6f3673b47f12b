"""``PgLedger``: the incremental ledger on PostgreSQL (``AGGREGATOR_STATE=postgresql://…``),
through psycopg 3 (the driver the search index uses: the ``postgres`` extra).

Alone, it is the SQLite state file on a server: one run at a time (``hold_lock``: a session
advisory lock, ``scrapy crawl`` exits 3 when another run holds it), and a run a stop left
``open`` is resumed. With ``AGGREGATOR_FRONTIER`` every worker of the crawl shares it, as the
ledger in the frontier's server (``aggregator.state.shared_ledger``) is shared: each worker has
its own run (``ledger_runs.worker``), never resumed (its pages went back with its leases), and
``settle_issues`` counts the reads of the open runs of live workers (``alive``: their keys in
the frontier) with its own.

The tables (``ledger_*``, written in ``pg_schema``) live in the URL's database and schema
(``?options=-csearch_path%3DNAME`` keeps two ledgers in one database); they are made on
first use, under an advisory lock. Keys are ``COLLATE "C"``: ``staged`` is in code-point
order, as SQLite's. Each change that must be whole is one statement (staging an item:
``INSERT … ON CONFLICT DO NOTHING``, so two workers staging the same id lose nothing, the
second is told ``seen``) or one transaction (opening a run, ``mark_published``, whose
upserts go in key order: two workers publishing at once lock rows in the same order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from aggregator.feeds.content_hash import content_hash
from aggregator.index.postgres import safe_url
from aggregator.state.ledger import _now
from aggregator.state.pg_schema import (
    DROP,
    NEW_RUN,
    PUBLISH,
    PUBLISHABLE,
    SETTLE,
    STAGE,
    TABLES,
)

SCHEMA_VERSION = 1
SCHEMA_LOCK = 0x6C656467  # pg_advisory_xact_lock key while the tables are made
RUN_LOCK = 0x6C656468  # with the schema's hash: one run at a time on a ledger used alone
CONNECT_TIMEOUT = 10  # seconds: an unreachable server is a bad setting, not a hang
ALONE = ""  # the worker of a ledger used without a frontier
BATCH = 1000  # rows read at a time by the iterators (a resumed run keeps only keys)


class LedgerUnavailable(Exception):
    """The server cannot be reached, or the URL is bad (one line, why; no password in it)."""


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection to ``url``; ``LedgerUnavailable`` when there is none."""
    try:
        conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise LedgerUnavailable(f"{safe_url(url)} is no PostgreSQL URL ({_line(error)})") from error
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as error:
        raise LedgerUnavailable(f"cannot connect to {safe_url(url)}: {_line(error)}") from error


def ledger_url_problem(url: str) -> str | None:
    """The crawl command's check: why ``url`` cannot hold the ledger, in one line, or None
    (it connects and reads the schema version of a ledger already there; touches nothing)."""
    try:
        db = connect(url)
    except LedgerUnavailable as error:
        return f"bad setting AGGREGATOR_STATE: {error}"
    try:
        version = None
        if db.execute("SELECT to_regclass('ledger_schema')").fetchone() != (None,):
            version = db.execute("SELECT max(version) FROM ledger_schema").fetchone()
    except psycopg.Error as error:
        return f"bad setting AGGREGATOR_STATE: cannot read {safe_url(url)}: {_line(error)}"
    finally:
        db.close()
    if version and version[0] is not None and int(version[0]) != SCHEMA_VERSION:
        return f"bad setting AGGREGATOR_STATE: {_version_problem(url, version[0])}"
    return None


def _version_problem(url: str, version: object) -> str:
    return (
        f"{safe_url(url)} holds a ledger of schema version {version}; this crawler reads "
        f"version {SCHEMA_VERSION}"
    )


def hold_lock(url: str) -> tuple[psycopg.Connection[Any] | None, str | None]:
    """(the connection holding the ledger's run lock for the process's life, None), or
    (None, why not) when another run holds it."""
    db = connect(url)
    query = "SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))"
    row = db.execute(query, (RUN_LOCK,)).fetchone()
    if row and row[0]:
        return db, None
    db.close()
    return None, f"the ledger {safe_url(url)} is in use by another run"


def _line(error: BaseException) -> str:
    return " ".join(str(error).split())


class PgLedger:
    def __init__(
        self,
        url: str,
        worker: str | None = None,
        alive: Callable[[list[str]], set[str]] | None = None,
    ) -> None:
        """``worker``: this worker's name on a frontier (None alone); ``alive``: which of the
        named workers are alive (the frontier's heartbeats)."""
        self.db = connect(url)
        self.worker = ALONE if worker is None else worker
        self.alive = alive
        try:
            with self.db.transaction():
                self.db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                # no DDL once the tables are there: CREATE INDEX IF NOT EXISTS still locks its
                # table, and deadlocks with a worker already staging into it
                if self._one("SELECT to_regclass('ledger_schema')") is None:
                    for statement in TABLES.split(";"):
                        if statement.strip():
                            self.db.execute(statement)
                version = self._one("SELECT max(version) FROM ledger_schema")
                if version is None:
                    self.db.execute("INSERT INTO ledger_schema VALUES (%s)", (SCHEMA_VERSION,))
                elif int(version) != SCHEMA_VERSION:
                    raise LedgerUnavailable(_version_problem(url, version))
        except psycopg.Error as error:
            self.db.close()
            reason = f"cannot set up the ledger in {safe_url(url)}: {_line(error)}"
            raise LedgerUnavailable(reason) from error
        except LedgerUnavailable:
            self.db.close()
            raise

    def close(self) -> None:
        self.db.close()

    def _one(self, query: str, params: Any = None) -> Any:
        row = self.db.execute(query, params).fetchone()
        return row[0] if row else None

    # -- runs -----------------------------------------------------------------------------

    def publishing_run(self) -> str | None:
        run = self._one(
            "SELECT id FROM ledger_runs WHERE worker = %s AND state = 'publishing'",
            (self.worker,),
        )
        return None if run is None else str(run)

    def reopen(self, run_id: str) -> None:
        self.db.execute(
            "UPDATE ledger_runs SET state = 'open' WHERE id = %s AND state = 'publishing'",
            (run_id,),
        )

    def open_run(self, now: datetime | None = None) -> tuple[str, bool]:
        with self.db.transaction():
            if self.worker == ALONE:
                run = self._one(
                    "SELECT id FROM ledger_runs WHERE worker = %s AND state = 'open' FOR UPDATE",
                    (ALONE,),
                )
                if run is not None:
                    return str(run), True
            else:  # a worker's pages belong to its leases: whoever took them stages them
                for statement in DROP:
                    self.db.execute(statement, {"worker": self.worker})
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            started = datetime.now(UTC).isoformat(timespec="seconds")
            run_id, suffix = stamp, 1
            # another worker may take the same second at once: ON CONFLICT, try the next
            while self._one(NEW_RUN, (run_id, self.worker, started)) is None:
                suffix += 1
                run_id = f"{stamp}-{suffix}"
        return run_id, False

    # -- staging --------------------------------------------------------------------------

    def stage(self, run_id: str, kind: str, record: dict[str, Any]) -> str:
        digest, text = content_hash(kind, record), json.dumps(record, ensure_ascii=False)
        params = {"run": run_id, "kind": kind, "id": str(record["id"]), "hash": digest}
        return str(self._one(STAGE, {**params, "record": text}))

    def page_done(self, run_id: str, url: str) -> None:
        self.db.execute(
            "INSERT INTO ledger_pages (run_id, url) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (run_id, url),
        )

    def _batches(self, query: str, params: tuple[Any, ...]) -> Iterator[tuple[str, str]]:
        """(key, value) rows of ``query`` (``… AND key > %s ORDER BY key LIMIT %s``), a batch
        at a time, by key: no cursor held open between the caller's own calls."""
        after = ""
        while True:
            rows = self.db.execute(query, (*params, after, BATCH)).fetchall()
            for key, value in rows:
                yield str(key), str(value)
            if len(rows) < BATCH:
                return
            after = str(rows[-1][0])

    def done_pages(self, run_id: str) -> Iterator[str]:
        query = "SELECT url, url FROM ledger_pages WHERE run_id = %s AND url > %s ORDER BY url "
        yield from (url for url, _ in self._batches(query + "LIMIT %s", (run_id,)))

    def staged(self, run_id: str, kind: str) -> Iterator[str]:
        query = (
            "SELECT id, record FROM ledger_staged WHERE run_id = %s AND kind = %s AND id > %s "
            "ORDER BY id LIMIT %s"
        )
        yield from (record for _, record in self._batches(query, (run_id, kind)))

    def staged_counts(self, run_id: str) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT kind || '/' || change, count(*) FROM ledger_staged WHERE run_id = %s "
            "GROUP BY 1",
            (run_id,),
        )
        return {str(key): int(count) for key, count in rows}

    # -- reads ----------------------------------------------------------------------------

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
            "INSERT INTO ledger_reads (run_id, kind, url, read_at, etag, last_modified, body) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (run_id, kind, url) DO UPDATE SET "
            "read_at = excluded.read_at, etag = excluded.etag, "
            "last_modified = excluded.last_modified, body = excluded.body",
            (run_id, kind, url, _now(), etag, last_modified, body),
        )

    def seen_body(self, kind: str, url: str) -> bytes | None:
        body = self._one("SELECT body FROM ledger_seen WHERE kind = %s AND url = %s", (kind, url))
        return None if body is None else bytes(body)

    def seen(self, kind: str, url: str) -> tuple[str, str | None, str | None] | None:
        row = self.db.execute(
            "SELECT read_at, etag, last_modified FROM ledger_seen WHERE kind = %s AND url = %s",
            (kind, url),
        ).fetchone()
        return (str(row[0]), row[1], row[2]) if row else None

    def read_in_run(self, run_id: str, kind: str, url: str) -> bool:
        found = self._one(
            "SELECT 1 FROM ledger_reads WHERE run_id = %s AND kind = %s AND url = %s",
            (run_id, kind, url),
        )
        return found is not None

    def list_stories(self, run_id: str, issue: str, urls: list[str]) -> None:
        self.db.execute(
            "INSERT INTO ledger_listed (run_id, issue, url) "
            "SELECT %s, %s, unnest(%s::text[]) ON CONFLICT DO NOTHING",
            (run_id, issue, urls),
        )

    def settle_issues(self, run_id: str, settled: tuple[str, ...]) -> int:
        readers = [run_id]
        if self.worker != ALONE and self.alive is not None:
            others = self.db.execute(
                "SELECT id, worker FROM ledger_runs WHERE worker NOT IN (%s, %s) "
                "AND state IN ('open', 'publishing')",
                (self.worker, ALONE),
            ).fetchall()
            live = self.alive(sorted({str(worker) for _, worker in others}))
            readers += [str(run) for run, worker in others if worker in live]
        params = {"run": run_id, "now": _now(), "readers": readers, "kinds": list(settled)}
        return int(self.db.execute(SETTLE, params).rowcount)

    def count_seen(self, kind: str) -> int:
        return int(self._one("SELECT count(*) FROM ledger_seen WHERE kind = %s", (kind,)))

    # -- publishing -----------------------------------------------------------------------

    def begin_publishing(self, run_id: str) -> None:
        self.db.execute(
            "UPDATE ledger_runs SET state = 'publishing' WHERE id = %s AND state = 'open'",
            (run_id,),
        )

    def mark_published(self, run_id: str) -> None:
        with self.db.transaction():
            # nothing for a run published already, or dropped (its worker taken for dead)
            if self._one(PUBLISHABLE, {"run": run_id}) is None:
                return
            for statement in PUBLISH:
                self.db.execute(statement, {"run": run_id})
