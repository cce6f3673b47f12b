"""``scrapy index [PATH …]``: load feeds into the search index (``AGGREGATOR_INDEX``, by
default ``sqlite:///OUTPUT_DIR/index.sqlite``).

A PATH is an ``OUTPUT_DIR`` (its two feeds and every run folder under ``runs/``, in order)
or a feed file; none: ``OUTPUT_DIR``. Upserts by id, one transaction per file, and prints
what it did (``indexed 45 articles, 69 teasers: 12 new, 3 updated, 99 unchanged``). Exit
status: 0 done, 1 a malformed feed line (file and line named; nothing of that file loaded,
the files before it are), 2 bad arguments or an index that cannot be opened.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

from aggregator.index import FeedError, IndexUnavailable, command_index_url, open_index
from aggregator.index.loader import feed_files, load


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[PATH ...]"

    def short_desc(self) -> str:
        return "Load feeds (an OUTPUT_DIR, run folders, feed files) into the search index"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        paths = [Path(arg) for arg in args] or [Path(str(self.settings.get("OUTPUT_DIR")))]
        try:
            feed_files(paths)  # a bad path is a bad argument, found before anything is opened
            index = open_index(command_index_url(self.settings))
        except (FeedError, IndexUnavailable) as error:
            print(f"scrapy index: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        try:
            loaded = load(index, paths)
        except FeedError as error:
            print(f"scrapy index: {error}; nothing of that file was loaded", file=sys.stderr)
            self.exitcode = 1
            return
        finally:
            index.close()
        print(f"indexed {loaded.counts.summary()} ({len(loaded.files)} feed files)")
