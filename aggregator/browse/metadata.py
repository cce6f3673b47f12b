"""The Datasette metadata of an index: the words from metadata.toml, the column
descriptions from the record field docs (aggregator/items.py), and the structure here:
which views search which full-text table, their facets and order, the canned queries."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from aggregator.browse.fields import field_docs
from aggregator.browse.queries import QUERIES

# views over the items (aggregator/index/views.py): all search the one FTS5 table through
# their ``rowid`` column; ``searchmode`` stays "escaped": the plugin's ``escape_fts`` is
# the project's query language (aggregator/browse/plugin.py), so the box searches as
# ``scrapy search`` does
FTS = {"fts_table": "items_fts", "fts_pk": "rowid"}

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        **FTS,
        "record": "Article",
        "facets": ["publication", "issue_month", "language", "prompt_language", "is_preview"],
        "sort_desc": "issue_date",
        "label_column": "title",
    },
    "teasers": {
        **FTS,
        "record": "Teaser",
        "facets": ["publication", "issue_month", "crawled"],
        "sort_desc": "issue_date",
        "label_column": "title",
    },
    "archive": {
        **FTS,
        "record": "Teaser Article",
        "facets": ["type", "publication", "issue_month", "language"],
        "sort_desc": "issue_date",
    },
    "runs": {"facets": ["verdict", "spider"], "sort_desc": "started_at"},
    "run_losses": {"facets": ["what", "reason"]},
    # the index's own table: title_seg, body_seg and folded are search machinery; the views
    # show its records
    "items": {"hidden": True},
}

# the Datasette settings of the browser: a long body cut in a table cell (the article page
# shows it whole)
SETTINGS = {"truncate_cells_html": 240, "default_facet_size": 12}


@functools.cache
def words() -> dict[str, Any]:
    """aggregator/browse/metadata.toml, read once."""
    text = resources.files("aggregator.browse").joinpath("metadata.toml").read_text("utf-8")
    return tomllib.loads(text)


def build(database: str, columns: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The metadata of a Datasette serving the index as ``database``; ``columns``: each
    table's columns, the ones described (Datasette lists every described column)."""
    text = words()
    docs = field_docs()
    tables: dict[str, Any] = {}
    for name, config in TABLES.items():
        table = {key: value for key, value in config.items() if key != "record"}
        words_of_table = dict(text["tables"].get(name, {}))
        own = words_of_table.pop("columns", {})  # where a view's column is not the field
        table.update(words_of_table)
        fields = {}
        for record in str(config.get("record", "")).split():  # the later record's doc wins
            fields.update(docs.get(record, {}))
        described = {**text["columns"], **fields, **own}
        if columns is not None:
            described = {c: described[c] for c in columns.get(name, []) if c in described}
        table["columns"] = described
        tables[name] = table
    queries = {name: {"sql": sql, **text["queries"].get(name, {})} for name, sql in QUERIES.items()}
    return {
        "title": text["title"],
        "description": text["description"],
        "databases": {
            database: {
                "description": text["database"]["description"],
                "tables": tables,
                "queries": queries,
            }
        },
    }
