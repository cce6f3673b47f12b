"""Language-neutral shapes of the site's interface text, for lines no catalog file names.

The catalog (one file per language) names the strings of the languages it knows; these
shapes find the rest by form and place, whatever the language and script:

- a price line (``$149.99``, ``$74.99/Año``, ``₹ 1,499/वर्ष``);
- the "Try GOLD - Free" button, machine-translated word by word: ``<word(s)> - <word(s)>``;
- a short caption line (a banner's seasonal line: "The Perfect Holiday Gift Gift Now");
- a header's source line: ``Publication|Date``, ``Publication | |Date``, ``|Date``;
- an edition line, a sign-in line, a sign-in question or link, in a language no catalog
  file names (``edition_line_shape``, ``signin_text_shape``, ``question_shaped``,
  ``link_shaped``): the structural rules (``aggregator.prompts.fallback``) use them.

Each is only a shape: the matcher and the page classes decide by place (next to a banner,
first in the text, before a title) whether a line of that shape is interface text.
"""

from __future__ import annotations

import re
from typing import Final

from aggregator.prompts.catalog import UNDETERMINED
from aggregator.prompts.compiler import PLACEHOLDER, PRICE, SENTENCE_ENDS
from aggregator.prompts.results import LineMatch, edition_facts
from aggregator.site.dates import LABEL, MONTH

PRICE_LINE: Final = re.compile(rf"^\s*{PRICE}\s*$")

# Tokens are runs of non-space characters: \w misses the vowel signs of Indic scripts.
# A button's words hold no digits and no punctuation but a word's own (apostrophes, dots).
_TOKEN: Final = r"[^\s\d|:;,!?()\[\]\"“”«»]+"
#: "Try GOLD - Free", "Intentar ORO - Gratis", "يحاول ذهب - حر": a few words, a dash, a word.
BUTTON: Final = re.compile(
    rf"^{_TOKEN}(?:\s+{_TOKEN}){{0,2}}\s+[-‐‑‒–—]\s+{_TOKEN}(?:\s+{_TOKEN})?$"
)
_BUTTON_MAX_CHARS: Final = 40

_CAPTION_MAX_WORDS: Final = 8
_CAPTION_MAX_CHARS: Final = 60
_ENDS_SENTENCE: Final = frozenset(SENTENCE_ENDS + ":;,")

#: A header's source line: "Publication|Date", "Publication | |Date" (an empty field between).
SOURCE_LINE: Final = re.compile(rf"^(?P<pub>[^|]+?)\s*(?:\|\s*)+(?P<date>{LABEL})$")
#: The 2025 header's date line under the publication: "|Date".
BAR_DATE_LINE: Final = re.compile(rf"^(?:\|\s*)+(?P<date>{LABEL})$")


def is_button(line: str) -> bool:
    text = line.strip()
    return len(text) <= _BUTTON_MAX_CHARS and BUTTON.match(text) is not None


def is_caption(line: str) -> bool:
    """A short line that is no sentence and holds no date: a banner's seasonal caption."""
    text = line.strip()
    return (
        0 < len(text) <= _CAPTION_MAX_CHARS
        and len(text.split()) <= _CAPTION_MAX_WORDS
        and text[-1] not in _ENDS_SENTENCE
        and "|" not in text
        and re.search(LABEL, text) is None
    )


def is_header_date(line: str) -> bool:
    """A header's source or date line ("Outlook|November 07, 2024", "|May 17, 2025")."""
    if "|" not in line:
        # both shapes hold a bar; without this test SOURCE_LINE's lazy publication group
        # tries every position of a long paragraph (most of what ``_top_lines`` cost)
        return False
    text = line.strip()
    return SOURCE_LINE.match(text) is not None or BAR_DATE_LINE.match(text) is not None


# Where a date or a placeholder can begin: a digit, "{", or a capital letter (a month name's
# first; LABEL is case-sensitive, so these are a superset of its initials). Searched for
# without it, LABEL's alternatives are tried at every position of a line; with the
# lookahead the engine passes over the other characters at once (several times as fast, see
# BENCHMARKS.md "Stripping speed"; the same matches, as no match can begin elsewhere).
MONTH_CAPITALS: Final = "".join(sorted(set(re.findall(r"[A-Z]", MONTH))))
DATE_LEAD: Final = rf"(?=[\d{{{MONTH_CAPITALS}])"
DATE_RE: Final = re.compile(rf"{DATE_LEAD}(?:{PLACEHOLDER}|{LABEL})")
# A sentence end followed by more text on the same line.
SENTENCE_END: Final = re.compile(rf"""[{SENTENCE_ENDS}]["”’'»)\]]*\s*(?=\S)""")
WORD: Final = re.compile(r"\w")
QUESTION: Final = frozenset("?？؟")
NOT_EDITION_END: Final = frozenset("?!？؟！")  # a question or an exclamation is no edition line
# An edition line is a short sentence; a sign-in line a few words.
EDITION_MAX_WORDS: Final = 25
EDITION_MAX_CHARS: Final = 250
# (a Hindi sign-in line runs to ten words: "क्या आप पहले से ही ग्राहक हैं? साइन इन करें")
SIGNIN_MAX_WORDS: Final = 12
SIGNIN_MAX_CHARS: Final = 70
LINK_MAX_CHARS: Final = 25
SENTENCE_FINAL: Final = frozenset(SENTENCE_ENDS)


def edition_line_shape(line: str, brand: re.Pattern[str] | None) -> LineMatch | None:
    """An edition line in an unknown language: its last sentence, if that is one."""
    first = DATE_RE.search(line)
    if first is None:
        return None
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(line))]
    for start in reversed(bounds):
        segment = line[start:]
        # (the whole line's search is done: most edition lines are one sentence)
        date = DATE_RE.search(segment) if start else first
        if date is not None:
            break
    else:  # pragma: no cover - the whole line holds a date
        return None
    sentence = segment.strip()
    if len(sentence) > EDITION_MAX_CHARS or len(sentence.split()) > EDITION_MAX_WORDS:
        return None
    if sentence[-1] in NOT_EDITION_END or not WORD.search(segment[date.end() :]):
        return None
    if brand is not None and brand.search(sentence):
        return None
    facts = edition_facts(None, date.group(), UNDETERMINED)
    return LineMatch("edition", UNDETERMINED, start, facts)


def signin_text_shape(line: str, brand: re.Pattern[str] | None) -> bool | None:
    """Whether ``line`` alone is a sign-in line in an unknown language: ``True``, ``False``,
    or ``None`` when that depends on what follows it (a line with no question mark)."""
    text = line.strip()
    if len(text) > SIGNIN_MAX_CHARS or len(text.split()) > SIGNIN_MAX_WORDS:
        return False
    if text[-1] in SENTENCE_FINAL - QUESTION or DATE_RE.search(text):
        return False
    if brand is not None and brand.search(text):
        return False
    if text[-1] in QUESTION:
        # a sign-in line goes on after its question ("? Sign In", "؟ تسجيل الدخول");
        # a line that ends on one is a headline ("Why is it still so warm?")
        return False
    if any(ch in QUESTION for ch in text):
        return True
    return None


def question_shaped(text: str) -> bool:
    """A sign-in question on its own: a few words ending in a question mark."""
    return (
        len(text) <= SIGNIN_MAX_CHARS
        and len(text.split()) <= SIGNIN_MAX_WORDS
        and text[-1:] in QUESTION
    )


def link_shaped(line: str) -> bool:
    """A sign-in link's text on its own: one to three words, no digits, no sentence end."""
    text = line.strip()
    return (
        0 < len(text) <= LINK_MAX_CHARS
        and len(text.split()) <= 3
        and text[-1] not in SENTENCE_FINAL
        and not any(ch.isdigit() for ch in text)
    )
