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

With a shared frontier, the run folder, once written, is announced before it is renamed
into place (``publish``'s ``announce``: the frontier's publishing marker names the run and
where its folder is, ``aggregator.frontier.publishing``): a worker killed from then on is
settled on that marker, its run published in the ledger when its folder is in place (or
waiting beside it), rolled back when not; an announcement refused (the worker was taken for
dead) leaves the run unpublished.

At the start, what a dead run left in the runs folder (``.<run-id>.partial`` folders, the
``.latest-<pid>`` links of a killed ``_point_latest``) is removed, logged and counted
(``leftovers``, stats key ``aggregator/state/leftovers_removed``).

``AGGREGATOR_CRASH_AT=<point>`` (tests only) makes the process ``os._exit(70)`` at a point of
the commit order: ``staged:<N>``, ``folder_written``, ``run_marked``, ``folder_renamed``,
``latest_updated``, ``published``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter

from aggregator.feeds.names import FEED_NAMES
from aggregator.items import Article, Teaser
from aggregator.state.backend import LedgerBackend
from aggregator.state.freshness import STORY, Freshness
from aggregator.state.retention import run_folders
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
        self.leftovers = remove_leftovers(runs_dir)
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

    def publish(
        self, stats: dict[str, Any], announce: Callable[[Path, Path], bool] | None = None
    ) -> Path | None:
        """Write the run folder, move it into place, link it, mark its items published. With
        ``announce`` (partial folder, final folder -> go on?), the written folder is announced
        before its rename; refused, nothing is published (None) and the run stays open."""
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
        if announce is not None:
            if not announce(partial, final):
                shutil.rmtree(partial, ignore_errors=True)
                self.ledger.reopen(self.run_id)
                logger.error("Run %s is not published: its announcement was refused", self.run_id)
                return None
            crash_point("run_marked")
        os.replace(partial, final)
        fsync_path(self.runs_dir)
        crash_point("folder_renamed")
        _point_latest(self.runs_dir, self.run_id)
        crash_point("latest_updated")
        self.ledger.mark_published(self.run_id)
        crash_point("published")
        return final


def run_marker(run_id: str, ledger: str, runs_dir: Path) -> dict[str, str]:
    """What a publishing marker says of a run folder's run (``aggregator.frontier.publishing``):
    its id, its ledger, where its folder goes."""
    return {"id": run_id, "ledger": ledger, "runs_dir": str(runs_dir.absolute())}


def remove_leftovers(runs_dir: Path) -> list[str]:
    """Remove what dead runs left in ``runs_dir``: ``.<run-id>.partial`` folders (a run's
    folder is written there only while its process publishes it, and one process publishes
    in a runs folder: the state file's lock, or the worker's own ``OUTPUT_DIR``) and the
    ``.latest-<pid>`` links of processes gone; the names removed, each logged."""
    if not runs_dir.is_dir():
        return []
    removed = []
    for path in sorted(runs_dir.iterdir()):
        name = path.name
        if name.startswith(".") and name.endswith(".partial") and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif name.startswith(".latest-") and path.is_symlink():
            pid = name.removeprefix(".latest-")
            if not pid.isdigit() or int(pid) == os.getpid() or process_running(int(pid)):
                continue
            path.unlink(missing_ok=True)
        else:
            continue
        removed.append(name)
        logger.warning("Removed %s, left in %s by a run that was stopped", name, runs_dir)
    return removed


def process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def set_aside(runs_dir: Path, run_id: str) -> bool:
    """A rolled-back run's folder out of the deltas, as ``.<run-id>.void`` (its partial
    removed); whether there was one. ``runs/latest`` goes back to the newest run left."""
    shutil.rmtree(runs_dir / f".{run_id}.partial", ignore_errors=True)
    folder = runs_dir / run_id
    if not folder.is_dir():
        return False
    os.replace(folder, runs_dir / f".{run_id}.void")
    fsync_path(runs_dir)
    latest = runs_dir / "latest"
    if latest.is_symlink() and os.readlink(latest) == run_id:
        left = run_folders(runs_dir)
        if left:
            _point_latest(runs_dir, left[-1])
        else:
            latest.unlink()
    logger.warning("Run %s was rolled back: its folder is set aside as .%s.void", run_id, run_id)
    return True


def point_latest(runs_dir: Path, run_id: str) -> None:
    """``runs/latest`` -> ``<run_id>`` unless it points to a newer run already (a worker
    settling another's run, killed before it linked its folder)."""
    current = runs_dir / "latest"
    if current.is_symlink() and os.readlink(current) >= run_id:
        return
    _point_latest(runs_dir, run_id)


def _point_latest(runs_dir: Path, run_id: str) -> None:
    """``runs/latest`` -> ``<run_id>``, replaced atomically."""
    temporary = runs_dir / f".latest-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(run_id)
    os.replace(temporary, runs_dir / "latest")
    fsync_path(runs_dir)
