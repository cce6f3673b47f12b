"""Spider arguments (``-a name=value``): parsed and checked before any request is made.

A bad value raises ``BadArgument``, whose message is one line naming the argument and the
form it expects. The project's ``crawl`` command prints that line and exits with status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError
from w3lib.url import path_to_file_uri

from aggregator.dates import parse_iso_day


class BadArgument(UsageError):
    def __init__(self, name: str, expected: str, got: object) -> None:
        super().__init__(f"bad argument {name}={got!s}: expected {expected}", print_help=False)
        self.name = name


def check_known(kwargs: dict[str, object], known: tuple[str, ...]) -> None:
    """Reject a misspelt argument rather than ignore it (``max_issue=3`` would do nothing)."""
    for name in kwargs:
        if name not in known and name not in ("_job",):
            raise BadArgument(name, f"one of {', '.join(known)}", kwargs[name])


def parse_start_urls(value: str | None, default: str) -> list[str]:
    """``URL[,URL…]``: http(s) URLs, ``file://`` URLs, or local paths (made ``file://``)."""
    if value is None:
        return [default]
    urls = []
    for raw in str(value).split(","):
        raw = raw.strip()
        if not raw:
            continue
        scheme = urlsplit(raw).scheme.lower()
        if (scheme in ("http", "https") and urlsplit(raw).hostname) or scheme == "file":
            urls.append(raw)
        elif scheme == "" and Path(raw).exists():
            urls.append(path_to_file_uri(Path(raw).resolve()))
        else:
            raise BadArgument(
                "start_urls",
                "URL[,URL…] of http(s):// or file:// pages (or existing local files)",
                raw,
            )
    if not urls:
        raise BadArgument("start_urls", "URL[,URL…]", value)
    return urls


def parse_since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_iso_day(str(value).strip())
    except ValueError:
        raise BadArgument("since", "a date YYYY-MM-DD", value) from None


def parse_positive_int(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise BadArgument(name, "a whole number of 1 or more", value)
    return int(text)


@dataclass(frozen=True)
class IssuesArguments:
    start_urls: list[str]
    since: date | None
    max_issues: int | None

    NAMES = ("start_urls", "since", "max_issues")

    @classmethod
    def parse(cls, kwargs: dict[str, object], default_start: str) -> IssuesArguments:
        check_known(kwargs, cls.NAMES)
        return cls(
            start_urls=parse_start_urls(_opt(kwargs, "start_urls"), default_start),
            since=parse_since(_opt(kwargs, "since")),
            max_issues=parse_positive_int("max_issues", _opt(kwargs, "max_issues")),
        )


def _opt(kwargs: dict[str, object], name: str) -> str | None:
    value = kwargs.get(name)
    return None if value is None else str(value)
