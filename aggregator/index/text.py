"""Text normalisation both engines share, so that a query finds the same words on each.

- ``segment``: scripts written without spaces between words (Han, Hiragana, Katakana, Thai,
  Lao, Khmer, Myanmar) get a zero-width space between their characters. Word tokenizers
  (SQLite's unicode61, PostgreSQL's parser) then see one token a character, and a query
  word of such a script is searched as the phrase of its characters: ``記事`` finds
  ``この記事は…``. The article text never holds U+200B (``aggregator.text`` removes it), so
  ``unsegment`` can take the marks out of a snippet again exactly.
- ``stroke_words``: letters with a stroke (``ø``, ``ł``), which SQLite's ``remove_diacritics``
  keeps, folded, for a column of their own.
- ``fold``: case folded, Latin diacritics removed (``Malmö`` -> ``malmo``); the marks of
  Devanagari, Arabic and other scripts stay, they are part of their words.
"""

from __future__ import annotations

import unicodedata

import regex

MARK = "\u200b"
_NO_SPACE = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc]"
)
_RUN = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc]\p{M}*"
)
# the Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic letters
_ACCENTS = regex.compile(r"[\u0300-\u036f]")
# Latin letters with a stroke, which no decomposition takes apart
_STROKE_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t"}
_STROKES = str.maketrans(
    {**_STROKE_LETTERS, **{k.upper(): v.upper() for k, v in _STROKE_LETTERS.items()}}
)
_HAS_STROKE = regex.compile(f"[{''.join(_STROKE_LETTERS)}]", regex.IGNORECASE)


def has_no_space_script(text: str) -> bool:
    return _NO_SPACE.search(text) is not None


def segment(text: str) -> str | None:
    """``text`` with a mark around every character of a script without spaces; None when it
    has none (the text is indexed as it is)."""
    if not has_no_space_script(text):
        return None
    marked: str = _RUN.sub(lambda match: f"{MARK}{match.group()}{MARK}", text)
    return marked


def segmented(text: str) -> str:
    """``segment(text)``, or ``text`` itself."""
    return segment(text) or text


def unsegment(text: str) -> str:
    return text.replace(MARK, "")


def stroke_words(text: str) -> str | None:
    """The words of ``text`` with a stroke letter, those letters folded (``Tromsø`` ->
    ``Tromso``), for an engine whose tokenizer folds only decomposable letters; None when
    there are none."""
    words = [word.translate(_STROKES) for word in text.split() if _HAS_STROKE.search(word)]
    return " ".join(words) or None


def fold(text: str) -> str:
    """Case folded, Latin diacritics removed, NFC."""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_STROKES))
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))
