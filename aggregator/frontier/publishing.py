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

The content id is the file's inode, size and modification time: ``os.replace`` keeps all
three, and a feed written again by a later run has another.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterable
from pathlib import Path

from aggregator.frontier.leases import _UNCLAIM, Frontier
from aggregator.utils.files import fsync_folder

logger = logging.getLogger(__name__)

DONE, AGAIN, UNSEEN = "done", "again", "unseen"

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


def marker(stored: Iterable[tuple[Path, Path]], counts: dict[str, int]) -> str:
    """The marker of feeds about to be moved into place (``(partial, final)`` pairs)."""
    feeds = [[str(partial), str(final), content_id(partial)] for partial, final in stored]
    return json.dumps({"host": socket.gethostname(), "feeds": feeds, "counts": counts})


def verdict(text: str | bytes) -> str:
    """What a dead worker's marker says of its feeds, seen from here: ``DONE`` (every feed in
    place, the ones left waiting moved there now), ``AGAIN`` or ``UNSEEN``."""
    data = json.loads(text)
    feeds = [(Path(partial), Path(final), ident) for partial, final, ident in data["feeds"]]
    here = data.get("host") == socket.gethostname()
    if not here and not all(final.parent.is_dir() for _, final, _ in feeds):
        return UNSEEN
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
    """The publishing markers of one crawl (``frontier``'s client and keys)."""

    def __init__(self, frontier: Frontier) -> None:
        self.frontier = frontier
        client = frontier.client
        self._mark = client.register_script(_MARK)
        self._marked = client.register_script(_MARKED)
        self._settle = client.register_script(_SETTLE)
        self._unseen: set[str] = set()  # markers left for another host: said once each

    def mark(self, text: str) -> bool:
        """Record this worker's marker; False when it is no longer in the crawl."""
        prefix, worker = self.frontier.keys.prefix, self.frontier.worker
        return bool(self._mark(args=[prefix, worker, text]))

    def own(self) -> bytes | None:
        """The marker a worker of this name left (killed while publishing, now started again)."""
        key = f"{self.frontier.keys.prefix}:publishing:{self.frontier.worker}"
        value = self.frontier.client.get(key)
        return bytes(value) if value is not None else None

    def settle(self, worker: str, text: str | bytes, dead: bool = True) -> tuple[str, int]:
        """Settle ``worker``'s marker ``text``: the verdict and the leases it covered (-1: not
        settled here, by another worker first, or ``UNSEEN``)."""
        found = verdict(text)
        if found == UNSEEN:
            return found, -1
        args = [self.frontier.keys.prefix, worker, found, "1" if dead else "0"]
        if found == DONE:
            counts = json.loads(text).get("counts", {})
            args += [value for item in counts.items() for value in item]
        return found, int(self._settle(args=args))

    def settle_dead(self) -> dict[str, int]:
        """Settle the markers of every worker found dead; leases done and leases back."""
        reply = self._marked(args=[self.frontier.keys.prefix])
        settled = {DONE: 0, AGAIN: 0}
        for worker, text in zip(reply[::2], reply[1::2], strict=True):
            name = worker.decode()
            found, count = self.settle(name, text)
            if count < 0:
                if found == UNSEEN and name not in self._unseen:
                    self._unseen.add(name)
                    logger.warning(
                        "Frontier: worker %s was killed while publishing on another host; "
                        "its leases wait for a worker there",
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
