"""``scrapy crawl``, for people and for schedulers.

- The spider's arguments and the output folders are checked before anything starts. Scrapy
  builds the spider inside the running reactor, where an exception becomes a traceback after
  a page of start-up logs; checking first ends a run with a bad ``-a`` value or an output
  folder that cannot be written with one line on stderr and exit status 2.
- It installs the project's feeds (``aggregator.feeds.names.PROJECT_FEEDS``; ``-o``/``-O`` and
  ``-s FEEDS=…`` still win): only a crawl writes them.
- With ``AGGREGATOR_INDEX`` set, what the run published is indexed at its end
  (``aggregator.index.index_run``, called by ``aggregator.extensions.publish``); a URL of no known
  scheme, or an index file that cannot be written or is no index, is a bad setting
  (``aggregator.index.checks``); so is a bad state file (``aggregator.state.checks``).
- With ``AGGREGATOR_FRONTIER``, the crawl is one worker of a crawl shared through a Valkey or
  Redis server (``aggregator.frontier``): the server must answer before anything starts.
- Its last line is the run's summary (``aggregator.extensions.publish``), and its exit status the
  verdict: 0 healthy, 1 unhealthy, 2 bad arguments or settings.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
import tempfile
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader

from aggregator.commands.spider_help import add_spider_arguments_help
from aggregator.extensions.gc_tuning import gc_settings_problem
from aggregator.extensions.health import HEALTHY
from aggregator.feeds.names import PROJECT_FEEDS, output_dir
from aggregator.feeds.stats_file import stats_file
from aggregator.frontier.connection import configure as frontier_configure
from aggregator.index import url_problem
from aggregator.index.checks import index_file_problem
from aggregator.spiders.arguments import argument_error
from aggregator.state.backend import is_pg_url
from aggregator.state.checks import state_settings_problem
from aggregator.utils.process import crawler_process
from aggregator.utils.renamed_settings import apply_renames

# Another run holds the state file: not a failure of this run, try again later.
LOCKED = 3


class Command(ScrapyCrawlCommand):
    # The crawler process is made in run(), once the arguments are known to be good:
    # making it starts Scrapy's logging.
    requires_crawler_process = False

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        assert self.settings is not None
        add_spider_arguments_help(parser, self.settings)  # -h lists the spider's -a arguments

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        apply_renames(self.settings)
        if len(args) == 1:
            error = (
                self._check_arguments(args[0], dict(opts.spargs))
                or frontier_configure(self.settings)  # sets OUTPUT_DIR's %(worker)s
                or self._check_outputs()
                or gc_settings_problem(self.settings)
            )
            if error:
                print(f"scrapy crawl {args[0]}: {error}", file=sys.stderr)
                self.exitcode = 2
                return
        state = self.settings.get("AGGREGATOR_STATE")
        if state:
            # a ledger shared through the frontier's server has no file to lock: its workers
            # run together; a PostgreSQL ledger alone is locked in its server
            held = None
            if self.settings.get("AGGREGATOR_FRONTIER"):
                pass
            elif is_pg_url(str(state)):
                held = self._lock_pg(str(state))
            else:
                held = self._lock(Path(str(state)))
            if held is not None:
                print(f"scrapy crawl {args[0] if args else ''}: {held}", file=sys.stderr)
                self.exitcode = LOCKED
                return
        else:  # incremental runs publish run folders instead
            self.settings.set("FEEDS", PROJECT_FEEDS, priority="command")
        self.crawler_process = crawler_process(self.settings)
        if len(args) != 1:
            super().run(args, opts)  # Scrapy's usage errors
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        try:
            stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        except RuntimeError:  # the crawl never started (Scrapy logged why)
            stats = {}
        summary = stats.get("aggregator/health/summary")
        if summary and not self._logged_to_stderr(
            stats.get("aggregator/health/verdict") == HEALTHY
        ):
            print(summary, file=sys.stderr)
        health = stats.get("aggregator/health/verdict")  # None when the Health extension is off
        if self.crawler_process.bootstrap_failed or health not in (None, HEALTHY):
            self.exitcode = 1

    def _lock(self, state: Path) -> str | None:
        """Hold ``<state>.lock`` for the process's life; why not, when another run holds it."""
        state.parent.mkdir(parents=True, exist_ok=True)
        self._lock_file = (state.parent / f"{state.name}.lock").open("a+")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return f"the state file {state} is in use by another run (exit {LOCKED}); try later"
        return None

    def _lock_pg(self, url: str) -> str | None:
        """Hold the PostgreSQL ledger's run lock for the process's life; why not."""
        from aggregator.state.pg_ledger import LedgerUnavailable, hold_lock

        try:
            self._lock_db, held = hold_lock(url)
        except LedgerUnavailable as error:  # went away since the check: try later, as held
            return str(error)
        return held and f"{held} (exit {LOCKED}); try later"

    def _logged_to_stderr(self, healthy: bool) -> bool:
        """Whether the log (on stderr) already ended with the summary line."""
        assert self.settings is not None
        level = logging.getLevelName(str(self.settings.get("LOG_LEVEL", "DEBUG")).upper())
        summary_level = logging.INFO if healthy else logging.WARNING
        return (
            self.settings.getbool("LOG_ENABLED", True)
            and not self.settings.get("LOG_FILE")
            and isinstance(level, int)
            and summary_level >= level
        )

    def _check_arguments(self, spider: str, kwargs: dict[str, str]) -> str | None:
        assert self.settings is not None
        try:
            spidercls = get_spider_loader(self.settings).load(spider)
        except KeyError:
            return None  # Scrapy says it: "Spider not found"
        return argument_error(spidercls, self.settings, kwargs)

    def _check_outputs(self) -> str | None:
        """``OUTPUT_DIR`` and the stats file's folder exist (or can be made) and take a file."""
        assert self.settings is not None
        if not self.settings.getbool("AGGREGATOR_HEALTH_ENABLED", True):
            # the verdict is what publishes the feeds: a crawl without it would write nothing
            return (
                "bad setting AGGREGATOR_HEALTH_ENABLED: a crawl needs its verdict (it publishes "
                "the feeds); only parse, fetch, shell and view turn it off"
            )
        output = output_dir(self.settings)
        folders = [("OUTPUT_DIR", output)]
        path = stats_file(self.settings)
        if path is not None and str(path.parent) != output:
            folders.append(("AGGREGATOR_STATS_FILE", str(path.parent)))
        for setting, folder in folders:
            problem = _unwritable(Path(folder))
            if problem:
                return f"bad setting {setting}: {folder} {problem}"
        index = self.settings.get("AGGREGATOR_INDEX")
        problem = (url_problem(str(index)) or index_file_problem(str(index))) if index else None
        if problem:
            return f"bad setting AGGREGATOR_INDEX: {problem}"
        return state_settings_problem(self.settings)


def _unwritable(folder: Path) -> str | None:
    """Why ``folder`` cannot take the run's files, or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot be made ({error.strerror or error})"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "is not writable"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"is not writable ({error.strerror or error})"
    return None
