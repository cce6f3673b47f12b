"""The scale-out index: PostgreSQL full-text search through psycopg 3.

- ``aggregator_items``: one row per ``(type, id)``, a content hash, and a ``tsvector`` built
  with the text-search configuration of the item's ``language`` (``CONFIGS``; ``simple``
  where PostgreSQL has none), title at weight A, body at D. Each configuration is copied as
  ``aggregator_<name>`` with the ``unaccent`` dictionary in front of its own, so diacritics
  do not matter in the index, in queries and in ``ts_headline`` alike.
- A GIN index on the ``tsvector``; ``pg_trgm`` (a GIN trigram index on ``search_text``, the
  folded text of items that hold a script without spaces) answers query words of those
  scripts as substrings; their text is also indexed segmented (``aggregator.index.text``),
  so that ``ts_rank_cd`` ranks and ``ts_headline`` marks them.
- Upserts are ``INSERT … ON CONFLICT … DO UPDATE … WHERE the hash differs``, in batches
  sorted by key (two writers lock rows in the same order: no deadlock), so that any number
  of crawler processes can write at once. The schema is made under an advisory lock.
- A query word is searched in every configuration the index holds (``aggregator_configs``):
  ``skrev`` finds Norwegian ``skriver`` and English text alike.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import psycopg

from aggregator.index.postgres_query import PREFIX, match_sql, tsquery_rank
from aggregator.index.protocol import (
    Counts,
    Filters,
    IndexItem,
    IndexUnavailable,
    Result,
    batches,
    filter_conditions,
)
from aggregator.index.query import parse
from aggregator.index.sqlite import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    SNIPPET_TOKENS,
    clean_snippet,
)
from aggregator.index.sqlite import _start as body_start
from aggregator.index.text import fold, segment

BATCH = 1000


ANALYZE_AFTER = 2000  # items written by one upsert


SCHEMA_LOCK = 0x61676772  # pg_advisory_xact_lock key while the schema is made


# BCP 47 primary subtag -> PostgreSQL text-search configuration
CONFIGS = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nb": "norwegian",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


HEADLINE = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_TOKENS}, MinWords=10, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)


TABLES = """
CREATE TABLE IF NOT EXISTS aggregator_items (
    type text NOT NULL,
    id text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    title_seg text,  -- segmented text, only where it differs
    body_seg text,
    url text,
    publication text,
    language text,
    issue_date text,
    story_id text,
    config regconfig NOT NULL,
    hash text NOT NULL,
    search_text text,  -- folded title and body, for items with a script without spaces
    tsv tsvector NOT NULL,
    PRIMARY KEY (type, id)
);
CREATE INDEX IF NOT EXISTS aggregator_items_tsv ON aggregator_items USING gin (tsv);
CREATE INDEX IF NOT EXISTS aggregator_items_trgm ON aggregator_items
    USING gin (search_text gin_trgm_ops) WHERE search_text IS NOT NULL;
CREATE INDEX IF NOT EXISTS aggregator_items_story ON aggregator_items (story_id)
    WHERE story_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS aggregator_configs (config regconfig PRIMARY KEY);
"""


_FIELDS = (
    "type",
    "id",
    "title",
    "body",
    "title_seg",
    "body_seg",
    "url",
    "publication",
    "language",
    "issue_date",
    "story_id",
    "config",
    "hash",
    "search_text",
)


def config_for(language: str | None) -> str:
    """The index's configuration for a BCP 47 language tag."""
    primary = (language or "").split("-")[0].lower()
    return PREFIX + CONFIGS.get(primary, "simple")


def _upsert_sql() -> str:
    values = ", ".join(f"u.{f}::regconfig" if f == "config" else f"u.{f}" for f in _FIELDS)
    tsv = (
        "setweight(to_tsvector(u.config::regconfig, coalesce(u.title_seg, u.title)), 'A') || "
        "setweight(to_tsvector(u.config::regconfig, coalesce(u.body_seg, u.body)), 'D')"
    )
    updates = ", ".join(f"{f} = excluded.{f}" for f in (*_FIELDS[2:], "tsv"))
    return (
        f"INSERT INTO aggregator_items AS t ({', '.join(_FIELDS)}, tsv) "
        f"SELECT {values}, {tsv} "
        f"FROM unnest({', '.join(['%s::text[]'] * len(_FIELDS))}) AS u({', '.join(_FIELDS)}) "
        f"ON CONFLICT (type, id) DO UPDATE SET {updates} WHERE t.hash <> excluded.hash "
        "RETURNING t.type, t.id, (xmax = 0) AS inserted"
    )


UPSERT = _upsert_sql()


class PostgresIndex:
    def __init__(self, url: str) -> None:
        try:
            self.db = psycopg.connect(url, autocommit=True)
        except psycopg.OperationalError as error:
            reason = " ".join(str(error).split())
            raise IndexUnavailable(f"cannot connect to {safe_url(url)}: {reason}") from error
        try:
            self._schema()
        except psycopg.Error as error:
            self.db.close()
            reason = " ".join(str(error).split())
            where = safe_url(url)
            raise IndexUnavailable(f"cannot set up the index in {where}: {reason}") from error

    def _schema(self) -> None:
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            self.db.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            self.db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            have = {row[0] for row in self.db.execute("SELECT cfgname::text FROM pg_ts_config")}
            for name in sorted({"simple", *CONFIGS.values()} & have):
                if PREFIX + name in have:
                    continue
                dictionaries = self.db.execute(
                    "SELECT d.dictname::text FROM pg_ts_config_map m "
                    "JOIN pg_ts_dict d ON d.oid = m.mapdict "
                    "JOIN pg_ts_config c ON c.oid = m.mapcfg "
                    "WHERE c.cfgname = %s AND m.maptokentype = "
                    "(SELECT tokid FROM ts_token_type('default') WHERE alias = 'word') "
                    "ORDER BY m.mapseqno",
                    (name,),
                ).fetchall()
                chain = ", ".join(["unaccent", *(row[0] for row in dictionaries)])
                self.db.execute(f"CREATE TEXT SEARCH CONFIGURATION {PREFIX}{name} (COPY = {name})")
                self.db.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {PREFIX}{name} "
                    f"ALTER MAPPING FOR hword_part, word WITH {chain}"
                )
                # a hyphenated word ("long-haul") is indexed as its parts only, as SQLite
                # does: the whole takes a position of its own and breaks phrases across it
                self.db.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {PREFIX}{name} "
                    "DROP MAPPING FOR asciihword, hword"
                )
            self.db.execute(TABLES)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db.transaction():
            yield

    def upsert(self, items: Iterable[IndexItem]) -> Counts:
        counts = Counts()
        with self.db.transaction():
            for batch in batches(items, BATCH):
                self._upsert(sorted(batch, key=lambda item: (item.type, item.id)), counts)
            if counts.by_change["new"] + counts.by_change["updated"] >= ANALYZE_AFTER:
                # the GIN indexes' pending lists merged and fresh statistics: else the
                # planner reads a big new index by sequential scan until autovacuum comes by
                for name in ("aggregator_items_tsv", "aggregator_items_trgm"):
                    self.db.execute("SELECT gin_clean_pending_list(%s::regclass)", (name,))
                self.db.execute("ANALYZE aggregator_items")
        return counts

    def _upsert(self, batch: list[IndexItem], counts: Counts) -> None:
        known = {
            (row[0], row[1]): row[2]
            for row in self.db.execute(
                "SELECT type, id, hash FROM aggregator_items "
                "WHERE (type, id) IN (SELECT * FROM unnest(%s::text[], %s::text[]))",
                ([item.type for item in batch], [item.id for item in batch]),
            )
        }
        send = []
        for item in batch:
            if known.get((item.type, item.id)) == item.hash:
                counts.add(item.type, "unchanged")
            else:
                send.append(item)
        if not send:
            return
        columns = list(zip(*(_row(item) for item in send), strict=True))
        written = {
            (row[0], row[1]): row[2]
            for row in self.db.execute(UPSERT, [list(column) for column in columns])
        }
        for item in send:
            inserted = written.get((item.type, item.id))
            # None: another writer stored the same content meanwhile
            change = "unchanged" if inserted is None else "new" if inserted else "updated"
            counts.add(item.type, change)
        self.db.execute(
            "INSERT INTO aggregator_configs SELECT DISTINCT unnest(%s::regconfig[]) "
            "ON CONFLICT DO NOTHING",
            (sorted({config_for(item.language) for item in send}),),
        )

    def search(self, query: str, filters: Filters) -> list[Result]:
        parsed = parse(query)
        configs = self._configs(filters)
        where, parameters = match_sql(parsed, configs)
        rank_sql, rank_parameters = tsquery_rank(parsed, configs)
        conditions, values = filter_conditions(filters, "%s")
        where += conditions
        parameters += values
        # rank on the keys alone; read the rows and make the headlines of the top ones only
        sql = (
            f"WITH q AS (SELECT {rank_sql} AS q), "
            "top AS (SELECT i.type, i.id, ts_rank_cd(i.tsv, q.q) AS score "
            f"FROM aggregator_items i, q WHERE {' AND '.join(where)} "
            "ORDER BY score DESC, i.id LIMIT %s) "
            "SELECT i.id, i.type, i.title, i.url, i.publication, i.issue_date, i.language, "
            f"i.story_id, top.score, ts_headline(i.config, coalesce(i.body_seg, i.body), q.q, "
            f"'{HEADLINE}') "
            "FROM top JOIN aggregator_items i USING (type, id), q "
            "ORDER BY top.score DESC, top.id"
        )
        rows = self.db.execute(sql, [*rank_parameters, *parameters, filters.limit]).fetchall()
        results = [Result.from_row(row, clean_snippet(row[9])) for row in rows]
        self._links(results)
        return results

    def _configs(self, filters: Filters) -> list[str]:
        if filters.language:
            return sorted({PREFIX + "simple", config_for(filters.language)})
        configs = [str(row[0]) for row in self.db.execute("SELECT config FROM aggregator_configs")]
        return sorted({PREFIX + "simple", *configs})

    def articles(self, ids: list[str]) -> list[Result]:
        """The articles of ``ids`` that the index holds, as results, their cards counted."""
        rows = self.db.execute(
            "SELECT id, type, title, url, publication, issue_date, language, story_id, 0.0, "
            "body FROM aggregator_items WHERE type = 'article' AND id = ANY(%s)",
            (ids,),
        ).fetchall()
        results = [Result.from_row(row, body_start(row[9])) for row in rows]
        self._links(results)
        return results

    def _links(self, results: list[Result]) -> None:
        articles = [r.id for r in results if r.type == "article"]
        stories = [r.story_id for r in results if r.type == "teaser" and r.story_id]
        cards: dict[str, int] = dict(
            self.db.execute(
                "SELECT story_id, count(*) FROM aggregator_items "
                "WHERE type = 'teaser' AND story_id = ANY(%s) GROUP BY story_id",
                (articles,),
            ).fetchall()
        )
        crawled = {
            row[0]
            for row in self.db.execute(
                "SELECT id FROM aggregator_items WHERE type = 'article' AND id = ANY(%s)",
                (stories,),
            )
        }
        for result in results:
            if result.type == "article":
                result.teasers = int(cards.get(result.id, 0))
            else:
                result.premium = result.story_id not in crawled

    def count(self) -> int:
        row = self.db.execute("SELECT count(*) FROM aggregator_items").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.db.close()


def safe_url(url: str) -> str:
    """``url`` without its password."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{scheme}://{credentials}{at}{host}"


def _row(item: IndexItem) -> tuple[Any, ...]:
    title_seg, body_seg = segment(item.title), segment(item.body)
    search_text = None
    if title_seg is not None or body_seg is not None:
        search_text = fold(f"{item.title}\n{item.body}")
    return (
        item.type,
        item.id,
        item.title,
        item.body,
        title_seg,
        body_seg,
        item.url,
        item.publication,
        item.language,
        item.issue_date,
        item.story_id,
        config_for(item.language),
        item.hash,
        search_text,
    )
