"""The incremental ledger's two homes, behind one protocol (``LedgerBackend``) so that its
callers (``StateRun``, ``Freshness``, the incremental middleware, ``Publish``) never branch:

- alone, ``AGGREGATOR_STATE=PATH``: the SQLite state file (``aggregator.state.ledger``);
- with ``AGGREGATOR_FRONTIER``, ``AGGREGATOR_STATE=NAME``: the ledger named ``NAME`` in the
  frontier's Valkey/Redis server (``aggregator.state.shared_ledger``), shared by every worker
  of the crawl, so that what was published, and what published runs read, is crawl-wide.

``open_ledger`` picks one from the settings; ``ledger_name_problem`` is the crawl command's
check of a shared ledger's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from scrapy.settings import BaseSettings

# a key namespace, not a file: no path separators, nothing the server's key patterns read
LEDGER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class LedgerBackend(Protocol):
    """What an incremental run asks of its ledger (``aggregator.state.ledger.Ledger``'s
    methods, whose docstrings say what each means)."""

    def close(self) -> None: ...
    def publishing_run(self) -> str | None: ...
    def reopen(self, run_id: str) -> None: ...
    def open_run(self, now: datetime | None = None) -> tuple[str, bool]: ...
    def stage(self, run_id: str, kind: str, record: dict[str, Any]) -> str: ...
    def page_done(self, run_id: str, url: str) -> None: ...
    def done_pages(self, run_id: str) -> Iterator[str]: ...
    def staged(self, run_id: str, kind: str) -> Iterator[str]: ...
    def staged_counts(self, run_id: str) -> dict[str, int]: ...
    def record_read(
        self,
        run_id: str,
        kind: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        body: bytes | None = None,
    ) -> None: ...
    def seen_body(self, kind: str, url: str) -> bytes | None: ...
    def seen(self, kind: str, url: str) -> tuple[str, str | None, str | None] | None: ...
    def read_in_run(self, run_id: str, kind: str, url: str) -> bool: ...
    def list_stories(self, run_id: str, issue: str, urls: list[str]) -> None: ...
    def settle_issues(self, run_id: str, settled: tuple[str, ...]) -> int: ...
    def count_seen(self, kind: str) -> int: ...
    def begin_publishing(self, run_id: str) -> None: ...
    def mark_published(self, run_id: str) -> None: ...


def ledger_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a shared ledger, in one line, or None."""
    if LEDGER_NAME.match(name):
        return None
    return (
        f"bad setting AGGREGATOR_STATE: {name!r}: with AGGREGATOR_FRONTIER it names the ledger "
        "in the frontier's server (letters, digits, '.', '_', '-'), not a file"
    )


def open_ledger(settings: BaseSettings, spider: str) -> LedgerBackend:
    """The ledger of ``AGGREGATOR_STATE``: shared through the frontier's server when there is
    one, else the SQLite state file."""
    name = str(settings.get("AGGREGATOR_STATE"))
    if settings.get("AGGREGATOR_FRONTIER"):
        from aggregator.feeds.names import output_dir
        from aggregator.frontier.connection import Keys, connect, worker_name
        from aggregator.state.shared_ledger import SharedLedger

        return SharedLedger(
            connect(str(settings.get("AGGREGATOR_FRONTIER"))),
            name,
            worker_name(settings),
            Keys.of(settings, spider).prefix,
            str(Path(output_dir(settings)).absolute() / "runs"),
        )
    from aggregator.state.ledger import Ledger

    return Ledger(Path(name))
