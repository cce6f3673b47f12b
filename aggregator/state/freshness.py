"""What an incremental run need not fetch again: ``Freshness``, the run's view of the pages
published runs read (the ledger's ``seen``) and of the pages this run reads (``reads``).

- A story page a published run read is skipped until it is due: read more than
  ``AGGREGATOR_STATE_REFRESH_DAYS`` days ago (0: never due). A due story is asked with
  ``If-None-Match`` / ``If-Modified-Since`` when the ledger holds its validators; a ``304``
  is an unchanged story (no item, no body).
- An issue page is recorded as seen when every story it lists was read into an article or
  is missing from the site (by this run or by a published one): it is then skipped until
  due, like a story. An issue with a lost story is fetched again, so the lost story is asked
  again; a missing one is asked again when its issue is due.
- A catalog or publication page is never skipped (new issues appear there); when a published
  run read it with validators it is asked conditionally, and its text is kept (compressed)
  to be read again on a ``304`` (``aggregator.downloadermiddlewares.not_modified``).
- ``AGGREGATOR_STATE_REFRESH=all``: nothing is skipped and nothing asked conditionally, for
  one run (after a change of the cleaning rules); what it reads is recorded as ever.

What it reads is recorded per run and becomes ``seen`` only when the run is published
(``Ledger.mark_published``, one transaction with its items), so a stopped run skips nothing
it did not publish.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aggregator.state.backend import LedgerBackend

# Story and issue pages change seldom once published (a correction, a late edit): a month.
DEFAULT_REFRESH_DAYS = 30.0
REFRESH_VALUES = ("", "all")

STORY = "story"
ISSUE = "issue"
PAGE = "page"  # a catalog or publication page: always fetched, conditionally when known
MISSING = "missing"  # a story page the site does not have: settled, asked again when due


@dataclass(frozen=True)
class Decision:
    """What to do with a request for a page the ledger may know."""

    skip: bool = False
    known: bool = False  # a published run read it
    etag: str | None = None
    last_modified: str | None = None

    @property
    def conditional(self) -> bool:
        return bool(self.etag or self.last_modified)


FETCH = Decision()


def refresh_problem(value: str, days: str) -> str | None:
    """Why the refresh settings are bad, or None (checked before a crawl starts)."""
    if value not in REFRESH_VALUES:
        return f"bad setting AGGREGATOR_STATE_REFRESH: {value!r} (only 'all', or unset)"
    try:
        number = float(days)
    except ValueError:
        number = -1.0
    if not number >= 0:  # NaN too
        return f"bad setting AGGREGATOR_STATE_REFRESH_DAYS: {days!r} (a number of days, >= 0)"
    return None


class Freshness:
    def __init__(
        self,
        ledger: LedgerBackend,
        run_id: str,
        refresh_days: float = DEFAULT_REFRESH_DAYS,
        refresh_all: bool = False,
        now: datetime | None = None,
    ) -> None:
        self.ledger = ledger
        self.run_id = run_id
        self.refresh_all = refresh_all
        moment = now or datetime.now(UTC)
        # ISO stamps of one form compare as strings: due when read before the cutoff (to the
        # microsecond: a fraction of a day, as tests use, must not round to the same second)
        self.cutoff = (
            (moment - timedelta(days=refresh_days)).isoformat(timespec="microseconds")
            if refresh_days > 0
            else ""
        )
        self.known_stories = ledger.count_seen(STORY)  # at the start of the run
        self.known_issues = ledger.count_seen(ISSUE)

    def decide(self, kind: str, url: str) -> Decision:
        row = self.ledger.seen(kind, url)
        if row is None:
            return FETCH
        if self.refresh_all:  # read whole again, as if new
            return Decision(known=True)
        read_at, etag, last_modified = row
        if kind == PAGE:  # never skipped: where new issues appear
            return Decision(known=True, etag=etag, last_modified=last_modified)
        if not self.cutoff or read_at >= self.cutoff:
            return Decision(skip=True, known=True)
        if kind != STORY:  # an issue page due is read whole: its links are what counts
            return Decision(known=True)
        return Decision(known=True, etag=etag, last_modified=last_modified)

    def read(
        self,
        kind: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        body: bytes | None = None,
    ) -> None:
        self.ledger.record_read(self.run_id, kind, url, etag, last_modified, body)

    def page_text(self, url: str) -> str | None:
        """The text of a catalog or publication page a published run read, or None."""
        body = self.ledger.seen_body(PAGE, url)
        return zlib.decompress(body).decode("utf-8") if body is not None else None

    def read_page(self, url: str, etag: str | None, last_modified: str | None, text: str) -> None:
        body = zlib.compress(text.encode("utf-8"), 6)
        self.read(PAGE, url, etag, last_modified, body)

    def list_issue(self, issue_url: str, story_urls: list[str]) -> None:
        self.ledger.list_stories(self.run_id, issue_url, story_urls)

    def settle_issues(self) -> int:
        """Record as read the issues this run read every story of which was read into an
        article, or is missing from the site (404, 410), by this run or a published one."""
        return self.ledger.settle_issues(self.run_id, (STORY, MISSING))
