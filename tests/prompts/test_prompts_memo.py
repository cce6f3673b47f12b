"""What makes stripping fast must not change what it strips: the per-line memos (equal
results with and without them, bounded, emptied by ``clear_caches``), the lookaheads of the
structural date and count searches, and the newline-counting line index."""

from __future__ import annotations

import importlib
import random
import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

import pytest

from aggregator.prompts import CleanResult, PromptMatcher, shapes
from aggregator.prompts import fallback as structure
from aggregator.prompts.catalog import packaged_directory
from aggregator.prompts.compiler import PLACEHOLDER
from aggregator.prompts.lines import LINE_CACHE_SIZE, LineIndex, matched
from aggregator.prompts.results import LineMatch
from aggregator.site.dates import LABEL
from benchmarks import strip
from benchmarks.texts import bodies
from tests.prompts.test_prompts_fallback import BODY, EN_OFFER, EN_SIGNIN, UNKNOWN

# The standard library's pattern parser (no type stubs), to check the date lookahead.
sre_parse: Any = importlib.import_module("re._parser")

# Generated story bodies in every locale (the stripping benchmark's), and prompt blocks in
# languages with no catalog file, once and twice, so that the structural rules run.
TEXTS = [
    *bodies(240, seed=7),
    *("\n\n".join([*BODY, *block]) for block in UNKNOWN.values()),
    *("\n".join([*BODY, *block, *block]) for block in UNKNOWN.values()),
    "\n\n".join([*BODY, UNKNOWN["nl"][0], EN_OFFER, EN_SIGNIN]),
]


def unmemoized(languages: list[str] | None) -> PromptMatcher:
    """A new matcher whose per-line memos are the plain functions."""
    matcher = PromptMatcher.from_directory(packaged_directory(), languages)
    matcher._match_line_cached = matcher._match_line  # type: ignore[assignment]
    matcher._line_stage = matcher._line_catalog  # type: ignore[assignment]
    structure = matcher._structure
    brand = structure._brand_re
    structure._edition_shape = lambda line: shapes.edition_line_shape(line, brand)  # type: ignore[assignment]
    structure._signin_text = lambda line: shapes.signin_text_shape(line, brand)  # type: ignore[assignment]
    return matcher


def memos(matcher: PromptMatcher) -> dict[str, Any]:
    shapes = matcher._structure
    # a line's catalog match: per flagged line on an engine that flags lines, else per line
    # and places
    lines = matcher._line_stage if matcher.engine == "hyperscan" else matcher._match_line_cached
    return {
        "lines": lines.cache_info(),
        "edition": shapes._edition_shape.cache_info(),
        "signin": shapes._signin_text.cache_info(),
    }


def outcome(result: CleanResult) -> tuple[Any, ...]:
    return (
        result.text,
        result.language,
        result.removed,
        result.interface_removed,
        result.facts,
        result.fallback_lines,
    )


@pytest.mark.parametrize("languages", [["en"], None], ids=["en", "all"])
def test_results_are_the_same_with_and_without_the_memos(languages: list[str] | None) -> None:
    plain = unmemoized(languages)
    memoized = PromptMatcher.from_directory(packaged_directory(), languages)
    expected = [outcome(plain.clean(text)) for text in TEXTS]
    # twice: the second round answers from the memos
    assert [outcome(memoized.clean(text)) for text in TEXTS] == expected
    assert [outcome(memoized.clean(text)) for text in TEXTS] == expected
    assert [memoized.scan(text.split("\n")) for text in TEXTS] == [
        plain.scan(text.split("\n")) for text in TEXTS
    ]
    infos = memos(memoized)
    assert infos["lines"].hits > 0
    if languages == ["en"]:  # the other languages' prompts go to the structural rules
        assert infos["edition"].hits > 0 and infos["signin"].hits > 0
    assert any(r[1] == "und" for r in expected)  # the structural rules ran


def test_clear_caches_empties_every_memo() -> None:
    matcher = PromptMatcher.from_directory(packaged_directory(), ["en"])
    for text in TEXTS:
        matcher.clean(text)
    assert all(info.currsize > 0 for info in memos(matcher).values()), memos(matcher)
    matcher.clear_caches()
    assert all(info.currsize == 0 for info in memos(matcher).values()), memos(matcher)
    # the stripping benchmark's cold passes start from the same call
    for text in TEXTS:
        matcher.clean(text)
    strip.clear_caches(matcher)
    assert all(info.currsize == 0 for info in memos(matcher).values()), memos(matcher)


def test_the_memos_are_bounded() -> None:
    matcher = PromptMatcher.from_directory(packaged_directory(), ["en"])
    shapes = matcher._structure
    for n in range(LINE_CACHE_SIZE + 50):
        shapes._edition_shape(f"Dit verhaal komt uit de November {n % 28 + 1:02d}, {n}-editie.")
        shapes._signin_text(f"Al abonnee {n} ? Aanmelden")
    for info in memos(matcher).values():
        assert info.maxsize == LINE_CACHE_SIZE
        assert info.currsize <= LINE_CACHE_SIZE
    assert shapes._edition_shape.cache_info().currsize == LINE_CACHE_SIZE


def _first_chars(items: Any) -> tuple[set[str], bool]:
    """The characters a parsed pattern can start with (``\\d`` for the digit category), and
    whether it can match the empty string. Zero-width assertions are skipped (a superset)."""
    found: set[str] = set()
    for op, av in items:
        if op is sre_parse.LITERAL:
            chars, nullable = {chr(av)}, False
        elif op is sre_parse.IN:
            chars, nullable = set(), False
            for kind, value in av:
                if kind is sre_parse.LITERAL:
                    chars.add(chr(value))
                elif kind is sre_parse.RANGE:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                elif kind is sre_parse.CATEGORY and value is sre_parse.CATEGORY_DIGIT:
                    chars.add(r"\d")
                else:
                    raise AssertionError(f"unexpected set member {kind} {value}")
        elif op is sre_parse.SUBPATTERN:
            chars, nullable = _first_chars(av[-1])
        elif op is sre_parse.BRANCH:
            chars, nullable = set(), False
            for branch in av[1]:
                more, empty = _first_chars(branch)
                chars |= more
                nullable = nullable or empty
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            chars, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.AT):
            chars, nullable = set(), True
        else:
            raise AssertionError(f"unexpected pattern element {op}")
        found |= chars
        if not nullable:
            return found, False
    return found, True


def test_the_date_lookahead_admits_every_first_character_of_a_date() -> None:
    starts, nullable = _first_chars(sre_parse.parse(f"{PLACEHOLDER}|{LABEL}"))
    assert not nullable
    assert {"{", r"\d", "J", "N", "D"} <= starts
    lead = re.compile(shapes.DATE_LEAD)
    for char in starts - {r"\d"}:
        assert lead.match(char), char
    for digit in "09٣७":  # the digit category is Unicode's
        assert lead.match(digit)


def test_the_lookaheads_find_what_the_plain_patterns_find() -> None:
    plain_date = re.compile(f"{PLACEHOLDER}|{LABEL}")
    plain_count = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+\+?|\d{4,}\+?|\d+\+")
    lines = [line for text in TEXTS for line in text.split("\n")]
    lines += ["{{ issue_date }}", "NOVEMBER 07, 2024", "13 April 2024", "2024-11-07", "9.000+"]
    dated = counted = 0
    for line in lines:
        date, count = shapes.DATE_RE.search(line), structure._COUNT_RE.search(line)
        expected_date, expected_count = plain_date.search(line), plain_count.search(line)
        assert (date and date.span()) == (expected_date and expected_date.span()), line
        assert (count and count.span()) == (expected_count and expected_count.span()), line
        dated += date is not None
        counted += count is not None
    assert dated > 100 and counted > 100


def test_line_index_agrees_with_a_table_of_line_starts() -> None:
    rng = random.Random(3)
    for text in [*TEXTS[:40], "", "\n", "a\n\nb\n", "\n\nx"]:
        starts = list(accumulate((len(line) + 1 for line in text.split("\n")), initial=0))
        index = LineIndex(text)
        offsets = [rng.randrange(len(text) + 1) for _ in range(30)]
        # in increasing order (as the prefilter asks), then in any order
        for offset in [*sorted(offsets), *offsets]:
            line = bisect_right(starts, offset) - 1
            assert index.line_of(offset) == line, (text, offset)
            assert index.column_of(offset) == offset - starts[line], (text, offset)


def test_matched_is_lazy_like_enumerate() -> None:
    result: list[LineMatch | None] = [None, LineMatch("offer", "en", 0), None, None]
    seen = []
    for index in matched(result):
        seen.append(index)
        if index == 1:
            result[3] = LineMatch("signin", "en", 0)  # set further on: met too
    assert seen == [1, 3]
