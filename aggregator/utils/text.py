"""Text helpers shared by page classes, pipelines and spiders. Pure functions."""

from __future__ import annotations

import re
import unicodedata

# Removed outright: they carry no meaning in article text. ZWNJ/ZWJ (U+200C/U+200D) are
# kept on purpose: Persian, Indic scripts and emoji sequences need them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)
# Spaces that a text extractor or a page leaves inside a paragraph.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Line and paragraph separators that str.splitlines() splits on but JSON Lines readers hate.
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e]")
# A whitespace-separated token with no letter, digit or underscore is no word ("—", "|").
_NOT_A_WORD = re.compile(r"[^\w\s]+")


def collapse(text: str) -> str:
    """One line: every run of whitespace (NBSP included) becomes one space, ends trimmed."""
    line = text.strip()
    # most lines need only their ends trimmed: a printable line holds no whitespace but
    # plain spaces (NBSP and the other spaces are not printable)
    if "  " not in line and line.isprintable():
        return line
    return _SPACES.sub(" ", line)


def normalize_inline(text: str) -> str:
    """NFC, invisible characters removed, all whitespace and line breaks folded to spaces."""
    if _is_inline_form(text):  # most fields: already so, and checked at C speed
        return text
    return collapse(unicodedata.normalize("NFC", text).translate(_INVISIBLE))


def _is_inline_form(text: str) -> bool:
    """``text`` is what ``normalize_inline`` makes of it. ``isprintable`` is False for every
    whitespace character but the plain space, and for the invisible ones (format characters),
    so a printable NFC text with single spaces and no space at its ends is left as it is.
    (A text with ZWNJ/ZWJ is not printable either: it takes the long way, to the same result.)"""
    return (
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and unicodedata.is_normalized("NFC", text)
    )


def split_paragraphs(text: str) -> list[str]:
    """The non-empty lines of ``text``, each collapsed. Any line break separates paragraphs."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text).translate(_INVISIBLE))
    return [line for line in (collapse(part) for part in text.split("\n")) if line]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def normalize_block(text: str) -> str:
    """Paragraph text: each paragraph on one line, paragraphs separated by one blank line."""
    if _is_block_form(text):  # a body a page class joined already: nothing to do
        return text
    return join_paragraphs(split_paragraphs(text))


def _is_block_form(text: str) -> bool:
    """``text`` is what ``normalize_block`` makes of it: paragraphs in inline form (see
    ``_is_inline_form``), none empty, one blank line between them. A paragraph that holds a
    line break is not printable, so a single or a third ``"\\n"`` fails too. (These checks
    run at C speed over the whole text; the translate and the per-paragraph regex of the long
    way cost far more per character.)"""
    paragraphs = text.split("\n\n")
    # No paragraph begins or ends with a space: once every paragraph is printable (no "\n"
    # in one), a space after or before a "\n\n" can only be at a paragraph's end, so four
    # substring tests at C speed say it for all of them.
    return (
        all(paragraphs)
        and all(map(str.isprintable, paragraphs))
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and "\n\n " not in text
        and " \n\n" not in text
        and unicodedata.is_normalized("NFC", text)
    )


def word_count(text: str) -> int:
    """Whitespace-separated tokens that hold a letter, digit or underscore. (Splitting, then
    checking only the tokens that start with punctuation, is faster than a regex over the
    whole text: most tokens start with a letter.)"""
    tokens = text.split()
    return len(tokens) - sum(
        1 for token in tokens if not token[0].isalnum() and _NOT_A_WORD.fullmatch(token)
    )
