"""The default index: one SQLite file, FTS5 from Python's standard library.

``items`` holds the records (keyed by ``(type, id)``, a content hash each); ``items_fts`` is
an external-content FTS5 table over the view ``items_text`` (keyed by the item's rowid), kept
in step (a batch's new items in one statement, changed and deleted ones by triggers), so
the text is stored once. Ranking is ``bm25()`` with the title
weighted ``TITLE_WEIGHT`` times the body; snippets come from ``snippet()`` over the body.
The tokenizer is ``unicode61`` (case folded, ``remove_diacritics 2``, combining marks kept
inside words so that Devanagari and Arabic words stay whole) over the text of
``aggregator.index.text.segment`` for scripts without spaces; a third column holds the words
with a letter that ``remove_diacritics`` keeps (``Tromsø``) folded (``tromso``).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aggregator.index.protocol import (
    Counts,
    Filters,
    IndexItem,
    IndexUnavailable,
    Result,
    batches,
    filter_conditions,
)
from aggregator.index.query import Query, Term, parse
from aggregator.index.text import (
    has_no_space_script,
    segment,
    segmented,
    stroke_words,
    unsegment,
)
from aggregator.index.views import upgrade

TITLE_WEIGHT = 10.0
BATCH = 500
MARK_START, MARK_END, ELLIPSIS = "**", "**", "…"
SNIPPET_TOKENS = 24

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    rowid INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    title_seg TEXT,  -- segmented text, only where it differs
    body_seg TEXT,
    folded TEXT,  -- the words with a stroke letter, folded (text.stroke_words)
    url TEXT,
    publication TEXT,
    language TEXT,
    issue_date TEXT,
    story_id TEXT,
    hash TEXT NOT NULL,
    UNIQUE (type, id)
);
CREATE INDEX IF NOT EXISTS items_story ON items (story_id) WHERE story_id IS NOT NULL;
CREATE VIEW IF NOT EXISTS items_text AS
    SELECT rowid AS rid, coalesce(title_seg, title) AS title, coalesce(body_seg, body) AS body,
        folded
    FROM items;
CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
    title, body, folded, content='items_text', content_rowid='rid',
    tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);
-- new items reach items_fts in one INSERT … SELECT a batch (SqliteIndex._upsert): 1.6 times
-- faster than a trigger a row
DROP TRIGGER IF EXISTS items_ai;
CREATE TRIGGER IF NOT EXISTS items_ad AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, body, folded) VALUES ('delete', old.rowid,
        coalesce(old.title_seg, old.title), coalesce(old.body_seg, old.body), old.folded);
END;
CREATE TRIGGER IF NOT EXISTS items_au AFTER UPDATE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, body, folded) VALUES ('delete', old.rowid,
        coalesce(old.title_seg, old.title), coalesce(old.body_seg, old.body), old.folded);
    INSERT INTO items_fts (rowid, title, body, folded) VALUES (new.rowid,
        coalesce(new.title_seg, new.title), coalesce(new.body_seg, new.body), new.folded);
END;
"""

_COLUMNS = (
    "type, id, title, body, title_seg, body_seg, folded, url, publication, language, "
    "issue_date, story_id, hash, record, changed_at"
)


def check_fts5() -> None:
    """Raise ``IndexUnavailable`` when this Python's SQLite has no FTS5 compiled in."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError as error:
        raise IndexUnavailable(
            f"this Python's SQLite {sqlite3.sqlite_version} has no FTS5 ({error}): use a "
            "Python built with FTS5 (python.org and Debian builds have it) or a "
            "postgresql:// index"
        ) from error
    finally:
        probe.close()


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        check_fts5()
        path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode: transactions are opened explicitly (``transaction``)
        self.db = sqlite3.connect(path, isolation_level=None, timeout=60.0)
        self._wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA cache_size = -65536")  # 64 MB: FTS5 merges in memory
        self.path = path
        self._depth = 0
        # one transaction: two processes opening a new index at once make it once
        self.db.executescript(f"BEGIN IMMEDIATE; {SCHEMA} COMMIT;")
        upgrade(self.db)  # what scrapy browse reads: aggregator/index/views.py

    def _wal(self) -> None:
        """WAL mode, once per file. Switching to it takes the whole file, and SQLite answers
        "database is locked" at once, without its busy timeout, to a second process
        switching at the same moment (two crawls opening a new index): ask again."""
        deadline = time.monotonic() + 60.0
        while True:
            try:
                self.db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:  # nested: part of the outer one
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        # IMMEDIATE: take the write lock now, so two writers queue instead of failing later
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    def upsert(self, items: Iterable[IndexItem]) -> Counts:
        counts = Counts()
        with self.transaction():
            for batch in batches(items, BATCH):
                self._upsert(batch, counts)
        return counts

    def _upsert(self, batch: list[IndexItem], counts: Counts) -> None:
        known: dict[tuple[str, str], str] = {}
        for item_type in {item.type for item in batch}:
            ids = [item.id for item in batch if item.type == item_type]
            marks = ",".join("?" * len(ids))
            for item_id, digest in self.db.execute(
                f"SELECT id, hash FROM items WHERE type = ? AND id IN ({marks})",
                (item_type, *ids),
            ):
                known[(item_type, item_id)] = digest
        new, changed = [], []
        now = datetime.now(UTC).isoformat(timespec="seconds")  # changed_at: views.py
        for item in batch:
            digest = known.get((item.type, item.id))
            change = "new" if digest is None else "unchanged" if digest == item.hash else "updated"
            counts.add(item.type, change)
            if change == "new":
                new.append(_row(item, now))
            elif change == "updated":
                changed.append(_row(item, now))
        last = self.db.execute("SELECT coalesce(max(rowid), 0) FROM items").fetchone()[0]
        self.db.executemany(f"INSERT INTO items ({_COLUMNS}) VALUES ({','.join('?' * 15)})", new)
        self.db.execute(
            "INSERT INTO items_fts (rowid, title, body, folded) SELECT rowid, "
            "coalesce(title_seg, title), coalesce(body_seg, body), folded FROM items "
            "WHERE rowid > ?",
            (last,),
        )
        self.db.executemany(
            "UPDATE items SET title = ?3, body = ?4, title_seg = ?5, body_seg = ?6, folded = ?7, "
            "url = ?8, publication = ?9, language = ?10, issue_date = ?11, story_id = ?12, "
            "hash = ?13, record = ?14, changed_at = ?15 "
            "WHERE type = ?1 AND id = ?2",
            changed,
        )

    def search(self, query: str, filters: Filters) -> list[Result]:
        match = render(parse(query))
        where, parameters = ["items_fts MATCH ?"], [match]
        conditions, values = filter_conditions(filters, "?")
        where += conditions
        parameters += values
        rank = f"bm25(items_fts, {TITLE_WEIGHT}, 1.0, 1.0)"
        # SQLite computes every selected column of every match before it sorts: rank on the
        # rowids alone, then read the top rows and make their snippets
        sql = (
            "SELECT i.id, i.type, i.title, i.url, i.publication, i.issue_date, i.language, "
            "i.story_id, -top.rank, i.rowid, i.body "
            f"FROM (SELECT items_fts.rowid AS rid, {rank} AS rank FROM items_fts "
            # the items only where a filter needs them: a join a match costs twice the rank
            f"{'JOIN items i ON i.rowid = items_fts.rowid ' * bool(conditions)}"
            f"WHERE {' AND '.join(where)} "
            "ORDER BY rank LIMIT ?) top JOIN items i ON i.rowid = top.rid ORDER BY top.rank"
        )
        rows = self.db.execute(sql, [*parameters, filters.limit]).fetchall()
        snippets = {
            rowid: self.db.execute(
                f"SELECT snippet(items_fts, 1, ?, ?, ?, {SNIPPET_TOKENS}) FROM items_fts "
                "WHERE items_fts MATCH ? AND rowid = ?",
                (MARK_START, MARK_END, ELLIPSIS, match, rowid),
            ).fetchone()[0]
            for rowid in (row[9] for row in rows)
        }
        results = [
            Result.from_row(
                row, clean_snippet(snippets[row[9]]) if snippets[row[9]] else _start(row[10])
            )
            for row in rows
        ]
        self._links(results)
        return results

    def articles(self, ids: list[str]) -> list[Result]:
        """The articles of ``ids`` that the index holds, as results, their cards counted."""
        rows = self.db.execute(
            "SELECT id, type, title, url, publication, issue_date, language, story_id, 0.0, "
            f"rowid, body FROM items WHERE type = 'article' AND id IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall()
        results = [Result.from_row(row, _start(row[10])) for row in rows]
        self._links(results)
        return results

    def _links(self, results: list[Result]) -> None:
        """Each article's teaser count; whether each teaser's story is in the index."""
        articles = [r.id for r in results if r.type == "article"]
        stories = [r.story_id for r in results if r.type == "teaser" and r.story_id]
        cards = dict(
            self.db.execute(
                f"SELECT story_id, count(*) FROM items WHERE type = 'teaser' AND story_id IN "
                f"({','.join('?' * len(articles))}) GROUP BY story_id",
                articles,
            ).fetchall()
        )
        crawled = {
            row[0]
            for row in self.db.execute(
                f"SELECT id FROM items WHERE type = 'article' AND id IN "
                f"({','.join('?' * len(stories))})",
                stories,
            )
        }
        for result in results:
            if result.type == "article":
                result.teasers = int(cards.get(result.id, 0))
            else:
                result.premium = result.story_id not in crawled

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def _row(item: IndexItem, changed_at: str) -> tuple[Any, ...]:
    return (
        item.type,
        item.id,
        item.title,
        item.body,
        segment(item.title),
        segment(item.body),
        stroke_words(f"{item.title} {item.body}"),
        item.url,
        item.publication,
        item.language,
        item.issue_date,
        item.story_id,
        item.hash,
        item.record,
        changed_at,
    )


def clean_snippet(snippet: str) -> str:
    """A snippet as it is shown: the segmentation marks out, the characters of one marked
    word of a script without spaces in one mark (``**記事**``, not ``**記****事**``)."""
    return unsegment(snippet).replace(MARK_END + MARK_START, "")


def _start(body: str) -> str:
    words = body.split()
    return " ".join(words[:SNIPPET_TOKENS]) + (ELLIPSIS if len(words) > SNIPPET_TOKENS else "")


def _quoted(text: str) -> str:
    """An FTS5 string: the tokenizer splits it into words, matched as a phrase."""
    return '"' + segmented(text).replace('"', '""') + '"'


def _term(term: Term) -> str:
    # a prefix of a script without spaces is a substring already
    if term.kind == "prefix" and not has_no_space_script(term.text):
        return f"{_quoted(term.text)} *"
    return _quoted(term.text)


def render(query: Query) -> str:
    """The FTS5 MATCH expression of ``query``: its terms ANDed, the excluded ones NOTed."""
    expression = " AND ".join(_term(term) for term in query.included)
    for term in query.excluded:
        expression = f"({expression}) NOT {_term(term)}"
    return expression
