"""Issue dates as the edition line prints them ("November 07, 2024", "January 2018").

The site prints them in English whatever the interface language; the catalog language is
passed to dateparser as a second choice. Parses are cached: a crawl sees few distinct labels.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Final

from dateparser.date import DateDataParser

#: The site prints issue dates in English in every interface language.
PRINTED_LANGUAGE: Final = "en"
_SETTINGS: Final = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}
# "January - February 2018" (bimonthlies): the issue is dated by its first month.
_MONTH_RANGE: Final = re.compile(r"^\s*([A-Za-z]+)\.?\s*[-–/&]\s*[A-Za-z]+\.?,?\s+(\d{4})\s*$")


# How the site prints dates, read by the standard library first: dateparser takes about 3 ms
# a label, strptime a few µs. Anything else ("13. April 2024", other languages) goes to
# dateparser. (%B/%b read English month names: Python runs in the C locale unless a program
# calls setlocale, and a failed strptime falls back to dateparser anyway.)
_PRINTED_FORMATS: Final = (
    ("%B %d, %Y", "%Y-%m-%d"),
    ("%b %d, %Y", "%Y-%m-%d"),
    ("%d %B %Y", "%Y-%m-%d"),
    ("%d %b %Y", "%Y-%m-%d"),
    ("%B %Y", "%Y-%m"),
    ("%b %Y", "%Y-%m"),
)


def _printed(text: str) -> str | None:
    for reading, writing in _PRINTED_FORMATS:
        try:
            return datetime.strptime(text, reading).strftime(writing)
        except ValueError:
            continue
    return None


@lru_cache(maxsize=64)
def _parser(language: str | None) -> DateDataParser:
    languages = [PRINTED_LANGUAGE]
    if language is not None and language != PRINTED_LANGUAGE:
        languages.append(language)
    try:
        parser = DateDataParser(languages=languages, settings=_SETTINGS)
        parser.get_date_data("January 2018")  # unknown codes only fail on first use
    except ValueError:
        parser = DateDataParser(languages=[PRINTED_LANGUAGE], settings=_SETTINGS)
    return parser


@lru_cache(maxsize=4096)
def parse_issue_date(label: str, language: str | None = None) -> str | None:
    """``YYYY-MM-DD`` for a dated label, ``YYYY-MM`` for a month-only one, else ``None``."""
    text = label.strip()
    if not text:
        return None
    ranged = _MONTH_RANGE.match(text)
    if ranged:
        text = f"{ranged.group(1)} {ranged.group(2)}"
    printed = _printed(" ".join(text.replace(".", " ").split()))
    if printed is not None:
        return printed
    data = _parser(language).get_date_data(text)
    if data.date_obj is None:
        return None
    if data.period == "day":
        return data.date_obj.strftime("%Y-%m-%d")
    if data.period == "month":
        return data.date_obj.strftime("%Y-%m")
    return None
