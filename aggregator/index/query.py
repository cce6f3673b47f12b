"""The query language, parsed once for every engine.

``words`` (all must match), ``"a phrase"``, ``-excluded`` (a word or a ``-"phrase"``) and
``prefix*``. Terms are case- and accent-blind on both engines. A word that holds no letter or
digit (``—``, ``&``) is no term. A query needs at least one term that is not excluded.
Each engine renders the ``Query`` in its own syntax (``aggregator.index.sqlite``,
``aggregator.index.postgres``); nothing of the user's text reaches SQL but as a parameter or
a quoted FTS5 string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import regex

Kind = Literal["word", "phrase", "prefix"]

_TOKEN = regex.compile(r'(-?)"([^"]*)("?)|(\S+)')
_WORDY = regex.compile(r"[\p{L}\p{N}]")


class QueryError(ValueError):
    """A query that cannot be searched, and why."""


@dataclass(frozen=True)
class Term:
    text: str
    kind: Kind = "word"
    excluded: bool = False

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def included(self) -> list[Term]:
        return [term for term in self.terms if not term.excluded]

    @property
    def excluded(self) -> list[Term]:
        return [term for term in self.terms if term.excluded]


def parse(text: str) -> Query:
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        minus, phrase, closed, bare = match.groups()
        if bare is None:
            if not closed:
                raise QueryError(f"unclosed quote in {text!r}")
            words = " ".join(phrase.split())
            if _WORDY.search(words):
                kind: Kind = "phrase" if len(words.split()) > 1 else "word"
                terms.append(Term(words, kind, bool(minus)))
            continue
        excluded = bare.startswith("-") and len(bare) > 1
        word = bare[1:] if excluded else bare
        kind = "word"
        if word.endswith("*"):
            word, kind = word.rstrip("*"), "prefix"
        if _WORDY.search(word):
            terms.append(Term(word, kind, excluded))
    query = Query(tuple(terms))
    if not query.terms:
        raise QueryError(f"nothing to search for in {text!r}")
    if not query.included:
        raise QueryError(f"{text!r} only excludes: give at least one word to find")
    return query
