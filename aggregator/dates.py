"""Issue dates: ISO day (``YYYY-MM-DD``) or, for a monthly, ISO month (``YYYY-MM``)."""

from __future__ import annotations

import re
from datetime import date

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"^\d{4}-\d{2}$")
# A printed label names a day when it holds a 1-2 digit number ("November 07, 2024",
# "13 April 2024"); "January 2018" holds only the year: the issue is a monthly.
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")


def label_has_day(label: str) -> bool:
    return _DAY_NUMBER.search(label) is not None


def issue_date(iso: str | None, label: str | None) -> str | None:
    """The issue date at the precision the site prints it.

    ``iso`` is a machine date (``datetime`` attribute, JSON-LD ``datePublished``); ``label``
    the date as printed. A monthly is stored as ``2018-01-01`` but printed "January 2018".
    """
    if not iso:
        return None
    iso = iso.strip()
    if _ISO_MONTH.match(iso):
        return iso
    if not _ISO_DAY.match(iso):
        return None
    day = iso[:10]
    if label and not label_has_day(label):
        return day[:7]
    return day


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
