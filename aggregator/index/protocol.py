"""What every index engine offers (``SqliteIndex``, ``PostgresIndex``), and the records it
stores and returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

ItemType = Literal["article", "teaser"]
CHANGES = ("new", "updated", "unchanged")


@dataclass(frozen=True, slots=True)
class IndexItem:
    """One feed record as the index keeps it; ``body`` is the searched text under the title
    (an article's standfirst and body, a teaser's summary)."""

    type: ItemType
    id: str
    title: str
    body: str
    hash: str
    url: str | None = None
    publication: str | None = None
    language: str | None = None
    issue_date: str | None = None
    story_id: str | None = None  # a teaser's article
    # the feed record as JSON, an article's body left out (``body`` has it): the fields the
    # browser shows (aggregator/index/views.py); the SQLite engine keeps it, PostgreSQL not
    record: str | None = None


@dataclass
class Counts:
    """What an upsert did, by item type and change (``new``, ``updated``, ``unchanged``)."""

    by_type: Counter[str] = field(default_factory=Counter)
    by_change: Counter[str] = field(default_factory=Counter)

    def add(self, item_type: str, change: str, number: int = 1) -> None:
        self.by_type[item_type] += number
        self.by_change[change] += number

    def __iadd__(self, other: Counts) -> Counts:
        self.by_type.update(other.by_type)
        self.by_change.update(other.by_change)
        return self

    def summary(self) -> str:
        """``45 articles, 69 teasers: 12 new, 3 updated, 99 unchanged``."""
        kinds = ", ".join(f"{self.by_type[t]} {t}s" for t in ("article", "teaser"))
        changes = ", ".join(f"{self.by_change[c]} {c}" for c in CHANGES)
        return f"{kinds}: {changes}"


@dataclass(frozen=True)
class Filters:
    type: ItemType | None = None
    publication: str | None = None  # exact, case-blind
    language: str | None = None  # primary subtag or full tag: ``nb`` finds ``nb`` and ``nb-NO``
    since: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD, on issue_date, inclusive
    until: str | None = None
    limit: int = 10


@dataclass
class Result:
    id: str
    type: ItemType
    title: str
    url: str | None
    publication: str | None
    issue_date: str | None
    language: str | None
    score: float
    snippet: str
    story_id: str | None = None
    teasers: int | None = None  # an article: the teaser cards that point to it
    premium: bool | None = None  # a teaser: its story is not in the index (never crawled)

    @classmethod
    def from_row(cls, row: Sequence[Any], snippet: str) -> Result:
        """A result from the columns both engines select first, in this order: id, type,
        title, url, publication, issue_date, language, story_id, score."""
        return cls(
            id=row[0],
            type=row[1],
            title=row[2],
            url=row[3],
            publication=row[4],
            issue_date=row[5],
            language=row[6],
            story_id=row[7],
            score=float(row[8]),
            snippet=snippet,
        )

    def as_json(self) -> dict[str, Any]:
        record = {
            "id": self.id,
            "type": self.type,
            "title": self.title,
            "url": self.url,
            "publication": self.publication,
            "issue_date": self.issue_date,
            "language": self.language,
            "score": round(self.score, 6),
            "snippet": self.snippet,
        }
        if self.type == "article":
            record["teasers"] = self.teasers
        else:
            record["story_id"] = self.story_id
            record["premium"] = self.premium
        return record


class Index(Protocol):
    """A search index. ``upsert`` outside ``transaction`` commits at once."""

    def transaction(self) -> AbstractContextManager[None]:
        """Everything upserted inside is committed together, or nothing of it."""
        ...

    def upsert(self, items: Iterable[IndexItem]) -> Counts: ...

    def search(self, query: str, filters: Filters) -> list[Result]:
        """Ranked results; ``QueryError`` for a query that cannot be searched."""
        ...

    def articles(self, ids: list[str]) -> list[Result]:
        """The articles of ``ids`` the index holds, as results (``teasers`` counted)."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def batches(items: Iterable[IndexItem], size: int) -> Iterator[list[IndexItem]]:
    """``items`` in lists of ``size``, the last of each ``(type, id)`` kept."""
    batch: dict[tuple[str, str], IndexItem] = {}
    for item in items:
        batch[(item.type, item.id)] = item
        if len(batch) >= size:
            yield list(batch.values())
            batch = {}
    if batch:
        yield list(batch.values())


class IndexUnavailable(RuntimeError):
    """The index cannot be opened (FTS5 missing, a server not reachable, a bad URL), and why."""


def filter_conditions(filters: Filters, mark: str) -> tuple[list[str], list[Any]]:
    """SQL conditions on the items ``i`` for ``filters``, ``mark`` the engine's placeholder.
    ``until`` keeps every date it starts (``2024-11`` keeps ``2024-11-30``): string order
    is date order for ISO dates."""
    where: list[str] = []
    parameters: list[Any] = []
    if filters.type:
        where.append(f"i.type = {mark}")
        parameters.append(filters.type)
    if filters.publication:
        where.append(f"lower(i.publication) = lower({mark})")
        parameters.append(filters.publication)
    if filters.language:
        where.append(f"(lower(i.language) = lower({mark}) OR lower(i.language) LIKE lower({mark}))")
        parameters += [filters.language, f"{filters.language}-%"]
    if filters.since:
        where.append(f"i.issue_date >= {mark}")
        parameters.append(filters.since)
    if filters.until:
        where.append(f"i.issue_date <= {mark}")
        parameters.append(f"{filters.until}\uffff")
    return where, parameters
