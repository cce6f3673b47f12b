"""The incremental run model: ``StateRun``, one run of ``-s AGGREGATOR_STATE=PATH``.

Each finished run publishes only what is new or changed since the last published run, as one
folder ``OUTPUT_DIR/runs/<run-id>/`` (``articles.jsonl``, ``teasers.jsonl``, ``stats.json``),
which appears whole or not at all; ``OUTPUT_DIR/runs/latest`` links the newest. A stopped run
(``kill -9`` included) is resumed by the same command: the story pages whose items it staged
are not fetched again, navigation pages are (new issues are always found).

A ``StateRun`` holds the ledger (``aggregator.state.ledger``), the run's id, the story pages
done, and the pages whose items are still on their way to the feeds. Its components:

- ``aggregator.extensions.state.StateExtension`` opens (or resumes) it when the crawler is
  made, stages every item that comes out of the pipelines, and announces it
  (``state_opened``);
- ``aggregator.spidermiddlewares.resume.ResumeMiddleware`` drops requests for story pages
  already done, and marks a story page done once all its items are staged (or dropped);
- ``aggregator.spidermiddlewares.incremental.IncrementalMiddleware`` asks its ``freshness``
  (``aggregator.state.freshness``) what need not be fetched again, and notes what was read:
  a story page's validators wait in ``validators`` until its article is staged (``stage``
  records the read); ``settle_issues`` records the issues seen in full before publishing;
- ``aggregator.extensions.publish.Publish`` publishes its folder (``StateRun.publish``) when a
  finished run is publishable, and closes it.

``AGGREGATOR_CRASH_AT=<point>`` (tests only) makes the process ``os._exit(70)`` at a point of
the commit order: ``staged:<N>``, ``folder_written``, ``folder_renamed``, ``latest_updated``,
``published``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

from aggregator.feeds.names import FEED_NAMES
from aggregator.items import Article, Teaser
from aggregator.state.backend import LedgerBackend
from aggregator.state.freshness import STORY, Freshness
from aggregator.utils.compact import TextSet
from aggregator.utils.files import fsync_path

logger = logging.getLogger(__name__)

CRASH_STATUS = 70


def crash_point(name: str, count: int | None = None) -> None:
    """``os._exit`` here when ``AGGREGATOR_CRASH_AT`` names this point (tests only)."""
    wanted = os.environ.get("AGGREGATOR_CRASH_AT")
    if not wanted:
        return
    point, _, number = wanted.partition(":")
    if point == name and (count is None or (number.isdigit() and int(number) == count)):
        logging.shutdown()
        os._exit(CRASH_STATUS)


class StateRun:
    def __init__(self, ledger: LedgerBackend, runs_dir: Path) -> None:
        self.ledger = ledger
        self.runs_dir = runs_dir
        self._recover()
        self.run_id, self.resumed = ledger.open_run()
        # the story pages done, read at a resume and added to as pages finish: 8 bytes each
        self.done = TextSet(ledger.done_pages(self.run_id))
        self.pending: Counter[str] = Counter()  # story page -> items (and its output) pending
        self.owner: dict[int, str] = {}  # id(item) -> the story page it came from
        self.counts: Counter[str] = Counter()
        self.staged_items = 0
        # what need not be fetched again (aggregator.state.freshness): set by the extension
        self.freshness: Freshness | None = None
        # story page read -> (the URL first asked, ETag, Last-Modified), until its article is
        # staged
        self.validators: dict[str, tuple[str, str | None, str | None]] = {}

    def _recover(self) -> None:
        """Finish, or roll back, a publication that a crash interrupted."""
        run_id = self.ledger.publishing_run()
        if run_id is None:
            return
        if (self.runs_dir / run_id).is_dir():
            _point_latest(self.runs_dir, run_id)
            self.ledger.mark_published(run_id)
            logger.info("Finished publishing run %s, which a stop interrupted", run_id)
        else:
            shutil.rmtree(self.runs_dir / f".{run_id}.partial", ignore_errors=True)
            self.ledger.reopen(run_id)
            logger.info("Run %s was stopped while publishing: resuming it", run_id)

    # -- items ----------------------------------------------------------------------------

    def stage(self, item: Any) -> None:
        kind = "article" if isinstance(item, Article) else "teaser"
        change = self.ledger.stage(self.run_id, kind, ItemAdapter(item).asdict())
        url = self.owner.get(id(item))
        if kind == "article" and url is not None and self.freshness is not None:
            key, etag, last_modified = self.validators.pop(url, (url, None, None))
            self.freshness.read(STORY, key, etag, last_modified)  # its article is staged
        self.counts[change] += 1
        self.staged_items += 1
        crash_point("staged", self.staged_items)
        self.release(item)

    def track(self, url: str, items: Iterable[Any]) -> Iterator[Any]:
        """Pass a story page's output on, remembering which items are its."""
        self.pending[url] += 1  # the output itself, until it has all been read
        try:
            for element in items:
                if isinstance(element, Article | Teaser):
                    self.pending[url] += 1
                    self.owner[id(element)] = url
                yield element
        finally:
            self._settle(url)

    def release(self, item: Any) -> None:
        url = self.owner.pop(id(item), None)
        if url is not None:
            self._settle(url)

    def _settle(self, url: str) -> None:
        self.pending[url] -= 1
        if self.pending[url] <= 0:
            del self.pending[url]
            self.ledger.page_done(self.run_id, url)
            self.done.add(url)

    # -- publishing -----------------------------------------------------------------------

    def settle_issues(self) -> None:
        """Record the issue pages whose every story is read: skipped until due."""
        if self.freshness is not None:
            self.freshness.settle_issues()

    def finish_empty(self) -> None:
        """Nothing new or changed: no folder, ``latest`` stays; what was read is recorded."""
        self.settle_issues()
        self.ledger.mark_published(self.run_id)

    def publish(self, stats: dict[str, Any]) -> Path:
        """Write the run folder, move it into place, link it, mark its items published."""
        self.settle_issues()
        self.ledger.begin_publishing(self.run_id)
        partial = self.runs_dir / f".{self.run_id}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for kind, name in FEED_NAMES.items():
            with (partial / name).open("w", encoding="utf-8") as feed:
                for record in self.ledger.staged(self.run_id, kind):
                    feed.write(record + "\n")
                feed.flush()
                os.fsync(feed.fileno())
        with (partial / "stats.json").open("w", encoding="utf-8") as out:
            json.dump(stats, out, default=str, indent=1, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        crash_point("folder_written")
        final = self.runs_dir / self.run_id
        os.replace(partial, final)
        fsync_path(self.runs_dir)
        crash_point("folder_renamed")
        _point_latest(self.runs_dir, self.run_id)
        crash_point("latest_updated")
        self.ledger.mark_published(self.run_id)
        crash_point("published")
        return final


def _point_latest(runs_dir: Path, run_id: str) -> None:
    """``runs/latest`` -> ``<run_id>``, replaced atomically."""
    temporary = runs_dir / f".latest-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(run_id)
    os.replace(temporary, runs_dir / "latest")
    fsync_path(runs_dir)
