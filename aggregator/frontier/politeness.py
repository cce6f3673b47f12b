"""``CrawlWidePoliteness``: the per-domain concurrency and delay of a shared crawl hold for all
its workers together, not for each (a downloader middleware, on with ``AGGREGATOR_FRONTIER``).

Before a request to a host goes out, the worker takes one of the host's slots in the server:
a sorted set of tokens, each with an expiry (``AGGREGATOR_FRONTIER_SLOT_TTL``, by default the
download timeout and a minute), so that a worker killed with a slot taken blocks it only until
then. At most ``AGGREGATOR_FRONTIER_DOMAIN_CONCURRENCY`` tokens (by default
``CONCURRENT_REQUESTS_PER_DOMAIN``) are out at once, and two requests to a host start at least
``DOWNLOAD_DELAY`` apart, by the server's clock. The slot is given back with the response or
the error. Only http(s) requests take slots (a mirror on disk has no host to spare).
"""

from __future__ import annotations

import uuid
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import reactor as default_reactor
from twisted.internet import task

from aggregator.frontier.connection import Keys, connect

SLOT = "aggregator_frontier_slot"  # request.meta: (host, token) of the slot taken
WAIT = 0.02  # seconds between tries for a slot of a host at its limit

# ARGV: prefix, host, token, limit, slot ms, delay ms. 0: taken; else ms to wait at least.
_ACQUIRE = """
local slots = ARGV[1] .. ':slots:' .. ARGV[2]
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
if redis.call('ZCARD', slots) >= tonumber(ARGV[4]) then return -1 end
local delay = tonumber(ARGV[6])
if delay > 0 then
  local next_key = ARGV[1] .. ':next:' .. ARGV[2]
  local next_at = tonumber(redis.call('GET', next_key) or '0')
  if now < next_at then return next_at - now end
  redis.call('SET', next_key, now + delay, 'PX', delay + 60000)
end
redis.call('ZADD', slots, now + tonumber(ARGV[5]), ARGV[3])
redis.call('PEXPIRE', slots, tonumber(ARGV[5]))
return 0
"""


class CrawlWidePoliteness:
    def __init__(self, client: Any, keys: Keys, limit: int, delay: float, slot_ttl: float):
        self.client = client
        self.keys = keys
        self.limit = limit
        self.delay_ms = int(delay * 1000)
        self.slot_ms = int(slot_ttl * 1000)
        self._acquire = client.register_script(_ACQUIRE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlWidePoliteness:
        settings = crawler.settings
        url = settings.get("AGGREGATOR_FRONTIER")
        if not url:
            raise NotConfigured
        assert crawler.spidercls is not None
        limit = settings.getint("AGGREGATOR_FRONTIER_DOMAIN_CONCURRENCY") or settings.getint(
            "CONCURRENT_REQUESTS_PER_DOMAIN"
        )
        ttl = settings.getfloat("AGGREGATOR_FRONTIER_SLOT_TTL") or (
            settings.getfloat("DOWNLOAD_TIMEOUT", 180.0) + 60.0
        )
        return cls(
            connect(str(url)),
            Keys.of(settings, crawler.spidercls.name),
            max(1, limit),
            settings.getfloat("DOWNLOAD_DELAY"),
            ttl,
        )

    async def process_request(self, request: Request) -> None:
        parsed = urlparse_cached(request)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            return
        host = parsed.hostname
        token = uuid.uuid4().hex
        args = [self.keys.prefix, host, token, self.limit, self.slot_ms, self.delay_ms]
        while True:
            wait = int(self._acquire(args=args))
            if wait == 0:
                break
            seconds = WAIT if wait < 0 else max(wait / 1000, WAIT)
            await maybe_deferred_to_future(task.deferLater(default_reactor, seconds, lambda: None))
        request.meta[SLOT] = (host, token)

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        slot = request.meta.pop(SLOT, None)
        if slot is not None:
            host, token = slot
            self.client.zrem(self.keys.slots(host), token)
