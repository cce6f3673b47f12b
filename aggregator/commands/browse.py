"""``scrapy browse``: the search index (``AGGREGATOR_INDEX``, by default
``sqlite:///OUTPUT_DIR/index.sqlite``) as a Datasette site on ``--host``:``--port``
(127.0.0.1:8001), read-only; prints the URL and serves until Ctrl-C.

``--immutable`` for an index nobody writes while it is served (a copy, a published
archive); without it the connections are read-only and a crawl may go on writing. The
browser reads SQLite only: a PostgreSQL index is refused. Exit status 2 for a bad argument,
an index that is not there or cannot be browsed, or Datasette missing (the optional extra
``aggregator[browse]``).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand

from aggregator.browse import missing
from aggregator.index import IndexUnavailable, command_index_url, sqlite_path, url_problem

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8001


def index_path(url: str) -> Path:
    """The SQLite file of an index URL; ``ValueError`` (one line) for any other index."""
    scheme = url.partition("://")[0].lower()
    if scheme in ("postgresql", "postgres"):
        raise ValueError(
            "browsing needs the SQLite index (AGGREGATOR_INDEX=sqlite:///path/index.sqlite, "
            "or scrapy index OUTPUT_DIR into one): a postgresql:// index cannot be browsed"
        )
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    path = sqlite_path(url)
    if not path:
        raise ValueError(f"{url!r} names no file: write sqlite:///path/index.sqlite")
    if not Path(path).is_file():
        raise ValueError(f"no index at {path}: crawl with AGGREGATOR_INDEX or run scrapy index")
    return Path(path)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"bad --port {text!r}: a port number from 1 to 65535")
    return int(text)


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Browse the search index in a web browser (Datasette), read-only"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
        parser.add_argument("--port", default=str(DEFAULT_PORT), help=f"default {DEFAULT_PORT}")
        parser.add_argument(
            "--immutable", action="store_true", help="the index is not written while served"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            if args:
                raise ValueError(f"no arguments expected, got {' '.join(args)!r}")
            port = _port(opts.port)
            path = index_path(command_index_url(self.settings))
            problem = missing()
            if problem:
                raise ValueError(problem)
            from aggregator.browse.server import make_datasette, needs_upgrade, serve

            if needs_upgrade(path):  # an index made before the browser: its views, once
                from aggregator.index.sqlite import SqliteIndex

                SqliteIndex(path).close()
        except (ValueError, IndexUnavailable, OSError, sqlite3.Error) as error:
            print(f"scrapy browse: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        datasette = make_datasette(path, immutable=opts.immutable)
        host = f"[{opts.host}]" if ":" in opts.host else opts.host
        mode = "immutable" if opts.immutable else "read-only"
        print(f"scrapy browse: http://{host}:{port}/ ({path}, {mode}; Ctrl-C stops)", flush=True)
        serve(datasette, opts.host, port)
