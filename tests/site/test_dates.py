"""Issue dates as the edition line prints them."""

from __future__ import annotations

import pytest

from aggregator.site.dates import parse_issue_date, parse_label


@pytest.mark.parametrize(
    ("label", "language", "expected"),
    [
        ("November 07, 2024", None, "2024-11-07"),
        ("November 07, 2024", "nb", "2024-11-07"),
        ("May 17, 2025", "de", "2025-05-17"),
        ("January 2018", "es", "2018-01"),
        ("13 April 2024", "ar", "2024-04-13"),
        ("Nov. 7th, 2024", None, "2024-11-07"),
        ("2024-11-07", None, "2024-11-07"),
        ("January - February 2018", None, "2018-01"),
        ("January 2018", "und", "2018-01"),
        ("January 2018", "xx-unknown", "2018-01"),
        ("Summer 2018", None, None),
        ("", None, None),
        ("not a date", "en", None),
    ],
)
def test_parse_issue_date(label: str, language: str | None, expected: str | None) -> None:
    assert parse_issue_date(label, language) == expected


def test_parses_are_cached() -> None:
    parse_label.cache_clear()
    parse_issue_date("November 07, 2024", "nb")
    parse_issue_date("November 07, 2024", "nb")
    assert parse_label.cache_info().hits == 1
