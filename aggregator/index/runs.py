"""The run history of a SQLite index: one ``runs`` row a crawl with ``AGGREGATOR_INDEX``
(its closing figures), its losses by reason in ``run_losses`` (``what``: ``story`` for a
story lost, ``page`` for another page not read).

A run is recorded whether it published or not (what a failed run lost is what its reader
looks for), once its feeds are indexed; not when indexing failed (the index could not be
written). A PostgreSQL index keeps no history: ``scrapy browse`` reads SQLite only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

RUNS_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    spider TEXT,
    started_at TEXT,
    finished_at TEXT,
    finish_reason TEXT,
    verdict TEXT NOT NULL,
    reasons TEXT NOT NULL,
    articles INTEGER NOT NULL,
    teasers INTEGER NOT NULL,
    stories_lost INTEGER NOT NULL,
    pages_not_read INTEGER NOT NULL,
    indexed TEXT
)""",
    """CREATE TABLE IF NOT EXISTS run_losses (
    run_id TEXT NOT NULL REFERENCES runs (run_id),
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, what, reason)
)""",
)

# the stats prefixes of a run's losses, by what was lost (as aggregator.extensions.health)
LOSS_PREFIXES = {"story": "aggregator/lost/", "page": "aggregator/lost_pages/"}
RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"  # the state ledger's run ids (aggregator.state.ledger)


@dataclass
class RunFigures:
    """A run's closing figures, as its ``runs`` row and ``run_losses`` rows keep them."""

    run_id: str
    spider: str | None
    started_at: str | None
    finished_at: str | None
    finish_reason: str | None
    verdict: str
    reasons: list[str]
    articles: int
    teasers: int
    indexed: str | None
    losses: dict[tuple[str, str], int] = field(default_factory=dict)  # (what, reason): count

    @property
    def stories_lost(self) -> int:
        return sum(n for (what, _), n in self.losses.items() if what == "story")

    @property
    def pages_not_read(self) -> int:
        return sum(n for (what, _), n in self.losses.items() if what == "page")


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    return None


def figures(
    stats: dict[str, Any],
    *,
    run_id: str | None,
    spider: str | None,
    finish_reason: str | None,
    verdict: str,
    reasons: list[str],
    indexed: str | None,
) -> RunFigures:
    """The figures of a run from its closing ``stats``; ``run_id`` None: the run's start
    time in the ledger's form (``20261207T140212Z``)."""
    started = stats.get("start_time")
    if run_id is None:
        moment = started if isinstance(started, datetime) else datetime.now(UTC)
        run_id = moment.astimezone(UTC).strftime(RUN_ID_FORMAT)
    losses = {
        (what, key.removeprefix(prefix)): int(value)
        for what, prefix in LOSS_PREFIXES.items()
        for key, value in stats.items()
        if key.startswith(prefix) and value
    }
    return RunFigures(
        run_id=run_id,
        spider=spider,
        started_at=_iso(started),
        finished_at=_iso(stats.get("finish_time")),
        finish_reason=finish_reason,
        verdict=verdict,
        reasons=list(reasons),
        articles=int(stats.get("aggregator/published/articles", 0)),
        teasers=int(stats.get("aggregator/published/teasers", 0)),
        indexed=indexed,
        losses=losses,
    )


def write_run(db: sqlite3.Connection, run: RunFigures) -> str:
    """Insert ``run`` (in autocommit mode ``db``, one transaction); its run id, with a
    ``-2``, ``-3``… when two runs started in the same second."""
    db.execute("BEGIN IMMEDIATE")
    try:
        run_id, suffix = run.run_id, 1
        while db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone():
            suffix += 1
            run_id = f"{run.run_id}-{suffix}"
        db.execute(
            "INSERT INTO runs (run_id, spider, started_at, finished_at, finish_reason, verdict, "
            "reasons, articles, teasers, stories_lost, pages_not_read, indexed) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                run.spider,
                run.started_at,
                run.finished_at,
                run.finish_reason,
                run.verdict,
                json.dumps(run.reasons, ensure_ascii=False),
                run.articles,
                run.teasers,
                run.stories_lost,
                run.pages_not_read,
                run.indexed,
            ),
        )
        db.executemany(
            "INSERT INTO run_losses (run_id, what, reason, count) VALUES (?, ?, ?, ?)",
            [(run_id, what, reason, n) for (what, reason), n in sorted(run.losses.items())],
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return run_id


def record_run(url: str, run: RunFigures) -> str | None:
    """Write ``run`` into the index at ``url`` (SQLite; a PostgreSQL index keeps none): None,
    or why it could not be written (one line)."""
    from aggregator.index import IndexUnavailable, open_index
    from aggregator.index.sqlite import SqliteIndex

    if not url.lower().startswith("sqlite:"):
        return None
    try:
        index = open_index(url)
        try:
            assert isinstance(index, SqliteIndex)
            write_run(index.db, run)
        finally:
            index.close()
    except (IndexUnavailable, OSError, sqlite3.Error) as error:
        return f"run history not written: {error}"
    return None
