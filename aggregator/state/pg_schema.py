"""The PostgreSQL ledger's tables and statements (``pg_ledger.PgLedger`` runs them).

The SQLite ledger's tables (``schema.py``) on a server: keys are ``COLLATE "C"`` so that
``staged`` is in code-point order, as SQLite's; each change that must be whole is one
statement here or one transaction in ``PgLedger``.
"""

from __future__ import annotations

TABLES = """
CREATE TABLE IF NOT EXISTS ledger_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ledger_runs (
    id TEXT COLLATE "C" PRIMARY KEY, worker TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'publishing', 'published', 'dropped')),
    started TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_runs_worker ON ledger_runs (worker, state);
CREATE TABLE IF NOT EXISTS ledger_published (
    kind TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, hash TEXT NOT NULL,
    run_id TEXT NOT NULL, PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS ledger_staged (
    run_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL, hash TEXT NOT NULL, change TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (run_id, kind, id)
);
CREATE TABLE IF NOT EXISTS ledger_pages (
    run_id TEXT COLLATE "C" NOT NULL, url TEXT COLLATE "C" NOT NULL, PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS ledger_reads (
    run_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL,
    url TEXT COLLATE "C" NOT NULL, read_at TEXT NOT NULL, etag TEXT, last_modified TEXT,
    body BYTEA, PRIMARY KEY (run_id, kind, url)
);
CREATE INDEX IF NOT EXISTS ledger_reads_url ON ledger_reads (url);
CREATE TABLE IF NOT EXISTS ledger_seen (
    kind TEXT COLLATE "C" NOT NULL, url TEXT COLLATE "C" NOT NULL, read_at TEXT NOT NULL,
    etag TEXT, last_modified TEXT, body BYTEA, PRIMARY KEY (kind, url)
);
CREATE TABLE IF NOT EXISTS ledger_listed (
    run_id TEXT COLLATE "C" NOT NULL, issue TEXT COLLATE "C" NOT NULL,
    url TEXT COLLATE "C" NOT NULL, PRIMARY KEY (run_id, issue, url)
);
"""

# one statement, so one snapshot and one round trip: unchanged, else new/changed when this
# run's row went in, else seen (the run's first copy kept; a concurrent insert waits, then
# does nothing)
STAGE = """
WITH old AS (SELECT hash FROM ledger_published WHERE kind = %(kind)s AND id = %(id)s),
put AS (
    INSERT INTO ledger_staged (run_id, kind, id, hash, change, record)
    SELECT %(run)s, %(kind)s, %(id)s, %(hash)s,
           CASE WHEN EXISTS (SELECT 1 FROM old) THEN 'changed' ELSE 'new' END, %(record)s
    WHERE NOT EXISTS (SELECT 1 FROM old WHERE hash = %(hash)s)
    ON CONFLICT DO NOTHING
    RETURNING change
)
SELECT CASE WHEN EXISTS (SELECT 1 FROM old WHERE hash = %(hash)s) THEN 'unchanged'
            ELSE coalesce((SELECT change FROM put), 'seen') END
"""

# an issue every story of which is of a settled kind, in a reader's run or a published one's;
# a settled issue's row replaces what was there (SQLite's INSERT OR REPLACE)
SETTLE = """
INSERT INTO ledger_reads (run_id, kind, url, read_at)
SELECT %(run)s, 'issue', l.issue, %(now)s FROM ledger_listed AS l WHERE l.run_id = %(run)s
GROUP BY l.issue
HAVING bool_and(
    EXISTS (SELECT 1 FROM ledger_reads AS r WHERE r.run_id = ANY(%(readers)s)
            AND r.kind = ANY(%(kinds)s) AND r.url = l.url)
    OR EXISTS (SELECT 1 FROM ledger_seen AS s WHERE s.kind = ANY(%(kinds)s) AND s.url = l.url))
ORDER BY l.issue
ON CONFLICT (run_id, kind, url) DO UPDATE SET read_at = excluded.read_at, etag = NULL,
    last_modified = NULL, body = NULL
"""

NEW_RUN = (
    "INSERT INTO ledger_runs (id, worker, state, started) "
    "VALUES (%s, %s, 'open', %s) ON CONFLICT DO NOTHING RETURNING id"
)
PUBLISHABLE = (
    "SELECT id FROM ledger_runs WHERE id = %(run)s AND state IN ('open', 'publishing') FOR UPDATE"
)
PUBLISH = (
    "INSERT INTO ledger_published (kind, id, hash, run_id) "
    "SELECT kind, id, hash, run_id FROM ledger_staged WHERE run_id = %(run)s ORDER BY kind, id "
    "ON CONFLICT (kind, id) DO UPDATE SET hash = excluded.hash, run_id = excluded.run_id",
    "DELETE FROM ledger_staged WHERE run_id = %(run)s",
    "DELETE FROM ledger_pages WHERE run_id = %(run)s",
    "INSERT INTO ledger_seen (kind, url, read_at, etag, last_modified, body) "
    "SELECT kind, url, read_at, etag, last_modified, body FROM ledger_reads "
    "WHERE run_id = %(run)s ORDER BY kind, url "
    "ON CONFLICT (kind, url) DO UPDATE SET read_at = excluded.read_at, etag = excluded.etag, "
    "last_modified = excluded.last_modified, body = excluded.body",
    "DELETE FROM ledger_reads WHERE run_id = %(run)s",
    "DELETE FROM ledger_listed WHERE run_id = %(run)s",
    "UPDATE ledger_runs SET state = 'published' WHERE id = %(run)s",
)

# a worker's leftover runs, dropped when it starts again (on a frontier); their ids stay
# taken, so that each run of the worker is a new folder
DROP = (
    *(
        f"DELETE FROM {table} WHERE run_id IN (SELECT id FROM ledger_runs "
        "WHERE worker = %(worker)s AND state IN ('open', 'publishing'))"
        for table in ("ledger_staged", "ledger_pages", "ledger_reads", "ledger_listed")
    ),
    "UPDATE ledger_runs SET state = 'dropped' "
    "WHERE worker = %(worker)s AND state IN ('open', 'publishing')",
)
