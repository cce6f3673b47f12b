"""Issue dates: the one home of the site's date grammar and of a date's precision.

The site prints an issue's date (its *label*) in English whatever the interface language,
in one of these forms (``LABEL`` is the grammar, ``parse_label`` reads one):

=============  ===================================================  ==================
form           printed                                              stored
=============  ===================================================  ==================
day            ``November 07, 2024``, ``Nov. 7th, 2024``,            ``2024-11-07``
               ``13 April 2024``, ``July 05 - 11, 2024`` (a week)
month          ``January 2018``, ``January - February 2018``         ``2018-01``
fortnight      ``March Second 2023``, ``October First 2016``,        ``2023-03``
               ``May second 2024``
ISO            ``2024-11-07``                                        ``2024-11-07``
=============  ===================================================  ==================

A fortnightly issue is dated to its month; its label keeps the half as printed. Machine
dates (``datetime`` attributes, JSON-LD) store a monthly as its first day: ``issue_date``
puts such a date back to the precision its printed label shows. Anything outside the
grammar ("13. April 2024", a localized month name) goes to dateparser, cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Final, Literal

from dateparser.date import DateDataParser

Precision = Literal["day", "month"]

# --- the grammar ------------------------------------------------------------------------------

_MONTH_NAMES: Final = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
# Month names as printed: Capitalized, or all capitals in a heading ("NOVEMBER 07, 2024").
MONTH: Final = rf"(?:{_MONTH_NAMES}|{_MONTH_NAMES.upper()})\.?"
_DAY: Final = r"\d{1,2}(?:st|nd|rd|th)?"
_DAYS: Final = rf"{_DAY}(?:\s*[-–]\s*{_DAY})?"  # a weekly may print its span: "July 05 - 11"
YEAR: Final = r"(?:1[89]|2\d)\d\d(?!\d)"
#: The half of a fortnightly issue, in any case ("March Second 2023", "May second 2024").
HALF: Final = r"(?:[Ff]irst|[Ss]econd|FIRST|SECOND)"
_ISO: Final = r"(?:1[89]|2\d)\d\d-[01]\d-[0-3]\d(?!\d)"

#: A printed issue label, case-sensitive even inside a case-insensitive pattern (so that
#: "may" or "march" in running text is never a month). No capture groups.
LABEL: Final = (
    r"(?-i:"
    rf"{MONTH}\s+{_DAYS},?\s+{YEAR}"
    rf"|{_DAY}\s+{MONTH},?\s+{YEAR}"
    rf"|{MONTH}\s+{HALF},?\s+{YEAR}"
    rf"|{MONTH}(?:\s*[-–/&]\s*{MONTH})?,?\s+{YEAR}"
    rf"|{_ISO})"
)
LABEL_RE: Final = re.compile(LABEL)

_FORTNIGHT: Final = re.compile(rf"^(?P<month>{MONTH})\s+{HALF},?\s+(?P<year>{YEAR})$")
_WEEK_SPAN: Final = re.compile(
    rf"^(?P<month>{MONTH})\s+(?P<day>{_DAY})\s*[-–]\s*{_DAY}(?P<rest>.*)$"
)
# "January - February 2018" (bimonthlies): the issue is dated by its first month.
_MONTH_RANGE: Final = re.compile(r"^\s*([A-Za-z]+)\.?\s*[-–/&]\s*[A-Za-z]+\.?,?\s+(\d{4})\s*$")
_ORDINAL: Final = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")

# The printed forms, read by the standard library first: dateparser is far slower than
# strptime per label (BENCHMARKS.md). (%B/%b read English month names: Python runs in the C
# locale unless a program calls setlocale, and a failed strptime falls back to dateparser.)
_PRINTED_FORMATS: Final[tuple[tuple[str, Precision], ...]] = (
    ("%B %d, %Y", "day"),
    ("%b %d, %Y", "day"),
    ("%B %d %Y", "day"),
    ("%d %B %Y", "day"),
    ("%d %b %Y", "day"),
    ("%B %Y", "month"),
    ("%b %Y", "month"),
    ("%Y-%m-%d", "day"),
)
_ISO_FORMAT: Final[dict[Precision, str]] = {"day": "%Y-%m-%d", "month": "%Y-%m"}

#: The language the site prints dates in; a catalog language is dateparser's second choice.
PRINTED_LANGUAGE: Final = "en"
_DATEPARSER_SETTINGS: Final = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["month", "year"]}


@dataclass(frozen=True)
class IssueDate:
    """A label read: the ISO date at the label's precision."""

    iso: str  # "YYYY-MM-DD" or "YYYY-MM"
    precision: Precision


# The English month names strptime's %B and %b read (the C locale's), for the quick reading
# of the commonest forms below.
_FULL_MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS: Final = {
    **{name[:3]: number for number, name in enumerate(_FULL_MONTHS, 1)},
    **{name: number for number, name in enumerate(_FULL_MONTHS, 1)},
}
_QUICK_FORMS: Final = re.compile(
    r"(?P<md>[A-Za-z]+) (?P<mday>\d{1,2}),? (?P<my>\d{4})"  # "November 07, 2024"
    r"|(?P<dd>\d{1,2}) (?P<dm>[A-Za-z]+) (?P<dy>\d{4})"  # "13 April 2024"
    r"|(?P<mm>[A-Za-z]+) (?P<mmy>\d{4})"  # "January 2018"
)


def _quick(text: str) -> IssueDate | None:
    """What ``_strptime`` reads from the commonest forms, without strptime (a few µs against
    tens: a crawl reads each issue's label once, on a cold cache): ``None`` when the text is
    not one of them, or names no real day, and strptime decides."""
    form = _QUICK_FORMS.fullmatch(text)
    if form is None:
        return None
    if form["md"] is not None:
        name, day, year = form["md"].lower(), form["mday"], form["my"]
        if "," not in text and name not in _FULL_MONTHS:
            return None  # "%B %d %Y": without the comma only the full name is read
    elif form["dd"] is not None:
        name, day, year = form["dm"].lower(), form["dd"], form["dy"]
    else:
        name, day, year = form["mm"].lower(), "", form["mmy"]
    month = _MONTH_NUMBERS.get(name)
    if month is None or year < "1000":  # (strptime's %Y prints such a year unpadded)
        return None
    try:
        parsed = date(int(year), month, int(day or 1))
    except ValueError:
        return None
    if day:
        return IssueDate(parsed.isoformat(), "day")
    return IssueDate(parsed.isoformat()[:7], "month")


def _strptime(text: str) -> IssueDate | None:
    quick = _quick(text)
    if quick is not None:
        return quick
    for reading, precision in _PRINTED_FORMATS:
        try:
            parsed = datetime.strptime(text, reading)
        except ValueError:
            continue
        return IssueDate(parsed.strftime(_ISO_FORMAT[precision]), precision)
    return None


@lru_cache(maxsize=64)
def _dateparser(language: str | None) -> DateDataParser:
    languages = [PRINTED_LANGUAGE]
    if language is not None and language != PRINTED_LANGUAGE:
        languages.append(language)
    try:
        parser = DateDataParser(languages=languages, settings=_DATEPARSER_SETTINGS)
        parser.get_date_data("January 2018")  # unknown codes only fail on first use
    except ValueError:
        parser = DateDataParser(languages=[PRINTED_LANGUAGE], settings=_DATEPARSER_SETTINGS)
    return parser


@lru_cache(maxsize=4096)
def parse_label(label: str, language: str | None = None) -> IssueDate | None:
    """Read a printed issue label; ``language`` (a catalog code) helps dateparser with
    labels outside the grammar. ``None`` when it names no month of a year."""
    text = " ".join(label.replace(".", " ").split())
    if not text:
        return None
    fortnight = _FORTNIGHT.match(text)
    if fortnight is not None:
        text = f"{fortnight['month']} {fortnight['year']}"
    else:
        week = _WEEK_SPAN.match(text)
        if week is not None:
            text = f"{week['month']} {week['day']}{week['rest']}"
        ranged = _MONTH_RANGE.match(text)
        if ranged is not None:
            text = f"{ranged.group(1)} {ranged.group(2)}"
    text = _ORDINAL.sub("", text)
    printed = _strptime(text)
    if printed is not None:
        return printed
    data = _dateparser(None if language == "und" else language).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "month"):
        return None
    precision: Precision = "day" if data.period == "day" else "month"
    return IssueDate(data.date_obj.strftime(_ISO_FORMAT[precision]), precision)


def parse_issue_date(label: str, language: str | None = None) -> str | None:
    """``YYYY-MM-DD`` for a day label, ``YYYY-MM`` for a month or fortnight one, else None."""
    parsed = parse_label(label, language)
    return parsed.iso if parsed is not None else None


def find_label(text: str) -> str | None:
    """The first printed issue label in ``text``, as printed."""
    found = LABEL_RE.search(text)
    return found.group() if found is not None else None


# --- machine dates ----------------------------------------------------------------------------

_ISO_DAY: Final = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_MONTH: Final = re.compile(r"^\d{4}-\d{2}$")


def issue_date(iso: str | None, label: str | None) -> str | None:
    """A machine date (``datetime`` attribute, JSON-LD ``datePublished``) at the precision
    its printed ``label`` shows: a monthly stored as ``2018-01-01`` but printed "January
    2018" is ``2018-01``; so is a fortnightly printed "March Second 2023"."""
    if not iso:
        return None
    iso = iso.strip()
    if _ISO_MONTH.match(iso):
        return iso
    if not _ISO_DAY.match(iso):
        return None
    day = iso[:10]
    if label and label_precision(label) == "month":
        return day[:7]
    return day


# A label outside the grammar names a day when it holds a 1-2 digit number ("13. April
# 2024"); one with only a year ("Summer 2018") belongs to a monthly or rarer issue.
_DAY_NUMBER: Final = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def label_precision(label: str) -> Precision:
    """How precisely a printed label dates its issue."""
    printed = parse_label(label)
    if printed is not None:
        return printed.precision
    return "day" if _DAY_NUMBER.search(label) else "month"


def parse_iso_day(value: str) -> date:
    """A strict ``YYYY-MM-DD`` (raises ValueError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(value)
    return date.fromisoformat(value)


def is_before(issue_iso: str | None, since: date | None) -> bool:
    """True when the issue (day or month precision) lies wholly before ``since``."""
    if since is None or not issue_iso:
        return False
    if _ISO_MONTH.match(issue_iso):
        return issue_iso < since.isoformat()[:7]
    return issue_iso[:10] < since.isoformat()


def stated_moment(value: str | None) -> str | None:
    """A page's own date or date-time (``datePublished``, ``article:modified_time``) as stated,
    when it is ISO 8601 (``2024-11-07``, ``2024-11-07T06:00:00Z``); None for anything else."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def crawl_moment(at: datetime | None = None) -> str:
    """``crawled_at``: the moment an item was read (now, or ``at``, e.g. a WARC record's date),
    in UTC to the second, ISO 8601. One form for every source."""
    return (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
