"""The query language (``aggregator.index.query``) as PostgreSQL full-text search: each term a
``tsquery`` in every configuration the index holds, or a trigram ``LIKE`` for a script without
spaces; the rank of a match."""

from __future__ import annotations

from typing import Any

from aggregator.index.query import Query, Term
from aggregator.index.text import fold, has_no_space_script, segmented

# the prefix of the index's tables and text-search configurations
PREFIX = "aggregator_"


def prefix_lexeme(text: str) -> str:
    """A ``to_tsquery`` operand: ``text`` quoted, as a prefix."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "':*"


def tsquery_sql(term: Term, configs: list[str]) -> tuple[str, list[Any]]:
    """The tsquery SQL of a term: its form in every configuration, ORed."""
    if has_no_space_script(term.text):
        return f"phraseto_tsquery('{PREFIX}simple', %s)", [segmented(term.text)]
    function, operand = {
        "word": ("plainto_tsquery", term.text),
        "phrase": ("phraseto_tsquery", term.text),
        "prefix": ("to_tsquery", prefix_lexeme(term.text)),
    }[term.kind]
    parts = [f"{function}(%s::regconfig, %s)"] * len(configs)
    return "(" + " || ".join(parts) + ")", [v for config in configs for v in (config, operand)]


def like_sql(term: Term) -> tuple[str, list[Any]]:
    escaped = fold(term.text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "i.search_text LIKE %s", [f"%{escaped}%"]


def match_sql(query: Query, configs: list[str]) -> tuple[list[str], list[Any]]:
    """The WHERE conditions of ``query``: one tsquery for the words (GIN), a LIKE (pg_trgm)
    for each word of a script without spaces."""
    where: list[str] = []
    parameters: list[Any] = []
    words: list[str] = []
    word_parameters: list[Any] = []
    for term in query.terms:
        if has_no_space_script(term.text):
            sql, values = like_sql(term)
            # items without such a script have no search_text: NULL, not a match
            where.append(f"NOT coalesce({sql}, false)" if term.excluded else sql)
            parameters += values
        else:
            sql, values = tsquery_sql(term, configs)
            words.append(f"!!{sql}" if term.excluded else sql)
            word_parameters += values
    if words:  # first, as its parameters are
        if all(word.startswith("!!") for word in words):  # only excluded words here
            where.insert(0, f"NOT (i.tsv @@ ({' || '.join(w[2:] for w in words)}))")
        else:
            where.insert(0, f"i.tsv @@ ({' && '.join(words)})")
        parameters = word_parameters + parameters
    return where, parameters


def tsquery_rank(query: Query, configs: list[str]) -> tuple[str, list[Any]]:
    parts, parameters = [], []
    for term in query.included:
        sql, values = tsquery_sql(term, configs)
        parts.append(sql)
        parameters += values
    return "(" + " || ".join(parts) + ")", parameters
