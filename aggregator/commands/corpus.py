"""``scrapy corpus run INPUT… -s OUTPUT_DIR=DIR [--workers N] [--engine local|ray]``: the dumps
extraction over many corpus shards, one task a shard, and the merged feeds (see
aggregator/corpus/runner.py and docs/corpus.md).

An INPUT is a WARC/WET/dump file, a folder or glob of them, or a paths list. The ``-s``
settings given here are passed on to every task (``AGGREGATOR_PROMPTS_LANGUAGES``, …).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.settings import SETTINGS_PRIORITIES

from aggregator.corpus.executors import ENGINES, EngineUnavailable
from aggregator.corpus.inputs import InputError
from aggregator.corpus.runner import RunLocked, run_corpus

# settings of the run itself, not handed down to its tasks
OWN = {"OUTPUT_DIR", "AGGREGATOR_STATS_FILE", "LOG_LEVEL", "LOG_FILE", "LOG_ENABLED"}


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "run INPUT [INPUT ...]"

    def short_desc(self) -> str:
        return "Run the dumps extraction over many WARC/WET shards, one task a shard, and merge"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--workers", default=str(os.cpu_count() or 1), help="tasks at once")
        parser.add_argument("--engine", default="local", help=f"one of {', '.join(ENGINES)}")
        parser.add_argument("--retries", default="1", help="tries again of a failed task")
        parser.add_argument("--timeout", default="", help="seconds a task may take (none)")

    def fail(self, message: str) -> None:
        print(f"scrapy corpus: {message}", file=sys.stderr)
        self.exitcode = 2

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not args or args[0] != "run" or len(args) < 2:
            self.fail("usage: scrapy corpus run INPUT [INPUT ...] -s OUTPUT_DIR=DIR")
            return
        numbers = {}
        for name, low in (("workers", 1), ("retries", 0)):
            value = str(getattr(opts, name)).strip()
            if not value.isdigit() or int(value) < low:
                self.fail(f"bad argument --{name}={value}: expected a number, {low} or more")
                return
            numbers[name] = int(value)
        timeout = None
        if str(opts.timeout).strip():
            try:
                timeout = float(opts.timeout)
            except ValueError:
                timeout = -1.0
            if timeout <= 0:
                self.fail(f"bad argument --timeout={opts.timeout}: expected seconds, over 0")
                return
        if opts.engine not in ENGINES:
            self.fail(f"bad argument --engine={opts.engine}: expected one of {', '.join(ENGINES)}")
            return
        cmdline = SETTINGS_PRIORITIES["cmdline"]
        passed = {
            name: str(self.settings[name])
            for name in self.settings
            if self.settings.getpriority(name) == cmdline and name not in OWN
        }
        try:
            outcome = run_corpus(
                args[1:],
                Path(str(self.settings.get("OUTPUT_DIR"))),
                engine=opts.engine,
                workers=numbers["workers"],
                retries=numbers["retries"],
                timeout=timeout,
                settings=passed,
            )
        except InputError as error:
            self.fail(f"bad input {error.raw}: {error.why}")
            return
        except (EngineUnavailable, RunLocked) as error:
            self.fail(str(error))
            return
        print(outcome.summary, flush=True)
        self.exitcode = outcome.exitcode
