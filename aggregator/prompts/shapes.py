"""Language-neutral shapes of the site's interface text, for lines no catalog file names.

The catalog (one file per language) names the strings of the languages it knows; these
shapes find the rest by form and place, whatever the language and script:

- a price line (``$149.99``, ``$74.99/Año``, ``₹ 1,499/वर्ष``);
- the "Try GOLD - Free" button, machine-translated word by word: ``<word(s)> - <word(s)>``;
- a short caption line (a banner's seasonal line: "The Perfect Holiday Gift Gift Now");
- a header's source line: ``Publication|Date``, ``Publication | |Date``, ``|Date``.

Each is only a shape: the matcher and the page classes decide by place (next to a banner,
first in the text, before a title) whether a line of that shape is interface text.
"""

from __future__ import annotations

import re
from typing import Final

from aggregator.prompts.compiler import PRICE, SENTENCE_ENDS
from aggregator.site.dates import LABEL

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
