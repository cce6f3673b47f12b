"""The search index the crawler's feeds go into: ``open_index(url)`` for an
``AGGREGATOR_INDEX`` URL (``sqlite:///path`` or ``postgresql://…``), one interface
(``aggregator.index.protocol.Index``) for both engines, and ``index_published``: the crawl's
hook that indexes what a finished run published (``index_run``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aggregator.feeds.names import output_dir
from aggregator.index.loader import FeedError, load
from aggregator.index.protocol import Counts, Filters, Index, IndexUnavailable, Result
from aggregator.index.query import QueryError

__all__ = [
    "Counts",
    "FeedError",
    "Filters",
    "Index",
    "IndexUnavailable",
    "QueryError",
    "Result",
    "command_index_url",
    "default_url",
    "index_run",
    "open_index",
    "sqlite_path",
    "url_problem",
]

logger = logging.getLogger(__name__)


def default_url(output_dir: str | Path) -> str:
    """``sqlite:///OUTPUT_DIR/index.sqlite``: ``scrapy index`` and ``scrapy search``'s default."""
    return f"sqlite:///{Path(output_dir) / 'index.sqlite'}"


def command_index_url(settings: Any) -> str:
    """``AGGREGATOR_INDEX``, else the default of ``scrapy index`` and ``scrapy search``."""
    url = str(settings.get("AGGREGATOR_INDEX") or "")
    return url or default_url(output_dir(settings))


def url_problem(url: str) -> str | None:
    """Why ``url`` is no index URL, or None: checked before a crawl starts."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme not in ("sqlite", "postgresql", "postgres"):
        return (
            f"{url!r} is no index URL: use sqlite:///path/index.sqlite or "
            "postgresql://user@host:port/db"
        )
    return None


def sqlite_path(url: str) -> str:
    """The file of a ``sqlite://`` URL in SQLAlchemy's form (``sqlite:///relative/path``,
    ``sqlite:////absolute/path``); empty when it names none."""
    return url[len("sqlite:///") :] if url[len("sqlite://") :].startswith("/") else ""


def open_index(url: str, create: bool = True) -> Index:
    """The index at ``url``; ``IndexUnavailable`` (one line, why) when it cannot be opened,
    or, without ``create``, when a SQLite index file is not there yet."""
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme == "sqlite":
        from aggregator.index.sqlite import SqliteIndex

        path = sqlite_path(url)
        if not path:
            raise IndexUnavailable(f"{url!r} names no file: write sqlite:///path/index.sqlite")
        if not create and not Path(path).is_file():
            raise IndexUnavailable(f"no index at {path}: load feeds into it with scrapy index")
        return SqliteIndex(Path(path))
    if scheme in ("postgresql", "postgres"):
        try:
            from aggregator.index.postgres import PostgresIndex
        except ImportError as error:  # psycopg is the optional extra "postgres"
            raise IndexUnavailable(
                f"a postgresql:// index needs psycopg: pip install 'aggregator[postgres]' ({error})"
            ) from error
        return PostgresIndex(url)
    raise IndexUnavailable(url_problem(url) or url)


def index_run(url: str, paths: Sequence[str | Path], stats: Any) -> tuple[str, str | None]:
    """Index the feeds or run folder a crawl just published (``AGGREGATOR_INDEX``): the
    summary's part and, when it failed, why (the run is then unhealthy; its feeds stay
    published). Stats ``aggregator/index/articles``, ``…/teasers``, ``…/new``,
    ``…/updated``, ``…/unchanged``; ``…/failed`` on a failure."""
    try:
        index = open_index(url)
        try:
            counts = load(index, [Path(p) for p in paths]).counts if paths else Counts()
        finally:
            index.close()
    except (IndexUnavailable, FeedError, OSError) as error:
        stats.set_value("aggregator/index/failed", 1)
        return "not indexed", f"indexing failed: {error}"
    except Exception as error:  # a database error of either engine: say it, do not crash
        stats.set_value("aggregator/index/failed", 1)
        return "not indexed", f"indexing failed: {type(error).__name__}: {error}"
    stats.set_value("aggregator/index/articles", counts.by_type["article"])
    stats.set_value("aggregator/index/teasers", counts.by_type["teaser"])
    stats.set_value("aggregator/index/new", counts.by_change["new"])
    stats.set_value("aggregator/index/updated", counts.by_change["updated"])
    stats.set_value("aggregator/index/unchanged", counts.by_change["unchanged"])
    return f"indexed {counts.summary()}", None
