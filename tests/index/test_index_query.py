"""The query language's one parser, the text normalisation both engines share, and the
index URLs."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from aggregator.index import IndexUnavailable, open_index, url_problem
from aggregator.index.query import QueryError, Term, parse
from aggregator.index.sqlite import clean_snippet, render
from aggregator.index.text import fold, segment, stroke_words, unsegment


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("harbour lights", [Term("harbour"), Term("lights")]),
        ('"the old harbour" ferry', [Term("the old harbour", "phrase"), Term("ferry")]),
        ("fish* -market", [Term("fish", "prefix"), Term("market", excluded=True)]),
        ('a -"fire brigade"', [Term("a"), Term("fire brigade", "phrase", excluded=True)]),
        ('"  single  "', [Term("single")]),
        ("café — & x-ray", [Term("café"), Term("x-ray")]),
        ("記事 -広告", [Term("記事"), Term("広告", excluded=True)]),
    ],
)
def test_parse(text: str, terms: list[Term]) -> None:
    assert list(parse(text).terms) == terms


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "nothing to search"),
        ("— *", "nothing to search"),
        ("-a -b", "only excludes"),
        ('"open', "unclosed quote"),
    ],
)
def test_what_cannot_be_searched(text: str, why: str) -> None:
    with pytest.raises(QueryError, match=why):
        parse(text)


def test_fts5_rendering_quotes_every_term() -> None:
    assert render(parse('harbour "old town" fi* -x"y')) == (
        '("harbour" AND "old town" AND "fi" *) NOT "x""y"'
    )
    assert render(parse("NOT OR AND")) == '"NOT" AND "OR" AND "AND"'


def test_segmentation_marks_scripts_without_spaces_only() -> None:
    assert segment("Plain Latin, Devanagari हिन्दी and Arabic العربية") is None
    marked = segment("この記事は Tokyo")
    assert marked is not None and unsegment(marked) == "この記事は Tokyo"
    assert marked.split("\u200b") == ["", "こ", "", "の", "", "記", "", "事", "", "は", " Tokyo"]
    thai = segment("ภาษาไทย")
    assert thai is not None and unsegment(thai) == "ภาษาไทย"


def test_folding() -> None:
    assert fold("Café MALMÖ Tromsø Łódź") == "cafe malmo tromso lodz"
    assert fold("हिन्दी") == "हिन्दी"  # the marks of Devanagari stay: they are its letters
    assert stroke_words("Bøkene i Tromsø og Oslo") == "Bokene Tromso"
    assert stroke_words("Oslo") is None


def test_stroke_words_are_the_words_folding_changes() -> None:
    """What it returns is every whitespace-separated word that folding its stroke letters
    changes, folded, in order: checked on random texts of letters and Unicode spaces."""
    strokes = {"ø": "o", "Ø": "O", "đ": "d", "Ł": "L", "ħ": "h", "Ŧ": "T"}
    alphabet = [*"ab oØ\u00a0\t\n\x1c\u2028\u3000", *strokes]
    rng = random.Random(7)
    for _ in range(5_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        folded = "".join(strokes.get(c, c) for c in text)
        changed = [new for old, new in zip(text.split(), folded.split(), strict=True) if old != new]
        assert stroke_words(text) == (" ".join(changed) if folded != text else None), text


def test_snippets_lose_the_marks() -> None:
    assert clean_snippet("こ\u200bの**\u200b記\u200b****\u200b事\u200b**") == "この**記事**"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mysql://db", "'mysql://db' is no index URL"),
        ("index.sqlite", "'index.sqlite' is no index URL"),
        ("sqlite://", "names no file"),
    ],
)
def test_urls_that_name_no_index(url: str, problem: str) -> None:
    with pytest.raises(IndexUnavailable, match=problem):
        open_index(url)


def test_sqlite_urls_relative_and_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    open_index("sqlite:///relative/index.sqlite").close()
    assert (tmp_path / "relative" / "index.sqlite").is_file()
    open_index(f"sqlite:///{tmp_path}/absolute.sqlite").close()
    assert (tmp_path / "absolute.sqlite").is_file()
    assert url_problem("postgresql://u@h:5432/db") is None


def test_a_postgres_server_that_is_not_there_is_one_line() -> None:
    with pytest.raises(IndexUnavailable, match="cannot connect to postgresql://u:\\*\\*\\*@127"):
        open_index("postgresql://u:secret@127.0.0.1:9/db?connect_timeout=2")


def test_a_python_without_fts5_is_told_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    real_connect = sqlite3.connect

    class NoFts5:
        def __init__(self) -> None:
            self.db = real_connect(":memory:")

        def execute(self, sql: str) -> sqlite3.Cursor:
            if "fts5" in sql:
                raise sqlite3.OperationalError("no such module: fts5")
            return self.db.execute(sql)

        def close(self) -> None:
            self.db.close()

    monkeypatch.setattr("aggregator.index.sqlite.sqlite3.connect", lambda *a, **k: NoFts5())
    with pytest.raises(IndexUnavailable, match="has no FTS5 \\(no such module: fts5\\)"):
        open_index(f"sqlite:///{tmp_path / 'index.sqlite'}")
    assert not (tmp_path / "index.sqlite").exists()
