"""``page_lines`` collapses the whole text at once (a compiled regex); these hold it to the
definition, line by line: ``str.splitlines``, each line ``collapse``d, empty lines and
extractor noise left out."""

from __future__ import annotations

import random

import pytest

from aggregator.pages.saved_text import NOISE, page_lines
from aggregator.utils.text import collapse

# Every kind of line break and whitespace ``splitlines`` and ``collapse`` know, invisible
# and format characters, noise words and the first letters the noise test looks at.
PIECES = [
    *"ab İı[]!()é \n\r\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u00a0\u2007\u202f\u3000",
    *"\u00ad\u200b\u200d",
    "image",
    "Img ",
    "![x](y)",
    "[![a](b)](c)",
    "\r\n",
    "  ",
]


def by_line(text: str) -> list[str]:
    lines = (collapse(raw) for raw in text.splitlines())
    return [line for line in lines if line and not NOISE.match(line)]


@pytest.mark.parametrize("seed", range(4))
def test_the_whole_text_at_once_gives_the_lines_one_by_one(seed: int) -> None:
    chooser = random.Random(seed)
    for _ in range(5000):
        text = "".join(chooser.choice(PIECES) for _ in range(chooser.randint(0, 30)))
        assert page_lines(text) == by_line(text), repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "A  line\n  with   runs  \n\nof spaces",  # printable: the runs only
        "A\u00a0line\r\nwith\tother\u2028whitespace\x1f and breaks\x85",  # the other way
        "Soft\u00adhyphen  kept\nimage\n",
    ],
)
def test_both_ways_collapse_as_collapse_does(text: str) -> None:
    assert page_lines(text) == by_line(text)
    assert all("  " not in line and line == line.strip() for line in page_lines(text))
