"""The quick reading of the commonest label forms (``dates._quick``) says what strptime's
formats say, or leaves the label to them."""

from __future__ import annotations

import itertools
import random
from datetime import datetime

from aggregator.site import dates

_NAMES = (
    "November",
    "NOVEMBER",
    "november",
    "Nov",
    "NOV",
    "May",
    "MAY",
    "Sept",
    "Sep",
    "June",
    "Jun",
    "Mayo",
    "Febr",
    "February",
    "Feb",
    "Noviembre",
    "X",
)
_DAYS = ("1", "01", "7", "07", "29", "30", "31", "32", "0", "00", "9")
_YEARS = ("2024", "2023", "1999", "0999", "1000", "9999", "0000")


def _formats_only(text: str) -> dates.IssueDate | None:
    """``_strptime`` as it was: the formats in turn, nothing else."""
    for reading, precision in dates._PRINTED_FORMATS:
        try:
            parsed = datetime.strptime(text, reading)
        except ValueError:
            continue
        return dates.IssueDate(parsed.strftime(dates._ISO_FORMAT[precision]), precision)
    return None


def _labels() -> list[str]:
    labels = []
    for name, day, year in itertools.product(_NAMES, _DAYS, _YEARS):
        labels += [f"{name} {day}, {year}", f"{name} {day} {year}", f"{day} {name} {year}"]
    for name, year in itertools.product(_NAMES, _YEARS):
        labels += [f"{name} {year}", f"{name}, {year}", f"{year} {name}"]
    return labels


def test_the_quick_reading_agrees_with_the_formats() -> None:
    quick = 0
    for label in _labels():
        read = dates._quick(label)
        if read is not None:
            quick += 1
            assert read == _formats_only(label), label
        assert dates._strptime(label) == _formats_only(label), label
    assert quick > 300  # the quick reading takes the common forms


def test_random_labels_read_the_same() -> None:
    rng = random.Random(25)
    pieces = (*_NAMES, *_DAYS, *_YEARS, ",", "-", "2024-11-07", "Second")
    for _ in range(3000):
        label = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
        assert dates._strptime(label) == _formats_only(label), label
