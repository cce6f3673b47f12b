"""What a SQLite index holds beside its search tables, for reading it (``scrapy browse``):
the columns ``record`` (the feed record as JSON, without the article body) and
``changed_at`` (when the item was last new or changed) on ``items``, the run history
(``aggregator.index.runs``), and three views over ``items``: ``articles`` and ``teasers``
(one column a record field) and ``archive`` (both types, the searched columns).

``upgrade`` brings an index made before them up to date in one transaction; a view is
made again only when its definition here differs from the file's (a schema change makes
every other connection prepare its statements again). Items indexed before ``record``
existed show their searched columns only, until a feed that changes them is indexed again.
"""

from __future__ import annotations

import sqlite3

from aggregator.index.runs import RUNS_SCHEMA

COLUMNS = {"record": "TEXT", "changed_at": "TEXT"}

_FIELD = "json_extract(i.record, '$.{}')"

VIEWS = {
    "articles": f"""CREATE VIEW articles AS SELECT
    i.rowid AS rowid,
    i.id AS id,
    i.title AS title,
    {_FIELD.format("standfirst")} AS standfirst,
    (SELECT group_concat(value, ', ') FROM json_each(i.record, '$.authors')) AS authors,
    i.publication AS publication,
    i.issue_date AS issue_date,
    substr(i.issue_date, 1, 7) AS issue_month,
    {_FIELD.format("issue_label")} AS issue_label,
    {_FIELD.format("category")} AS category,
    i.language AS language,
    {_FIELD.format("prompt_language")} AS prompt_language,
    {_FIELD.format("is_preview")} AS is_preview,
    {_FIELD.format("word_count")} AS word_count,
    (SELECT count(*) FROM items t WHERE t.type = 'teaser' AND t.story_id = i.id) AS teaser_cards,
    {_FIELD.format("source")} AS source,
    coalesce({_FIELD.format("canonical_url")}, i.url) AS canonical_url,
    {_FIELD.format("url")} AS url,
    {_FIELD.format("crawled_at")} AS crawled_at,
    i.changed_at AS changed_at
FROM items i WHERE i.type = 'article'""",
    "teasers": f"""CREATE VIEW teasers AS SELECT
    i.rowid AS rowid,
    i.id AS id,
    i.title AS title,
    nullif(i.body, '') AS summary,
    i.publication AS publication,
    i.issue_date AS issue_date,
    substr(i.issue_date, 1, 7) AS issue_month,
    {_FIELD.format("read_time_minutes")} AS read_time_minutes,
    {_FIELD.format("position")} AS position,
    {_FIELD.format("source_url")} AS source_url,
    {_FIELD.format("url")} AS url,
    {_FIELD.format("canonical_url")} AS canonical_url,
    i.story_id AS story_id,
    EXISTS (SELECT 1 FROM items a WHERE a.type = 'article' AND a.id = i.story_id) AS crawled,
    i.changed_at AS changed_at
FROM items i WHERE i.type = 'teaser'""",
    "archive": """CREATE VIEW archive AS SELECT
    i.rowid AS rowid,
    i.type AS type,
    i.id AS id,
    i.title AS title,
    i.publication AS publication,
    i.issue_date AS issue_date,
    substr(i.issue_date, 1, 7) AS issue_month,
    i.language AS language,
    i.url AS url,
    i.story_id AS story_id,
    i.changed_at AS changed_at
FROM items i""",
}


def upgrade(db: sqlite3.Connection) -> None:
    """The columns, the run history's tables and the views, where missing or out of date
    (``db`` in autocommit mode, as ``SqliteIndex`` opens it)."""
    # IMMEDIATE: two processes opening an old index at once add each column once
    db.execute("BEGIN IMMEDIATE")
    try:
        have = {row[1] for row in db.execute("PRAGMA table_info(items)")}
        for name, kind in COLUMNS.items():
            if name not in have:
                db.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")
        for statement in RUNS_SCHEMA:
            db.execute(statement)
        defined = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'view'"))
        for name, sql in VIEWS.items():
            if defined.get(name) != sql:
                db.execute(f"DROP VIEW IF EXISTS {name}")
                db.execute(sql)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
