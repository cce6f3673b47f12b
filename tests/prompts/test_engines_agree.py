"""The two engines that find a text's anchors (``aggregator.prompts.anchors``) give the
matcher the same results: on the wild dump texts and every cut of them, on the benchmark's
article bodies, and on random texts made of the catalog's own examples glued, spaced and
cut in every way the prefilter tells apart. The cut-anywhere property holds on both."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.prompts.anchors import ENGINE_VARIABLE, EngineError, anchor_engine
from aggregator.prompts.catalog import load_catalog, packaged_directory
from aggregator.utils.encoding import repair_mojibake as repair
from benchmarks.texts import bodies
from tests.dumps.test_dumps_wild import (
    _cuts,
    test_cut_anywhere_loses_no_article_line_and_leaves_no_prompt,
)
from tests.support.records import wild_records

pytest.importorskip("hyperscan", reason="the fast engine needs hyperscan (the 'fast' extra)")


def _matcher(engine: str, languages: list[str] | None = None) -> PromptMatcher:
    return PromptMatcher(load_catalog(packaged_directory(), languages), engine)


@pytest.fixture(scope="module")
def both() -> tuple[PromptMatcher, PromptMatcher]:
    return _matcher("python"), _matcher("hyperscan")


def _agree(both: tuple[PromptMatcher, PromptMatcher], text: str) -> None:
    python, fast = both
    lines = text.split("\n")
    assert fast.scan(lines) == python.scan(lines), text
    assert fast.clean(text) == python.clean(text), text


def test_the_engines_are_what_they_say(both: tuple[PromptMatcher, PromptMatcher]) -> None:
    assert [m.engine for m in both] == ["python", "hyperscan"]
    assert PromptMatcher.default().engine in ("python", "hyperscan")


def test_the_same_on_the_wild_texts_and_every_cut_of_them(
    both: tuple[PromptMatcher, PromptMatcher],
) -> None:
    checked = 0
    for record in wild_records():
        text = repair(record["text"])
        _agree(both, text)
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        for _, cut in _cuts(lines, 0):
            _agree(both, cut)
            checked += 1
        # the page reads through the matcher too (title, header, cards)
        pages = [SavedTextPage(record["url"], text, m).article("t") for m in both]
        assert pages[0] == pages[1]
    assert checked > 1000


def test_the_same_on_the_benchmark_bodies(both: tuple[PromptMatcher, PromptMatcher]) -> None:
    texts = bodies(300)
    for text in texts:
        _agree(both, text)
    assert sum(bool(both[0].clean(t).removed) for t in texts) > 100


# Characters the prefilter's classes tell apart: every space but the newline (NBSP, the
# ideographic space, the line separator), digits of other scripts, glue characters, a lone
# surrogate (JSON dumps can hold one), and letters around them.
_SPACES = (" ", "\t", "\u00a0", "\u202f", "\u3000", "\u2028", "\x0b", "\x1c", "\u0085")
_DIGITS = ("7", "٣", "९", "１", "12")
_GLUE = (".", "!", "?", "…", "。", "؟", "।", "”", "’", "'", '"', "»", ")", "]", "¿", "«")
_WORDS = ("the", "This", "THIS", "ya", "Magzter", "MAGZTER", "magzter", "Gold", "é", "\ud800")


def _random_texts(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    catalog = load_catalog(packaged_directory())
    examples = [e for entry in catalog.entries for e in entry.examples]
    assert len(examples) > 50
    for _ in range(count):
        parts: list[str] = []
        for _ in range(rng.randint(1, 12)):
            choice = rng.random()
            if choice < 0.45:
                piece = rng.choice(examples)
                if rng.random() < 0.2:
                    piece = piece[: rng.randint(0, len(piece))]  # cut, as a length cap does
                if rng.random() < 0.2:
                    piece = piece.upper() if rng.random() < 0.5 else piece.lower()
            else:
                piece = rng.choice((*_WORDS, *_DIGITS, "Article text. It goes on"))
            glue = rng.choice(("\n", "\n", "\n\n", "", *_GLUE, *_SPACES))
            spaces = "".join(rng.choice(_SPACES) for _ in range(rng.randint(0, 2)))
            parts.append(glue + spaces + piece)
        yield "".join(parts)


def test_the_same_on_random_texts(both: tuple[PromptMatcher, PromptMatcher]) -> None:
    found = 0
    for text in _random_texts(3000, seed=25):
        _agree(both, text)
        found += any(both[0].scan(text.split("\n")))
    assert found > 1000  # most random texts hold some interface text


def _paragraphs(text: str) -> str:
    return "\n\n".join(filter(None, map(str.strip, text.split("\n"))))


def test_a_text_in_paragraph_form_is_cleaned_as_its_other_spacings(
    both: tuple[PromptMatcher, PromptMatcher],
) -> None:
    """The fast engine cleans a text in paragraph form over its paragraphs
    (``PromptMatcher._clean_paragraphs``): the same result as the line route gives the same
    lines spaced otherwise, and as the Python engine."""
    python, fast = both
    taken = 0
    for text in _random_texts(1500, seed=30):
        text = _paragraphs(text)
        if not text:
            continue
        _agree(both, text)
        # one lone newline, spaces at a line's end, an empty line more: the line route
        lines = text.split("\n\n")
        respaced = "\n".join(lines), " \n\n".join(lines), "\n\n\n".join(lines), f" {text}\n"
        for other in respaced:
            assert fast.clean(other) == fast.clean(text) == python.clean(other), other
        result = fast.clean(text)
        if not result.removed and not result.interface_removed:
            assert result.text is text  # nothing removed: the text itself, no join
            taken += 1
    assert taken > 100


@pytest.mark.parametrize("languages", [["en"], ["ar", "nb"]])
def test_the_same_with_fewer_languages(languages: list[str]) -> None:
    pair = (_matcher("python", languages), _matcher("hyperscan", languages))
    for text in _random_texts(500, seed=len(languages)):
        _agree(pair, text)


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_cut_anywhere_on_both_paths(engine: str) -> None:
    test_cut_anywhere_loses_no_article_line_and_leaves_no_prompt(_matcher(engine))


def test_the_environment_chooses_and_a_wrong_name_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "python")
    assert PromptMatcher(load_catalog(packaged_directory())).engine == "python"
    monkeypatch.setenv(ENGINE_VARIABLE, "hyperscan")
    assert PromptMatcher(load_catalog(packaged_directory())).engine == "hyperscan"
    monkeypatch.setenv(ENGINE_VARIABLE, "re3")
    with pytest.raises(EngineError, match="re3"):
        PromptMatcher(load_catalog(packaged_directory()))


def test_without_hyperscan_the_python_path_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENGINE_VARIABLE, raising=False)
    monkeypatch.setitem(sys.modules, "hyperscan", None)  # import hyperscan fails
    monkeypatch.delitem(sys.modules, "aggregator.prompts.multipattern", raising=False)
    matcher = _matcher("python")
    engine = anchor_engine(matcher._index, matcher._structure.brand_words)
    assert engine.name == "python"
    with pytest.raises(EngineError, match=r"aggregator\[fast\]"):
        anchor_engine(matcher._index, matcher._structure.brand_words, "hyperscan")


# A catalog whose first words begin with glue characters ("»Read" and "Read" both start a
# template): one place can then be the lead of two words, and the first lead in the line
# must win, as the prefilter's one walk of the text decides.
_GLUED_CATALOG = """
[[offer]]
template = "»Read the whole story in the app"

[[offer]]
template = "Read the whole story in the app"

[[continue_app]]
template = "(Continue) in the app"

[[signin]]
template = "Continue reading?"
"""


def test_the_same_when_words_begin_with_glue_characters(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text(_GLUED_CATALOG, encoding="utf-8")
    pair = (
        PromptMatcher.from_directory(str(tmp_path), engine="python"),
        PromptMatcher.from_directory(str(tmp_path), engine="hyperscan"),
    )
    texts = [
        "Article text.»Read the whole story in the app",
        "Article text. »Read the whole story in the app",
        "Article text.\u00a0(Continue) in the app",
        "Intro\n\u3000»Read the whole story in the app\nContinue reading?",
    ]
    rng = random.Random(7)
    pieces = ["»Read the whole story in the app", "Read the whole story", "(Continue) in", "x"]
    for _ in range(300):
        leads = (".", "»", "(", " ", "\n", "")
        texts.append("".join(rng.choice(leads) + rng.choice(pieces) for _ in range(5)))
    for text in texts:
        _agree(pair, text)
    assert pair[0].clean(texts[0]).removed == {"xx": 1}
