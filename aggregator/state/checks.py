"""The checks ``scrapy crawl`` makes on the state settings before anything starts: a
scheduler that meets a bad one gets one line on stderr and exit status 2, and nothing is
touched (no lock file, no state file made).

``AGGREGATOR_STATE``: not a folder, in a folder that can be written, and, when it exists, an
SQLite state file of this schema version or of the one migrated (``aggregator.state.schema``);
with ``AGGREGATOR_FRONTIER``, the name of a ledger in its server (``aggregator.state.backend``);
a ``postgresql://`` URL, a server that answers (``aggregator.state.pg_ledger``);
``AGGREGATOR_STATE_REFRESH`` and ``…_REFRESH_DAYS`` values; ``AGGREGATOR_STATE_KEEP_RUNS`` a
count.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from aggregator.state.backend import is_pg_url, ledger_name_problem
from aggregator.state.freshness import DEFAULT_REFRESH_DAYS, refresh_problem
from aggregator.state.schema import state_file_problem


def state_settings_problem(settings: BaseSettings) -> str | None:
    """Why the incremental run's settings are bad, in one line, or None."""
    path = settings.get("AGGREGATOR_STATE")
    if not path:
        return None
    if is_pg_url(str(path)):
        problem = _pg_ledger_problem(str(path))
    elif settings.get("AGGREGATOR_FRONTIER"):  # a ledger in the frontier's server, by name
        problem = ledger_name_problem(str(path))
    else:
        problem = state_file_problem(Path(str(path)))
        problem = problem and f"bad setting AGGREGATOR_STATE: {problem}"
    if problem:
        return problem
    problem = refresh_problem(
        str(settings.get("AGGREGATOR_STATE_REFRESH") or ""),
        str(settings.get("AGGREGATOR_STATE_REFRESH_DAYS", DEFAULT_REFRESH_DAYS)),
    )
    if problem:
        return problem
    keep = str(settings.get("AGGREGATOR_STATE_KEEP_RUNS", 0))
    if not keep.isdigit():
        return f"bad setting AGGREGATOR_STATE_KEEP_RUNS: {keep!r} (a count of run folders, >= 0)"
    return None


def _pg_ledger_problem(url: str) -> str | None:
    try:
        from aggregator.state.pg_ledger import ledger_url_problem
    except ImportError as error:  # psycopg is the optional extra "postgres"
        return (
            "bad setting AGGREGATOR_STATE: a postgresql:// ledger needs psycopg: "
            f"pip install 'aggregator[postgres]' ({error})"
        )
    return ledger_url_problem(url)
