"""A bad argument stops the run before any request: one line naming it, no traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aggregator.arguments import BadArgument, IssuesArguments
from tests.crawl import run_crawl

DEFAULT = "file:///mirror/index.html"


@pytest.mark.parametrize(
    ("argument", "named", "expected"),
    [
        ("since=2024-13-01", "since", "YYYY-MM-DD"),
        ("since=yesterday", "since", "YYYY-MM-DD"),
        ("max_issues=0", "max_issues", "whole number"),
        ("max_issues=three", "max_issues", "whole number"),
        ("start_urls=ftp://example.com/x", "start_urls", "http(s)://"),
        ("max_issue=3", "max_issue", "one of start_urls, since, max_issues"),
    ],
)
def test_bad_argument_is_one_line_and_no_request(
    tmp_path: Path, argument: str, named: str, expected: str
) -> None:
    result = run_crawl("issues", tmp_path / "out", "-a", argument)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"bad argument {named}=" in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()  # no feed was even opened


def test_arguments_parse() -> None:
    parsed = IssuesArguments.parse(
        {
            "start_urls": "https://www.magzter.com/a, file:///m/index.html",
            "since": "2024-11-01",
            "max_issues": "2",
        },
        DEFAULT,
    )
    assert parsed.start_urls == ["https://www.magzter.com/a", "file:///m/index.html"]
    assert parsed.since == date(2024, 11, 1)
    assert parsed.max_issues == 2


def test_defaults_crawl_the_samples() -> None:
    parsed = IssuesArguments.parse({}, DEFAULT)
    assert parsed == IssuesArguments([DEFAULT], None, None)


def test_local_path_becomes_file_url(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<html></html>")
    parsed = IssuesArguments.parse({"start_urls": str(page)}, DEFAULT)
    assert parsed.start_urls == [page.resolve().as_uri()]


def test_missing_local_path_is_a_bad_argument(tmp_path: Path) -> None:
    with pytest.raises(BadArgument, match="start_urls"):
        IssuesArguments.parse({"start_urls": str(tmp_path / "nope.html")}, DEFAULT)
