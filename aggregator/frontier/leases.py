"""The shared frontier's state in the server: a queue, leases held until a worker's feeds are
published, and the end of the crawl. Every change is one Lua script, atomic on the server.

Why lease lists, not Streams: a request leased by a worker stays its own until the worker's
feeds are published (``AtomicFileFeedStorage`` drops them on kill -9, so a page is done only
when its items are in a published feed); that is the whole run of the worker, not one page.
A Streams consumer group would count a long-held entry as idle and let ``XAUTOCLAIM`` take
it from a worker that is alive and well, or need every pending entry re-claimed on every
heartbeat. Here a worker's liveness is one key with an expiry (``alive:<worker>``) that it
refreshes; its leases (``lease:<worker>``, id -> score) go back to the queue, in their order,
as soon as that key has expired, whoever notices first.

- ``queue`` (ZSET id -> score): higher Scrapy priority first, then the order of arrival;
  ``requests`` (HASH id -> JSON) until the request is done.
- ``seen`` (HASH fingerprint -> ""): the crawl-wide duplicate filter; a redirect's target is
  kept with the first URL of its chain, so that the same chain read again (after its worker
  died) is not taken for a redirect to a page already requested.
- ``items`` (HASH item id -> worker): an article or teaser id is published by the worker
  that claimed it first (``claims:<worker>``: id -> the request whose page gave it); when a
  worker's leases go back, its ids wait for those requests' pages, read again, to claim them.
- ``workers`` (HASH worker -> busy/idle): a worker is busy from a lease until it next finds
  itself idle (no download, no callback, nothing local) and asks whether the crawl is over.
- The crawl is over when the queue is empty and every worker is idle, and it stayed so for
  one lease time (``quiet``): a worker that died idle, holding leases, has expired by then and
  its leases are back in the queue. A worker that dies after that, while publishing, leaves
  its leases for the next worker to start (``scrapy frontier status`` shows them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aggregator.frontier.connection import Keys

# score = -priority * 2^32 + arrival: exact in a double for priorities within ±2^20
PRIORITY_SCALE = 4294967296

# Give back the leases of every worker whose alive key expired; the count given back.
# A worker's claims, when its leases go back: each id is held for the request whose page gave
# it ('req:<request id>'), so that the page read again gives it, as the first reading did,
# and not a copy from another page (a story page's card has no issue date).
_UNCLAIM = """
local function unclaim(prefix, worker)
  local claims = prefix .. ':claims:' .. worker
  local held = redis.call('HGETALL', claims)
  for i = 1, #held, 2 do
    redis.call('HSET', prefix .. ':items', held[i], 'req:' .. held[i + 1])
  end
  redis.call('DEL', claims)
end
"""

_RECLAIM = (
    _UNCLAIM
    + """
local function reclaim(prefix)
  local back = 0
  local workers = redis.call('HKEYS', prefix .. ':workers')
  for _, worker in ipairs(workers) do
    -- (a worker killed while publishing is settled on its marker: aggregator.frontier.publishing)
    if redis.call('EXISTS', prefix .. ':alive:' .. worker) == 0
        and redis.call('EXISTS', prefix .. ':publishing:' .. worker) == 0 then
      local lease = prefix .. ':lease:' .. worker
      local held = redis.call('HGETALL', lease)
      for i = 1, #held, 2 do
        redis.call('ZADD', prefix .. ':queue', held[i + 1], held[i])
        back = back + 1
      end
      redis.call('DEL', lease)
      unclaim(prefix, worker)
      redis.call('HDEL', prefix .. ':workers', worker)
      if #held > 0 then redis.call('HINCRBY', prefix .. ':counts', 'reclaimed', #held / 2) end
    end
  end
  return back
end
"""
)

# ARGV: prefix, fingerprint, origin, request JSON ('' = record as seen only), priority,
# check (1: look the fingerprint up; 0: dont_filter). 0 seen, 1 queued, 2 new (kept locally).
_PUSH = """
local prefix = ARGV[1]
if ARGV[6] == '1' then
  local before = redis.call('HGET', prefix .. ':seen', ARGV[2])
  if before then
    if ARGV[3] ~= '' and before == ARGV[3] then return 2 end
    return 0
  end
  redis.call('HSET', prefix .. ':seen', ARGV[2], ARGV[3])
end
if ARGV[4] == '' then return 2 end
local id = redis.call('INCR', prefix .. ':seq')
redis.call('HSET', prefix .. ':requests', id, ARGV[4])
redis.call('ZADD', prefix .. ':queue', -tonumber(ARGV[5]) * SCALE + id, id)
redis.call('HINCRBY', prefix .. ':counts', 'queued', 1)
redis.call('DEL', prefix .. ':quiet')
return 1
""".replace("SCALE", str(PRIORITY_SCALE))

# ARGV: prefix, then (fingerprint, origin, JSON, priority, check) for each request: _PUSH of
# each, in one call (one round trip, one script run: a page's links go together). Its results.
_PUSH_MANY = """
local prefix = ARGV[1]
local results = {}
for base = 2, #ARGV, 5 do
  local result = 1
  if ARGV[base + 4] == '1' then
    local before = redis.call('HGET', prefix .. ':seen', ARGV[base])
    if before then
      if ARGV[base + 1] ~= '' and before == ARGV[base + 1] then result = 2 else result = 0 end
    else
      redis.call('HSET', prefix .. ':seen', ARGV[base], ARGV[base + 1])
    end
  end
  if result == 1 and ARGV[base + 2] == '' then result = 2 end
  if result == 1 then
    local id = redis.call('INCR', prefix .. ':seq')
    redis.call('HSET', prefix .. ':requests', id, ARGV[base + 2])
    redis.call('ZADD', prefix .. ':queue', -tonumber(ARGV[base + 3]) * SCALE + id, id)
    redis.call('HINCRBY', prefix .. ':counts', 'queued', 1)
    redis.call('DEL', prefix .. ':quiet')
  end
  results[#results + 1] = result
end
return results
""".replace("SCALE", str(PRIORITY_SCALE))

# ARGV: prefix, worker, how many. Returns id, JSON, id, JSON, ...
_LEASE = """
local prefix, worker = ARGV[1], ARGV[2]
if redis.call('HEXISTS', prefix .. ':workers', worker) == 0 then return false end
local popped = redis.call('ZPOPMIN', prefix .. ':queue', tonumber(ARGV[3]))
local out = {}
for i = 1, #popped, 2 do
  redis.call('HSET', prefix .. ':lease:' .. worker, popped[i], popped[i + 1])
  out[#out + 1] = popped[i]
  out[#out + 1] = redis.call('HGET', prefix .. ':requests', popped[i])
end
if #out > 0 then
  redis.call('HSET', prefix .. ':workers', worker, 'busy')
  redis.call('DEL', prefix .. ':quiet')
end
return out
"""

# ARGV: prefix, worker, lease ms. 1 alive, 0 its leases were given back (it was taken for dead).
_HEARTBEAT = """
local prefix, worker = ARGV[1], ARGV[2]
if redis.call('HEXISTS', prefix .. ':workers', worker) == 0 then return 0 end
redis.call('SET', prefix .. ':alive:' .. worker, '1', 'PX', tonumber(ARGV[3]))
return 1
"""

# A process joining under a name that still holds leases (a predecessor of that name, killed
# within the lease time: AGGREGATOR_FRONTIER_WORKER reused) gives them back to the queue
# first: this process never read those pages, and acknowledging them with its own would lose
# them. (A predecessor killed while publishing is settled on its marker before the join.)
# The count given back.
_JOIN = (
    _UNCLAIM
    + """
local prefix, worker = ARGV[1], ARGV[2]
local lease = prefix .. ':lease:' .. worker
local held = redis.call('HGETALL', lease)
for i = 1, #held, 2 do
  redis.call('ZADD', prefix .. ':queue', held[i + 1], held[i])
end
redis.call('DEL', lease)
unclaim(prefix, worker)
if #held > 0 then redis.call('HINCRBY', prefix .. ':counts', 'reclaimed', #held / 2) end
redis.call('HSET', prefix .. ':workers', worker, 'idle')
redis.call('SET', prefix .. ':alive:' .. worker, '1', 'PX', tonumber(ARGV[3]))
redis.call('HINCRBY', prefix .. ':counts', 'workers', 1)
return #held / 2
"""
)

# ARGV: prefix, worker (idle now), lease ms. Returns {state, queued}: state is 'work' (queued
# requests), 'busy' (a worker is busy), 'quiet' (waiting one lease time), 'over', or 'gone'.
_CHECK = (
    _RECLAIM
    + """
local prefix, worker = ARGV[1], ARGV[2]
if redis.call('HEXISTS', prefix .. ':workers', worker) == 0 then return {'gone', 0} end
redis.call('HSET', prefix .. ':workers', worker, 'idle')
redis.call('SET', prefix .. ':alive:' .. worker, '1', 'PX', tonumber(ARGV[3]))
reclaim(prefix)
local queued = redis.call('ZCARD', prefix .. ':queue')
if queued > 0 then return {'work', queued} end
local states = redis.call('HGETALL', prefix .. ':workers')
for i = 1, #states, 2 do
  if states[i + 1] == 'busy' then return {'busy', 0} end
  -- publishing (its marker recorded, not yet acknowledged): busy while it is alive
  if redis.call('EXISTS', prefix .. ':publishing:' .. states[i]) == 1
      and redis.call('EXISTS', prefix .. ':alive:' .. states[i]) == 1 then
    return {'busy', 0}
  end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local since = redis.call('GET', prefix .. ':quiet')
if not since then
  redis.call('SET', prefix .. ':quiet', now)
  return {'quiet', 0}
end
if now - tonumber(since) >= tonumber(ARGV[3]) then return {'over', 0} end
return {'quiet', 0}
"""
)

# ARGV: prefix, worker, then name, count pairs added to the crawl-wide counts. The leases
# are done: their requests are forgotten (their fingerprints stay seen). -1: not ours any more.
_ACK = """
local prefix, worker = ARGV[1], ARGV[2]
if redis.call('HEXISTS', prefix .. ':workers', worker) == 0 then return -1 end
local lease = prefix .. ':lease:' .. worker
local ids = redis.call('HKEYS', lease)
for _, id in ipairs(ids) do redis.call('HDEL', prefix .. ':requests', id) end
redis.call('DEL', lease, prefix .. ':alive:' .. worker, prefix .. ':claims:' .. worker,
  prefix .. ':publishing:' .. worker)
redis.call('HDEL', prefix .. ':workers', worker)
redis.call('HINCRBY', prefix .. ':counts', 'done', #ids)
for i = 3, #ARGV, 2 do redis.call('HINCRBY', prefix .. ':counts', ARGV[i], ARGV[i + 1]) end
return #ids
"""

# ARGV: prefix, worker. Its leases back to the queue now (a worker that stopped unfinished).
_RELEASE = (
    _UNCLAIM
    + """
local prefix, worker = ARGV[1], ARGV[2]
unclaim(prefix, worker)
local lease = prefix .. ':lease:' .. worker
local held = redis.call('HGETALL', lease)
for i = 1, #held, 2 do redis.call('ZADD', prefix .. ':queue', held[i + 1], held[i]) end
redis.call('DEL', lease, prefix .. ':alive:' .. worker)
redis.call('HDEL', prefix .. ':workers', worker)
if #held > 0 then redis.call('HINCRBY', prefix .. ':counts', 'released', #held / 2) end
return #held / 2
"""
)


# ARGV: prefix, worker, item id, id of the request whose page gave it ('' if none). 1: the
# item is this worker's to publish (its own repeats are its own to drop); 0: another's.
_CLAIM = """
local prefix, worker, id, request = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local owner = redis.call('HGET', prefix .. ':items', id)
if owner == worker then return 1 end
if owner and (request == '' or owner ~= 'req:' .. request) then return 0 end
redis.call('HSET', prefix .. ':items', id, worker)
redis.call('HSET', prefix .. ':claims:' .. worker, id, request)
return 1
"""


@dataclass(frozen=True)
class Status:
    queued: int
    leased: int
    workers: dict[str, str]
    counts: dict[str, int]


class Frontier:
    """One worker's view of the shared frontier (or a command's, with ``worker=""``)."""

    def __init__(self, client: Any, keys: Keys, worker: str, lease_ms: int) -> None:
        self.client = client
        self.keys = keys
        self.worker = worker
        self.lease_ms = lease_ms
        self._push = client.register_script(_PUSH)
        self._push_many = client.register_script(_PUSH_MANY)
        self._lease = client.register_script(_LEASE)
        self._heartbeat = client.register_script(_HEARTBEAT)
        self._join = client.register_script(_JOIN)
        self._check = client.register_script(_CHECK)
        self._ack = client.register_script(_ACK)
        self._release = client.register_script(_RELEASE)
        self._claim = client.register_script(_CLAIM)
        self._reclaim = client.register_script(_RECLAIM + "return reclaim(ARGV[1])")

    def _args(self, *values: Any) -> list[Any]:
        return [self.keys.prefix, *values]

    def push(
        self, fingerprint: bytes, origin: str, request: str, priority: int, check: bool
    ) -> int:
        """0: seen before (dropped); 1: queued; 2: new, for the caller to keep locally (a
        redirect or retry of a request it holds; ``request`` is then "")."""
        args = self._args(fingerprint, origin, request, priority, 1 if check else 0)
        return int(self._push(args=args))

    def push_many(self, entries: list[tuple[bytes, str, str, int, bool]]) -> list[int]:
        """``push`` of each (fingerprint, origin, request, priority, check), in one script
        call: one round trip, and one command for the client to pack, not one a request."""
        if not entries:
            return []
        args: list[Any] = [self.keys.prefix]
        for fingerprint, origin, request, priority, check in entries:
            args += (fingerprint, origin, request, priority, 1 if check else 0)
        return [int(result) for result in self._push_many(args=args)]

    def join(self) -> int:
        """Join the crawl; the leases a predecessor of this name left, given back (how many)."""
        return int(self._join(args=self._args(self.worker, self.lease_ms)))

    def lease(self, count: int) -> list[tuple[bytes, bytes]] | None:
        """Up to ``count`` requests (id, JSON), now this worker's; None when the worker's
        leases were given back (it was taken for dead)."""
        reply = self._lease(args=self._args(self.worker, count))
        if reply is None:
            return None
        return list(zip(reply[::2], reply[1::2], strict=True))

    def heartbeat(self) -> bool:
        return bool(self._heartbeat(args=self._args(self.worker, self.lease_ms)))

    def check(self) -> tuple[str, int]:
        """Say this worker is idle; whether the crawl is over (see the module)."""
        state, queued = self._check(args=self._args(self.worker, self.lease_ms))
        return state.decode(), int(queued)

    def ack(self, counts: dict[str, int]) -> int:
        """This worker's leases are done; ``counts`` join the crawl-wide counts. -1: they
        were not this worker's any more."""
        pairs = [value for item in counts.items() for value in item]
        return int(self._ack(args=self._args(self.worker, *pairs)))

    def claim(self, item_id: str, request_id: str) -> bool:
        """Whether this worker publishes the item ``item_id``, found on the page of the
        leased request ``request_id``: no other worker holds it."""
        return bool(self._claim(args=self._args(self.worker, item_id, request_id)))

    def release(self) -> int:
        return int(self._release(args=self._args(self.worker)))

    def reclaim(self) -> int:
        return int(self._reclaim(args=self._args()))

    def status(self) -> Status:
        workers = {
            key.decode(): value.decode()
            for key, value in self.client.hgetall(self.keys.workers).items()
        }
        leased = sum(int(self.client.hlen(self.keys.lease(worker))) for worker in workers)
        counts = {
            key.decode(): int(value) for key, value in self.client.hgetall(self.keys.counts).items()
        }
        return Status(int(self.client.zcard(self.keys.queue)), leased, workers, counts)

    def clear(self) -> int:
        """Delete every key of this crawl; how many."""
        keys = list(self.client.scan_iter(match=f"{self.keys.prefix}:*", count=1000))
        return int(self.client.delete(*keys)) if keys else 0
