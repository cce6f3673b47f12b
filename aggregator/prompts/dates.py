"""Issue dates as the edition line prints them ("November 07, 2024", "January 2018").

The site prints them in English whatever the interface language; the catalog language is
passed to dateparser as a second choice. Parses are cached: a crawl sees few distinct labels.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from dateparser.date import DateDataParser

#: The site prints issue dates in English in every interface language.
PRINTED_LANGUAGE: Final = "en"
_SETTINGS: Final = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}
# "January - February 2018" (bimonthlies): the issue is dated by its first month.
_MONTH_RANGE: Final = re.compile(r"^\s*([A-Za-z]+)\.?\s*[-–/&]\s*[A-Za-z]+\.?,?\s+(\d{4})\s*$")


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
    data = _parser(language).get_date_data(text)
    if data.date_obj is None:
        return None
    if data.period == "day":
        return data.date_obj.strftime("%Y-%m-%d")
    if data.period == "month":
        return data.date_obj.strftime("%Y-%m")
    return None
