"""The checks ``scrapy crawl`` makes on the state settings before anything starts: a
scheduler that meets a bad one gets one line on stderr and exit status 2, and nothing is
touched (no lock file, no state file made).

``AGGREGATOR_STATE``: not a folder, in a folder that can be written, and, when it exists, an
SQLite state file of this schema version or of the one migrated (``aggregator.state.schema``);
with ``AGGREGATOR_FRONTIER``, the name of a ledger in its server (``aggregator.state.backend``);
``AGGREGATOR_STATE_REFRESH`` and ``…_REFRESH_DAYS`` values; ``AGGREGATOR_STATE_KEEP_RUNS`` a
count.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import BaseSettings

from aggregator.state.backend import ledger_name_problem
from aggregator.state.freshness import DEFAULT_REFRESH_DAYS, refresh_problem
from aggregator.state.schema import state_file_problem


def state_settings_problem(settings: BaseSettings) -> str | None:
    """Why the incremental run's settings are bad, in one line, or None."""
    path = settings.get("AGGREGATOR_STATE")
    if not path:
        return None
    if settings.get("AGGREGATOR_FRONTIER"):  # a ledger in the frontier's server, by name
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
