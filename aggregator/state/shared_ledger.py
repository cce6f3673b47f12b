"""``SharedLedger``: the incremental ledger of a shared crawl (``AGGREGATOR_FRONTIER`` with
``AGGREGATOR_STATE=NAME``), in the frontier's Valkey/Redis server, under the keys
``aggregator:ledger:<NAME>:*`` (not the frontier's own: ``scrapy frontier clear`` resets a
crawl, never what was published).

Crawl-wide, as the SQLite file is for one process: ``published`` (HASH ``kind|id`` -> content
hash), ``seen:<kind>`` (HASH url -> ``[read_at, etag, last_modified]``) and ``body:<kind>``
(HASH url -> the kept text of a navigation page). Per worker (``AGGREGATOR_FRONTIER_WORKER``),
its one run: ``runs`` (HASH worker -> ``{"id", "state"}``; ``last``: its last run id),
``staged:<worker>`` (``kind|id`` -> JSON record), ``hash:<worker>`` (``kind|id`` ->
``change|hash``), ``pages:<worker>``, ``reads:<worker>:<kind>``, ``rbody:<worker>:<kind>``,
``listed:<worker>`` (issue -> its story URLs, JSON). A run is never resumed: a worker's pages
belong to its leases, and a worker that stops unfinished (or is killed) has its leases read
again by others, who stage those items themselves; its own leftover run is dropped when it
next starts, and a dead worker's (its process gone) by the next worker of its host to start
(``clean_up_here``). A run's entry in ``runs`` records where it runs (host, pid, runs folder)
for that. ``void`` (HASH ``worker|run`` -> the run, its host and runs folder) holds the runs
rolled back from another host (``aggregator.frontier.publishing``), whose folders the next
worker on their host sets aside.

Each change that must be whole is one Lua script: staging an item, and ``mark_published``
(the run's items become the published ones, its reads the seen pages, its keys go), run after
its folder is in place, before its leases are acknowledged: by the worker, or by whoever
settles its publishing marker if it was killed in between (so the script checks the run id).
``settle_issues`` counts a story as read when a published run read it or when the open run
of a live worker of the same crawl (its ``alive`` key in the frontier) did: the workers read
one crawl's issues and stories between them, and all settle at the crawl's end, when every
story is read by one of them.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aggregator.feeds.content_hash import content_hash
from aggregator.state.ledger import _now
from aggregator.state.run import process_running, remove_leftovers, set_aside

logger = logging.getLogger(__name__)

# KEYS: none (the script names its keys from the prefix: one server, no Cluster).
# ARGV: prefix, worker, item key, digest, record JSON. -> new | changed | unchanged | seen
_STAGE = """
local p, w, key, digest = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local published = redis.call('HGET', p .. ':published', key)
if published == digest then return 'unchanged' end
local change = published and 'changed' or 'new'
if redis.call('HSETNX', p .. ':hash:' .. w, key, change .. '|' .. digest) == 0 then
  return 'seen'
end
redis.call('HSET', p .. ':staged:' .. w, key, ARGV[5])
return change
"""

# ARGV: prefix, worker, run id. The run's items published, its reads seen, its keys gone: at
# once; -1 when the worker's run is not that one (published already, or dropped: a worker
# settling another's marker may come second, or after that worker started again).
_MARK_PUBLISHED = """
local p, w = ARGV[1], ARGV[2]
local run = redis.call('HGET', p .. ':runs', w)
if not run or cjson.decode(run)['id'] ~= ARGV[3] then return -1 end
local hashes = redis.call('HGETALL', p .. ':hash:' .. w)
for i = 1, #hashes, 2 do
  local value = hashes[i + 1]
  redis.call('HSET', p .. ':published', hashes[i], string.sub(value, string.find(value, '|') + 1))
end
local kinds = redis.call('SMEMBERS', p .. ':rkinds:' .. w)
for _, kind in ipairs(kinds) do
  local reads = redis.call('HGETALL', p .. ':reads:' .. w .. ':' .. kind)
  local bodies = p .. ':rbody:' .. w .. ':' .. kind
  for i = 1, #reads, 2 do
    redis.call('HSET', p .. ':seen:' .. kind, reads[i], reads[i + 1])
    local body = redis.call('HGET', bodies, reads[i])
    if body then
      redis.call('HSET', p .. ':body:' .. kind, reads[i], body)
    else
      redis.call('HDEL', p .. ':body:' .. kind, reads[i])
    end
  end
  redis.call('DEL', p .. ':reads:' .. w .. ':' .. kind, bodies)
end
redis.call('DEL', p .. ':hash:' .. w, p .. ':staged:' .. w, p .. ':pages:' .. w,
  p .. ':listed:' .. w, p .. ':rkinds:' .. w)
redis.call('HDEL', p .. ':runs', w)
return #hashes / 2
"""

# ARGV: prefix, worker, run id, frontier prefix, '1' when settling its marker. A dead worker's
# run, never published, dropped with its keys; 0 when it is not that run any more, or it has a
# publishing marker (settled on it: aggregator.frontier.publishing) and this is not that.
_DROP = """
local p, w, id, fp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local run = redis.call('HGET', p .. ':runs', w)
if not run or cjson.decode(run)['id'] ~= id then return 0 end
if ARGV[5] ~= '1' and redis.call('EXISTS', fp .. ':publishing:' .. w) == 1 then return 0 end
for _, kind in ipairs(redis.call('SMEMBERS', p .. ':rkinds:' .. w)) do
  redis.call('DEL', p .. ':reads:' .. w .. ':' .. kind, p .. ':rbody:' .. w .. ':' .. kind)
end
redis.call('DEL', p .. ':hash:' .. w, p .. ':staged:' .. w, p .. ':pages:' .. w,
  p .. ':listed:' .. w, p .. ':rkinds:' .. w)
redis.call('HDEL', p .. ':runs', w)
return 1
"""

# ARGV: prefix, worker, frontier prefix, now, settled kinds... -> issues settled
_SETTLE = """
local p, w, fp, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local kinds = {}
for i = 5, #ARGV do table.insert(kinds, ARGV[i]) end
local readers = {}
for _, other in ipairs(redis.call('HKEYS', p .. ':runs')) do
  if other == w or redis.call('EXISTS', fp .. ':alive:' .. other) == 1 then
    table.insert(readers, other)
  end
end
local function read(url)
  for _, kind in ipairs(kinds) do
    if redis.call('HEXISTS', p .. ':seen:' .. kind, url) == 1 then return true end
    for _, reader in ipairs(readers) do
      if redis.call('HEXISTS', p .. ':reads:' .. reader .. ':' .. kind, url) == 1 then
        return true
      end
    end
  end
  return false
end
local settled = 0
local listed = redis.call('HGETALL', p .. ':listed:' .. w)
for i = 1, #listed, 2 do
  local all = true
  for _, url in ipairs(cjson.decode(listed[i + 1])) do
    if not read(url) then all = false break end
  end
  if all then
    redis.call('HSET', p .. ':reads:' .. w .. ':issue', listed[i], cjson.encode({now}))
    redis.call('HDEL', p .. ':rbody:' .. w .. ':issue', listed[i])
    redis.call('SADD', p .. ':rkinds:' .. w, 'issue')
    settled = settled + 1
  end
end
return settled
"""


def ledger_prefix(name: str) -> str:
    return f"aggregator:ledger:{name}"


class SharedLedger:
    def __init__(
        self, client: Any, name: str, worker: str, frontier_prefix: str, runs_dir: str = ""
    ) -> None:
        self.client = client
        self.prefix = ledger_prefix(name)
        self.worker = worker
        self.frontier_prefix = frontier_prefix
        # where this worker's run folders go: recorded with its run, so that the next worker
        # on its host can clean up after it (``dead_runs_here``)
        self.runs_dir = runs_dir
        self._stage = client.register_script(_STAGE)
        self._mark = client.register_script(_MARK_PUBLISHED)
        self._settle = client.register_script(_SETTLE)
        self._drop = client.register_script(_DROP)

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def close(self) -> None:
        self.client.close()

    # -- runs: one per worker, never resumed ------------------------------------------------

    def _run(self) -> dict[str, str] | None:
        text = self.client.hget(self._key("runs"), self.worker)
        return dict(json.loads(text)) if text else None

    def _set_run(self, run_id: str, state: str) -> None:
        run = {"id": run_id, "state": state, "host": socket.gethostname(), "pid": os.getpid()}
        value = json.dumps({**run, "runs_dir": self.runs_dir})
        self.client.hset(self._key("runs"), self.worker, value)

    def publishing_run(self) -> str | None:
        run = self._run()
        return run["id"] if run and run["state"] == "publishing" else None

    def reopen(self, run_id: str) -> None:
        run = self._run() or {}  # where it was opened stays (``dead_runs_here``)
        value = json.dumps({**run, "id": run_id, "state": "open"})
        self.client.hset(self._key("runs"), self.worker, value)

    def open_run(self, now: datetime | None = None) -> tuple[str, bool]:
        """(a new run id, False): a run this worker left open is dropped, not resumed (its
        leases went back; whoever took them stages their items)."""
        w = self.worker
        kinds = [kind.decode() for kind in self.client.smembers(self._key("rkinds", w))]
        self.client.delete(
            *[self._key(name, w) for name in ("hash", "staged", "pages", "listed", "rkinds")],
            *[self._key(name, w, kind) for kind in kinds for name in ("reads", "rbody")],
        )
        # time-sortable, as the state file's, and new in this worker's runs folder
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        last = (self.client.hget(self._key("last"), w) or b"").decode()
        run_id, suffix = stamp, 1
        while last and run_id <= last and last.partition("-")[0] == stamp:
            suffix += 1
            run_id = f"{stamp}-{suffix}"
        self.client.hset(self._key("last"), w, run_id)
        self._set_run(run_id, "open")
        return run_id, False

    # -- staging --------------------------------------------------------------------------

    def stage(self, run_id: str, kind: str, record: dict[str, Any]) -> str:
        digest = content_hash(kind, record)
        text = json.dumps(record, ensure_ascii=False)
        key = f"{kind}|{record['id']}"
        change = self._stage(args=[self.prefix, self.worker, key, digest, text])
        return change.decode() if isinstance(change, bytes) else str(change)

    def page_done(self, run_id: str, url: str) -> None:
        self.client.sadd(self._key("pages", self.worker), url)

    def done_pages(self, run_id: str) -> Iterator[str]:
        for url in self.client.sscan_iter(self._key("pages", self.worker), count=1000):
            yield url.decode()

    def staged(self, run_id: str, kind: str) -> Iterator[str]:
        """The run's staged records of ``kind`` (JSON), in id order (SQLite's: by code point)."""
        head = f"{kind}|".encode()
        records = [
            (key[len(head) :].decode(), record.decode())
            for key, record in self.client.hscan_iter(self._key("staged", self.worker), count=1000)
            if key.startswith(head)
        ]
        for _, record in sorted(records):
            yield record

    def staged_counts(self, run_id: str) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for key, value in self.client.hscan_iter(self._key("hash", self.worker), count=1000):
            kind = key.decode().partition("|")[0]
            counts[f"{kind}/{value.decode().partition('|')[0]}"] += 1
        return dict(counts)

    # -- reads ----------------------------------------------------------------------------

    def record_read(
        self,
        run_id: str,
        kind: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        body: bytes | None = None,
    ) -> None:
        w = self.worker
        value = json.dumps([_now(), etag, last_modified])
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("reads", w, kind), url, value)
            if body is None:
                pipe.hdel(self._key("rbody", w, kind), url)
            else:
                pipe.hset(self._key("rbody", w, kind), url, body)
            pipe.sadd(self._key("rkinds", w), kind)
            pipe.execute()

    def seen_body(self, kind: str, url: str) -> bytes | None:
        body = self.client.hget(self._key("body", kind), url)
        return bytes(body) if body is not None else None

    def seen(self, kind: str, url: str) -> tuple[str, str | None, str | None] | None:
        text = self.client.hget(self._key("seen", kind), url)
        if text is None:
            return None
        read_at, etag, last_modified = [*json.loads(text), None, None][:3]
        return str(read_at), etag, last_modified

    def read_in_run(self, run_id: str, kind: str, url: str) -> bool:
        return bool(self.client.hexists(self._key("reads", self.worker, kind), url))

    def list_stories(self, run_id: str, issue: str, urls: list[str]) -> None:
        if not urls:  # as SQLite's: an issue with no story listed is never settled
            return
        key = self._key("listed", self.worker)
        known = self.client.hget(key, issue)
        merged = sorted(set(json.loads(known) if known else []) | set(urls))
        self.client.hset(key, issue, json.dumps(merged))

    def settle_issues(self, run_id: str, settled: tuple[str, ...]) -> int:
        args = [self.prefix, self.worker, self.frontier_prefix, _now(), *settled]
        return int(self._settle(args=args))

    def count_seen(self, kind: str) -> int:
        return int(self.client.hlen(self._key("seen", kind)))

    # -- publishing -----------------------------------------------------------------------

    def begin_publishing(self, run_id: str) -> None:
        self._set_run(run_id, "publishing")

    def mark_published(self, run_id: str) -> None:
        """The run's items become the published ones, its reads the seen pages: one script
        (nothing when this worker's run is not ``run_id`` any more)."""
        self._mark(args=[self.prefix, self.worker, run_id])

    # -- dead workers' runs -----------------------------------------------------------------

    def dead_runs_here(self) -> list[tuple[str, dict[str, Any]]]:
        """The runs, never published, of other workers of this host whose process is gone:
        (worker, run: ``id``, ``state``, ``pid``, ``runs_dir``). Judged by the process id on
        this host, not by the frontier's heartbeat: a worker that opened its run and has not
        joined the frontier yet is alive all the same."""
        host = socket.gethostname()
        found = []
        for worker, text in self.client.hgetall(self._key("runs")).items():
            name, run = worker.decode(), json.loads(text)
            if name == self.worker or run.get("host") != host or not run.get("pid"):
                continue
            if not process_running(int(run["pid"])):
                found.append((name, dict(run)))
        return found

    def drop_run(self, worker: str, run_id: str, settling: bool = False) -> bool:
        """Drop ``worker``'s run ``run_id`` and its keys, unless it has a publishing marker
        (``settling``: the marker's own settlement, rolling it back); whether it was."""
        args = [self.prefix, worker, run_id, self.frontier_prefix, "1" if settling else "0"]
        return bool(self._drop(args=args))

    def void_run(self, worker: str, run: dict[str, str]) -> None:
        """``worker``'s run (a marker's ``run`` and ``host``), rolled back from another host:
        its folder,
        if it is in place there, is to be set aside by the next worker on that host."""
        self.client.hset(self._key("void"), f"{worker}|{run['id']}", json.dumps(run))

    def voids_here(self) -> list[tuple[str, dict[str, str]]]:
        """The runs rolled back from elsewhere whose folders are on this host: (key, run)."""
        host = socket.gethostname()
        found = []
        for key, text in self.client.hgetall(self._key("void")).items():
            run = json.loads(text)
            if run.get("host") == host:
                found.append((key.decode(), dict(run)))
        return found

    def forget_void(self, key: str) -> None:
        self.client.hdel(self._key("void"), key)

    def clean_up_here(self) -> tuple[list[str], list[str]]:
        """What dead workers of this host left: their runs never published dropped (and what
        they left in their runs folders removed), the folders of runs rolled back from another
        host set aside; (``worker/run`` dropped, folders and links removed or set aside)."""
        dropped: list[str] = []
        removed: list[str] = []
        for worker, run in self.dead_runs_here():
            if not self.drop_run(worker, str(run["id"])):
                continue
            dropped.append(f"{worker}/{run['id']}")
            logger.warning(
                "Dropped run %s of worker %s (its process is gone), never published",
                run["id"],
                worker,
            )
            if run.get("runs_dir"):
                removed += remove_leftovers(Path(run["runs_dir"]))
        for key, run in self.voids_here():
            if set_aside(Path(run["runs_dir"]), run["id"]):
                removed.append(f".{run['id']}.void")
            self.forget_void(key)
        return dropped, removed
