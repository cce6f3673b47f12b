"""Spider arguments (``-a name=value``): parsed and checked before any request is made.

A bad value raises ``BadArgument``, whose message is one line naming the argument and the
form it expects. The project's ``crawl`` command prints that line and exits with status 2.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from w3lib.url import path_to_file_uri

from aggregator.site.dates import parse_iso_day


class BadArgument(UsageError):
    def __init__(self, name: str, expected: str, got: object) -> None:
        super().__init__(f"bad argument {name}={got!s}: expected {expected}", print_help=False)
        self.name = name


def argument_error(spidercls: type, settings: BaseSettings, kwargs: dict[str, str]) -> str | None:
    """Why the ``-a`` arguments do not suit ``spidercls`` (its ``check_arguments``), or None:
    the one line ``crawl`` and ``parse`` print before exiting with status 2."""
    check = getattr(spidercls, "check_arguments", None)
    if check is not None:
        try:
            check(settings, kwargs)
        except BadArgument as error:
            return str(error)
    return None


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
        if scheme in ("http", "https"):
            problem = web_url_problem(raw)
            if problem:
                raise BadArgument("start_urls", f"http(s) URLs with {problem}", raw)
            urls.append(raw)
        elif scheme == "file":
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


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def web_url_problem(url: str) -> str | None:
    """What an http(s) URL lacks to be fetched (``a valid host name, not 'exa mple.com'``),
    or None. Checked here, before any middleware builds a request from it."""
    if any(c.isspace() or ord(c) < 32 for c in url):
        return "no spaces or control characters in them"
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return f"a port from 1 to 65535, not {parts.netloc.rsplit(':', 1)[-1]!r}"
    if port == 0:
        return "a port from 1 to 65535, not 0"
    host = parts.hostname
    if not host:
        return "a host"
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return f"a valid host name, not {host!r}"
    if not all(_LABEL.fullmatch(label) for label in ascii_host.split(".")):
        return f"a valid host name, not {host!r}"
    return None


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
