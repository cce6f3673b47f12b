"""The moment between a worker's feeds going into place and its leases being acknowledged.

A worker's pages are done when its feeds are published (``leases``); the feeds are renamed
into place on disk, the leases acknowledged in the server: two systems, no transaction
between them. A worker killed between the two would leave its leases to expire and its pages
to be read again by another worker: their ids published twice. So, before the first rename,
the worker records in the server its *publishing marker* (``publishing:<worker>``): the feeds
it is about to move, each as (partial path, final path, content id), the host it writes on,
and the counts it publishes. The acknowledgement deletes the marker with the leases, in one
script.

A worker whose marker outlives it (its heartbeat expired, or a worker of the same name
starting again) is settled by the next worker to look (``settle_dead``), on the host and files
the marker names:

- every feed in place (the final path holds the file of that content id), or still waiting
  beside it (the partial, which is then moved into place: the dead worker had decided to
  publish) -> its leases are done, its counts added, as its own acknowledgement would have;
- a feed neither in place nor waiting -> its leases go back to the queue (its pages are read
  again, as when a worker dies before publishing);
- the files not visible from here (another machine, no shared folder) -> left for a worker on
  that host; the leases stay out (``scrapy frontier status`` shows them).

With a shared ledger (``AGGREGATOR_STATE=NAME``) the worker publishes a run folder, and the
marker also names the run: its id, the ledger, its runs folder (``run_marker``), recorded once
the folder is written whole (``.<run-id>.partial``), before its rename. Settling such a
marker publishes the run in the ledger first (``mark_published`` of that worker's run, and
``runs/latest`` linked to it, as the dead worker would have), then makes its leases done: no
other worker has leased its pages by then (a marked worker's leases are not taken back from
it), so none stages those items again, and none reads them after. A run whose folder is
neither in place nor waiting is rolled back in the ledger (nothing of it published, its keys
dropped), then its leases go back to the queue. Publishing is so one step crawl-wide: each
story is in exactly one delta.

A marker whose files cannot be seen from here (``UNSEEN``: another host, no shared folder)
waits for ``scrapy frontier settle`` on that host, or is rolled back: by ``scrapy frontier
settle --roll-back WORKER`` (a lost machine), or by a worker of the crawl once it has waited
``AGGREGATOR_FRONTIER_SETTLE_UNSEEN`` seconds for it (0, the default: never, a worker leaves
it be and ``scrapy frontier status`` names it). A run rolled back that way is marked void on
its host (``void:<worker>``): the first worker or ``settle`` there moves its folder aside
(``.<run-id>.void``), so that it never stands beside the delta that holds its pages again.

The content id is the file's (or the run folder's) inode, size and modification time:
``os.replace`` keeps all three, and a feed written again by a later run has another.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from aggregator.frontier.leases import _UNCLAIM, Frontier
from aggregator.utils.files import fsync_folder

logger = logging.getLogger(__name__)

DONE, AGAIN, UNSEEN, WAITING = "done", "again", "unseen", "waiting"

# ARGV: prefix, worker, marker JSON. 1: recorded; 0: the worker is not in the crawl any more
# (taken for dead: its leases went back, it must not publish).
_MARK = """
local prefix, worker = ARGV[1], ARGV[2]
if redis.call('HEXISTS', prefix .. ':workers', worker) == 0 then return 0 end
redis.call('SET', prefix .. ':publishing:' .. worker, ARGV[3])
return 1
"""

# ARGV: prefix. The markers of workers whose heartbeat expired: worker, marker, ...
_MARKED = """
local prefix = ARGV[1]
local out = {}
for _, worker in ipairs(redis.call('HKEYS', prefix .. ':workers')) do
  if redis.call('EXISTS', prefix .. ':alive:' .. worker) == 0 then
    local marker = redis.call('GET', prefix .. ':publishing:' .. worker)
    if marker then
      out[#out + 1] = worker
      out[#out + 1] = marker
    end
  end
end
return out
"""

# ARGV: prefix, worker, 'done' or 'again', '1' when the worker must be dead (not alive), then
# name, count pairs (with 'done'). The leases of a marked worker, done or back in the queue;
# how many; -1 when there is no marker (settled already) or the worker is alive.
_SETTLE = (
    _UNCLAIM
    + """
local prefix, worker = ARGV[1], ARGV[2]
local marker = prefix .. ':publishing:' .. worker
if redis.call('EXISTS', marker) == 0 then return -1 end
if ARGV[4] == '1' and redis.call('EXISTS', prefix .. ':alive:' .. worker) == 1 then
  return -1
end
local lease = prefix .. ':lease:' .. worker
local count = 0
if ARGV[3] == 'done' then
  local ids = redis.call('HKEYS', lease)
  for _, id in ipairs(ids) do redis.call('HDEL', prefix .. ':requests', id) end
  count = #ids
  redis.call('DEL', prefix .. ':claims:' .. worker)
  redis.call('HINCRBY', prefix .. ':counts', 'done', count)
  redis.call('HINCRBY', prefix .. ':counts', 'settled', count)
  for i = 5, #ARGV, 2 do redis.call('HINCRBY', prefix .. ':counts', ARGV[i], ARGV[i + 1]) end
else
  local held = redis.call('HGETALL', lease)
  for i = 1, #held, 2 do redis.call('ZADD', prefix .. ':queue', held[i + 1], held[i]) end
  count = #held / 2
  unclaim(prefix, worker)
  redis.call('HINCRBY', prefix .. ':counts', 'reclaimed', count)
  if count > 0 then redis.call('DEL', prefix .. ':quiet') end
end
redis.call('DEL', lease, marker, prefix .. ':alive:' .. worker)
redis.call('HDEL', prefix .. ':workers', worker)
return count
"""
)


def content_id(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def marker(
    stored: Iterable[tuple[Path, Path]], counts: dict[str, int], run: dict[str, str] | None = None
) -> str:
    """The marker of feeds (or a run folder) about to be moved into place (``(partial,
    final)`` pairs); ``run``: the run folder's run (``state.run.run_marker``)."""
    feeds = [[str(partial), str(final), content_id(partial)] for partial, final in stored]
    data: dict[str, Any] = {"host": socket.gethostname(), "feeds": feeds, "counts": counts}
    if run is not None:
        data["run"] = run
    return json.dumps(data)


def verdict(text: str | bytes) -> str:
    """What a dead worker's marker says of its feeds, seen from here: ``DONE`` (every feed in
    place, the ones left waiting moved there now), ``AGAIN`` or ``UNSEEN``."""
    data = json.loads(text)
    feeds = [(Path(partial), Path(final), ident) for partial, final, ident in data["feeds"]]
    here = data.get("host") == socket.gethostname()
    if not here and not all(final.parent.is_dir() for _, final, _ in feeds):
        return UNSEEN
    if not feeds:  # a marker with nothing to move: a run that published no folder
        return DONE
    waiting = []
    for partial, final, ident in feeds:
        if ident is not None and content_id(final) == ident:
            continue
        if ident is not None and content_id(partial) == ident:
            waiting.append((partial, final))
            continue
        return AGAIN
    for partial, final in waiting:  # the dead worker had decided to publish: done for it
        os.replace(partial, final)
        fsync_folder(final.parent)
        logger.info("Frontier: published %s, left by a worker killed while publishing", final)
    return DONE


class Publishing:
    """The publishing markers of one crawl (``frontier``'s client and keys); ``settings``: the
    crawl's, for the ledger of a marked run and ``AGGREGATOR_FRONTIER_SETTLE_UNSEEN``."""

    def __init__(self, frontier: Frontier, settings: BaseSettings | None = None) -> None:
        self.frontier = frontier
        self.settings = settings
        client = frontier.client
        self._mark = client.register_script(_MARK)
        self._marked = client.register_script(_MARKED)
        self._settle = client.register_script(_SETTLE)
        # markers left for another host: since when (monotonic) this worker has seen each
        self._unseen: dict[str, float] = {}
        self.unseen_after = (
            settings.getfloat("AGGREGATOR_FRONTIER_SETTLE_UNSEEN", 0.0) if settings else 0.0
        )

    def mark(self, text: str) -> bool:
        """Record this worker's marker; False when it is no longer in the crawl."""
        prefix, worker = self.frontier.keys.prefix, self.frontier.worker
        return bool(self._mark(args=[prefix, worker, text]))

    def own(self) -> bytes | None:
        """The marker a worker of this name left (killed while publishing, now started again)."""
        key = f"{self.frontier.keys.prefix}:publishing:{self.frontier.worker}"
        value = self.frontier.client.get(key)
        return bytes(value) if value is not None else None

    def marked(self) -> dict[str, bytes]:
        """The markers of the workers found dead, by worker."""
        reply = self._marked(args=[self.frontier.keys.prefix])
        return {w.decode(): bytes(t) for w, t in zip(reply[::2], reply[1::2], strict=True)}

    def settle(
        self, worker: str, text: str | bytes, dead: bool = True, roll_back: bool = False
    ) -> tuple[str, int]:
        """Settle ``worker``'s marker ``text`` (``roll_back``: as ``AGAIN``, whatever its files
        say): the verdict and the leases it covered (-1: not settled here, by another worker
        first, or ``UNSEEN``). A marked run is published, or rolled back, in the ledger first."""
        found = AGAIN if roll_back else verdict(text)
        if found == UNSEEN:
            return found, -1
        data = json.loads(text)
        if data.get("run"):
            self._settle_run(worker, {**data["run"], "host": data.get("host", "")}, found)
        args = [self.frontier.keys.prefix, worker, found, "1" if dead else "0"]
        if found == DONE:
            counts = data.get("counts", {})
            args += [value for item in counts.items() for value in item]
        return found, int(self._settle(args=args))

    def _settle_run(self, worker: str, run: dict[str, str], found: str) -> None:
        """The marked run published (``DONE``) or rolled back in its ledger: before its leases
        are settled, so that no other worker stages its items as new."""
        from aggregator.state.backend import open_ledger
        from aggregator.state.run import point_latest, set_aside
        from aggregator.state.shared_ledger import SharedLedger

        settings = BaseSettings(self.settings.copy_to_dict() if self.settings else {})
        for name, value in (
            ("AGGREGATOR_STATE", run["ledger"]),
            ("AGGREGATOR_FRONTIER_WORKER", worker),
            ("AGGREGATOR_FRONTIER_KEY", self.frontier.keys.prefix),
        ):
            settings.set(name, value, priority="cmdline")
        runs_dir = Path(run["runs_dir"])
        ledger = open_ledger(settings, "")
        try:
            if found == DONE:
                ledger.mark_published(run["id"])
                if (runs_dir / run["id"]).is_dir():
                    point_latest(runs_dir, run["id"])
                return
            if isinstance(ledger, SharedLedger):
                ledger.drop_run(worker, run["id"], settling=True)
                if runs_dir.is_dir():
                    set_aside(runs_dir, run["id"])
                else:  # seen from another host: set aside there, when a worker starts
                    ledger.void_run(worker, run)
            else:
                ledger.reopen(run["id"])
        finally:
            ledger.close()

    def settle_dead(self) -> dict[str, int]:
        """Settle the markers of every worker found dead; leases done, leases back, and the
        markers this worker waits to roll back (``WAITING``)."""
        settled = {DONE: 0, AGAIN: 0, WAITING: 0}
        for name, text in self.marked().items():
            found, count = self.settle(name, text)
            if found == UNSEEN and self.unseen_after > 0:
                first = self._unseen.setdefault(name, time.monotonic())
                if time.monotonic() - first < self.unseen_after:
                    settled[WAITING] += 1
                    continue
                found, count = self.settle(name, text, roll_back=True)
                if count >= 0:
                    logger.warning(
                        "Frontier: worker %s was killed while publishing on another host, "
                        "unseen for %.0f s: rolled back, its %d leases went back",
                        name,
                        self.unseen_after,
                        count,
                    )
                    settled[AGAIN] += count
                continue
            if count < 0:
                if found == UNSEEN and name not in self._unseen:
                    self._unseen[name] = time.monotonic()
                    logger.warning(
                        "Frontier: worker %s was killed while publishing on another host; "
                        "its leases wait for `scrapy frontier settle` there (or "
                        "--roll-back %s, if that host is lost)",
                        name,
                        name,
                    )
                continue
            settled[found] += count
            logger.warning(
                "Frontier: worker %s was killed while publishing: its %d leases %s",
                name,
                count,
                "are done (its feeds are in place)" if found == DONE else "went back",
            )
        return settled
