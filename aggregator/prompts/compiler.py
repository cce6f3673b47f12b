"""Catalog entries -> tolerant regexes.

A compiled template is tolerant the way text dumps of the site vary: any run of whitespace
(NBSP and U+202F included), an optional space before ``? ! :``, straight or curly
apostrophes, any dash for a hyphen, the count in any form (``9,000+``, ``8.000``, ``8500``),
unrendered ``{{Placeholder}}`` values in any slot, case, and a lost final stop. It is
anchored on the whole line, or on the tail of a line that ends a sentence with no break
before the interface text ("...latest trends.Diese Geschichte stammt aus der ...").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from aggregator.prompts.catalog import SLOT_RE, SLOTS, Entry
from aggregator.site.dates import LABEL

#: An unrendered template placeholder, as fr/ pages print them: ``{{IssueName}}``.
PLACEHOLDER: Final = r"\{\{[^{}\n]{1,60}\}\}"
_PLACEHOLDER_RE: Final = re.compile(rf"\s*{PLACEHOLDER}\s*")

# A printed issue label: the grammar (day, month, fortnight) lives in aggregator.site.dates.

#: A magazine count: "9,000+", "9000+", "8.000", "8500", "10,000", "9 000".
COUNT: Final = r"(?:\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+\+?|\d+\+?)"
#: A bare price: "$149.99", "$74.99/Year", "₹ 1,499", "149,99 €".
PRICE: Final = (
    r"(?:(?:(?:US|CA|AU|NZ|SG|HK|A|S)?\$|[€£₹¥]|Rs\.?|USD|EUR|INR|GBP)\s?\d[\d.,]*"
    r"|\d[\d.,]*\s?[$€£₹¥])"
    # the period word in any language and script ("/Year", "/Año", "/年", "/वर्ष")
    r"(?:\s*/\s*[^\s/\d]{1,12})?"
)

# A publication name inside a sentence: does not end a sentence itself ("Brunch. Start your..."),
# except after a short abbreviation ("St. Louis Magazine", "Hello!").
_PUB: Final = r"(?:[^\n.!?]|[.!?](?!\s)|(?:(?<=\b\w)|(?<=\b\w\w)|(?<=\b\w\w\w))\.){1,150}?"

_SLOT_PATTERNS: Final[Mapping[str, str]] = {
    "date": rf"(?:{PLACEHOLDER}|{LABEL})",
    "pub": _PUB,
    "count": rf"(?:{PLACEHOLDER}|{COUNT})",
    "price": PRICE,
}
# A publication name that ends the template (a heading: "MORE STORIES FROM {pub}") is a name,
# not a sentence: at most six words, not ending in sentence punctuation.
_TERMINAL_PUB: Final = rf"(?:{PLACEHOLDER}|\S+?(?:\s+\S+?){{0,5}}?(?<![.!?…:;,]))"

# --- fixed-text tolerance ---------------------------------------------------------------------

_CHAR_CLASSES: Final[Mapping[str, str]] = {
    **dict.fromkeys("'’‘ʼ`´", "['’‘ʼ`´]"),
    **dict.fromkeys('"“”„«»', '["“”„«»]'),
    **dict.fromkeys("-‐‑‒–—", "[-‐‑‒–—]"),
    **dict.fromkeys(",،", "[,،]"),
    **dict.fromkeys("?？؟", "[?？؟]"),
}
# Punctuation that dumps may print with a space before it ("subscriber ? Sign In").
_SPACE_BEFORE: Final = frozenset("?？؟!:")
# What may end the sentence a prompt is glued to, with no line break in between.
#: What ends a sentence, in the scripts the site prints (Latin, CJK, Arabic, Devanagari, Urdu).
SENTENCE_ENDS: Final = ".!?…。？؟।॥۔｡！"
GLUE_CHARS: Final = SENTENCE_ENDS + r""""”’'»)\]"""
GLUE_BEFORE: Final = f"[{GLUE_CHARS}]"

_FINAL_STOPS: Final = ".。।"

# A publication name that opens a heading (a script without capitals puts it first:
# "{pub} からのその他のストーリー") is a name too: at most six words, no sentence end
# inside a word (so "….Name からの…" is glued text), the first word not in lower case (a
# sentence running into the heading begins so: "and then she read Name からの…").
_NAME_WORD: Final = rf"[^\s{SENTENCE_ENDS}:;,|]+\.?"
_LEADING_PUB: Final = rf"(?:{PLACEHOLDER}|(?-i:(?![a-z])){_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}?)"


def fixed_regex(text: str) -> str:
    """A tolerant regex for a run of fixed template text."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = text[i - 1] if i > 0 else ""
            nxt = text[j] if j < n else ""
            near_punct = (prev and not prev.isalnum()) or (nxt and not nxt.isalnum())
            out.append(r"\s*" if near_punct else r"\s+")
            i = j
            continue
        if ch in _SPACE_BEFORE and (i == 0 or not text[i - 1].isspace()):
            out.append(r"\s*")
        out.append(_CHAR_CLASSES.get(ch) or re.escape(ch))
        i += 1
    return "".join(out)


def template_regex(entry: Entry) -> str:
    """The regex source of ``entry``, slots as named groups, anchored on the line's end."""
    pieces = SLOT_RE.split(entry.template.rstrip())
    # a slot that ends the template (a heading's "{pub}") is a name, not a sentence's part
    open_end = not pieces[-1].strip()
    # a sentence's final stop may be lost to the extractor ("... edition of Outlook")
    final_stop = pieces[-1][-1:] in _FINAL_STOPS
    if final_stop:
        pieces[-1] = pieces[-1][:-1]
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            out.append(fixed_regex(piece))
            continue
        terminal = index == len(pieces) - 2 and open_end
        leading = index == 1 and not pieces[0].strip() and entry.kind == "more_stories"
        if piece == "pub" and terminal:
            pattern = _TERMINAL_PUB
        elif piece == "pub" and leading:
            pattern = _LEADING_PUB
        else:
            pattern = _SLOT_PATTERNS[piece]
        out.append(f"(?P<{piece}>{pattern})")
    body = "".join(out) + (rf"[{_FINAL_STOPS}]?" if final_stop else "")
    if entry.suffixes:
        body += r"(?:\s*(?:" + "|".join(fixed_regex(s) for s in entry.suffixes) + "))?"
    start = rf"(?:^|(?<={GLUE_BEFORE}))\s*" if entry.glue else r"^\s*"
    return rf"{start}{body}\s*$"


def compile_template(entry: Entry) -> re.Pattern[str]:
    return re.compile(template_regex(entry), re.IGNORECASE)


def is_placeholder(value: str) -> bool:
    # (a placeholder holds "{{": most slot values are tested without the regex)
    return "{{" in value and _PLACEHOLDER_RE.fullmatch(value) is not None


assert set(_SLOT_PATTERNS) == set(SLOTS), "a pattern for every slot the catalog allows"
