"""The browser's Datasette plugin (registered by ``scrapy browse``): the project's query
language in SQL, links from rows to their article page, the stylesheet, and the two pages
of aggregator/browse/pages.py.

SQL functions on every connection: ``aggregator_match(q)``, the FTS5 expression of a
``scrapy search`` query (segmented text, phrases, exclusions, prefixes), and
``aggregator_clean(snippet)``, a snippet as ``scrapy search`` shows it. ``escape_fts``, the
function Datasette's search box wraps the query in, is ``aggregator_match`` too (registered
after Datasette's own, ``trylast``): the box on the articles, teasers and archive pages
takes the same queries as ``scrapy search`` and finds the same items.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pluggy
from markupsafe import Markup, escape

from aggregator.browse import pages
from aggregator.browse.metadata import words
from aggregator.index.query import QueryError, parse
from aggregator.index.sqlite import clean_snippet, render

STATIC_MOUNT = "-/browse"  # where static/ is served (scrapy browse mounts it)
# what an unreadable query matches: nothing (the empty phrase); Datasette would show only
# "user-defined function raised exception" for a raised QueryError
NO_MATCH = '""'
# datasette.hookimpl itself, typed (Datasette has no type information)
hookimpl = pluggy.HookimplMarker("datasette")


def match(query: str | None) -> str:
    """The FTS5 expression of a ``scrapy search`` query."""
    try:
        return render(parse(query or ""))
    except QueryError:
        return NO_MATCH


def clean(snippet: str | None) -> str | None:
    return clean_snippet(snippet) if snippet is not None else None


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("aggregator_match", 1, match, deterministic=True)
    conn.create_function("escape_fts", 1, match, deterministic=True)
    conn.create_function("aggregator_clean", 1, clean, deterministic=True)


def _link(datasette: Any, item_id: str, text: Any) -> Markup:
    href = datasette.urls.path(f"/-/article/{item_id}")
    return Markup('<a href="{}">{}</a>').format(href, escape(str(text)))


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Any:
    """An article's title links to its page; a teaser's title and story id link to its
    story's page when the story was crawled."""
    keys = set(row.keys())
    if value is None or column not in ("title", "story_id") or "id" not in keys:
        return None
    if table == "articles" or ("type" in keys and row["type"] == "article"):
        return _link(datasette, row["id"], value) if column == "title" else None
    if table == "teasers" and row["crawled"] and row["story_id"]:
        return _link(datasette, row["story_id"], value)
    return None


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path(f"/{STATIC_MOUNT}/browse.css")]


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    return {"browse": words(), "browse_database": datasette.get_database().name}


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/article/(?P<id>[^/]+)$", pages.article),
        (r"^/-/runs$", pages.runs),
    ]
