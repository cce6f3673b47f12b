"""Text normalisation both engines share, so that a query finds the same words on each.

- ``segment``: scripts written without spaces between words (Han, Hiragana, Katakana, Thai,
  Lao, Khmer, Myanmar) get a zero-width space between their characters. Word tokenizers
  (SQLite's unicode61, PostgreSQL's parser) then see one token a character, and a query
  word of such a script is searched as the phrase of its characters: ``記事`` finds
  ``この記事は…``. The article text never holds U+200B (``aggregator.utils.text`` removes it), so
  ``unsegment`` can take the marks out of a snippet again exactly.
- ``stroke_words``: letters with a stroke (``ø``, ``ł``), which SQLite's ``remove_diacritics``
  keeps, folded, for a column of their own.
- ``fold``: case folded, Latin diacritics removed (``Malmö`` -> ``malmo``); the marks of
  Devanagari, Arabic and other scripts stay, they are part of their words.
"""

from __future__ import annotations

import re
import unicodedata

import regex

MARK = "\u200b"
# the same scripts as _RUN, by block, for the standard library's faster search (it runs on
# every text loaded)
_NO_SPACE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
_RUN = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\u30fc]\p{M}*"
)
# the Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic letters
_ACCENTS = regex.compile(r"[\u0300-\u036f]")
# Latin letters with a stroke, which no decomposition takes apart
_STROKE_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t"}
_STROKE_PAIRS = [
    *_STROKE_LETTERS.items(),
    *((letter.upper(), plain.upper()) for letter, plain in _STROKE_LETTERS.items()),
]
_STROKES = str.maketrans(dict(_STROKE_PAIRS))
_STROKE = re.compile(f"[{''.join(letter for letter, _ in _STROKE_PAIRS)}]")


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
    words: list[str] = []
    end = -1
    # only such words change when folded, and a body holds few of them: each is found from
    # its letter outwards, as far as the whitespace str.split() cuts words at
    for match in _STROKE.finditer(text):
        if match.start() < end:
            continue  # another stroke letter of the same word
        start = match.start()
        while start and not text[start - 1].isspace():
            start -= 1
        end = match.end()
        while end < len(text) and not text[end].isspace():
            end += 1
        words.append(_fold_strokes(text[start:end]))
    return " ".join(words) if words else None


def _fold_strokes(word: str) -> str:
    for letter, plain in _STROKE_PAIRS:  # str.replace: much faster than a translate table
        word = word.replace(letter, plain)
    return word


def fold(text: str) -> str:
    """Case folded, Latin diacritics removed, NFC."""
    decomposed = unicodedata.normalize("NFD", text.casefold().translate(_STROKES))
    return unicodedata.normalize("NFC", _ACCENTS.sub("", decomposed))
