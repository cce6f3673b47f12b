"""``repair_mojibake`` sends only a text's non-ASCII lines through ftfy: the text it returns
is ftfy's own repair of the whole text (``ftfy.fix_text`` with the same configuration)."""

from __future__ import annotations

import random

import ftfy
import pytest
from ftfy.badness import is_bad

from aggregator.utils.encoding import MOJIBAKE_HINT, REPAIR, repair_mojibake

# Line pieces: UTF-8 read as Windows-1252, good UTF-8, ASCII, C1 controls, what REPAIR leaves
# alone (entities, ligatures, terminal escapes, curly quotes)
PIECES = (
    "cafÃ©",
    "naÃ¯ve",
    "Ã¢â‚¬â„¢",
    "â€œquotedâ€\x9d",
    "â€”",
    "café",
    "ü",
    "Straße",
    "plain ascii",
    "  spaced  ",
    "\x85",
    "\x80\x9f",
    "\x1b[0m",
    "&amp;",
    "ﬁ",
    "“curly”",
    "",
)


def _texts(count: int) -> list[str]:
    rnd = random.Random(25)
    texts = []
    for _ in range(count):
        lines = [
            "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 4)))
            for _ in range(rnd.randint(1, 7))
        ]
        text = "\n".join(lines) + ("\n" if rnd.random() < 0.5 else "")
        texts.append(text)
    return texts


def _whole(text: str) -> str:
    """The repair as it was: ftfy over the whole text, on the same texts."""
    if text.isascii() or MOJIBAKE_HINT.search(text.encode("utf-8", "replace")) is None:
        return text
    return ftfy.fix_text(text, REPAIR) if is_bad(text) else text


@pytest.mark.parametrize("text", _texts(400))
def test_same_as_ftfy_over_the_whole_text(text: str) -> None:
    assert repair_mojibake(text) == _whole(text)


def test_broken_lines_repaired_good_lines_kept() -> None:
    text = "Plain English line\ncafÃ© au lait â€” naÃ¯ve\nStraße stays\n\nlast ASCII line"
    assert repair_mojibake(text) == (
        "Plain English line\ncafé au lait — naïve\nStraße stays\n\nlast ASCII line"
    )


def test_enough_texts_are_repaired() -> None:
    """The comparison above is of texts ftfy changes, not only of texts left alone."""
    texts = _texts(400)
    assert sum(repair_mojibake(t) != t for t in texts) >= 100
