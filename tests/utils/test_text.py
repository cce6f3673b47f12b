"""``aggregator.utils.text``: the quick checks that leave text already in form as it is give what
the long way gives, on every kind of whitespace, break, invisible and composed character."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

import pytest

from aggregator.utils.text import (
    _INVISIBLE,
    _is_block_form,
    _is_inline_form,
    collapse,
    join_paragraphs,
    normalize_block,
    normalize_inline,
    split_paragraphs,
)

# Letters (Latin, composed and decomposed, Devanagari with a ZWJ), and every character class
# the long way treats specially: spaces, line breaks of all kinds, invisible characters.
PIECES = [
    *"abcxyz",
    "é",
    "e\u0301",  # NFD: the long way composes it
    "Å",
    "ﬁ",  # a ligature: NFC keeps it
    "क्\u200dष",  # ZWJ, kept
    "ن\u200cم",  # ZWNJ, kept
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\u00a0",
    "\u202f",
    "\t",
    "\r\n",
    "\r",
    "\u2028",
    "\u0085",
    "\x0c",
    "\x1c",
    "\x1f",
    "\u200b",
    "\u00ad",
    "\ufeff",
]


def long_block(text: str) -> str:
    return join_paragraphs(split_paragraphs(text))


def long_inline(text: str) -> str:
    return collapse(unicodedata.normalize("NFC", text).translate(_INVISIBLE))


def texts(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    # half of them mostly letters, single spaces and paragraph breaks: in form more often
    plain = [*"abcé", " ", "\n\n"]
    return [
        "".join(chooser.choice(PIECES if n % 2 else plain) for _ in range(chooser.randint(0, 14)))
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("normalize", "long_way", "quick_check", "seed", "taken"),
    [
        (normalize_block, long_block, _is_block_form, 13, 5_000),
        (normalize_inline, long_inline, _is_inline_form, 14, 2_000),
    ],
    ids=["block", "inline"],
)
def test_quick_check_agrees_with_the_long_way(
    normalize: Callable[[str], str],
    long_way: Callable[[str], str],
    quick_check: Callable[[str], bool],
    seed: int,
    taken: int,
) -> None:
    in_form = 0
    for text in texts(40_000, seed=seed):
        assert normalize(text) == long_way(text), repr(text)
        if quick_check(text):
            in_form += 1
            assert long_way(text) == text, repr(text)
    assert in_form > taken  # the quick way was taken, not only the long one


@pytest.mark.parametrize(
    "text",
    [
        "",
        " One.",
        "One. ",
        "One.\n\n",
        "\n\nOne.",
        "One.\nTwo.",
        "One.\n\n\nTwo.",
        "One.\n\n\n\nTwo.",
        "One. \n\nTwo.",
        "One.\n\n Two.",
        "One  two.",
        "Cafe\u0301.",
        "One\u00a0two.",
        "One\u200btwo.",
        "One.\u2028Two.",
    ],
)
def test_texts_out_of_form_take_the_long_way(text: str) -> None:
    assert not _is_block_form(text)
    assert normalize_block(text) == long_block(text)


def test_a_body_in_form_is_returned_as_it_is() -> None:
    body = "“Quoted,” she said — in Oslo.\n\nÅ være eller ikke være.\n\nनमस्ते दुनिया"
    assert _is_block_form(body)
    assert normalize_block(body) is body
    assert normalize_inline("Reader’s Digest UK") == "Reader’s Digest UK"
