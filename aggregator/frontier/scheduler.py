"""``FrontierScheduler`` (``SCHEDULER`` with ``AGGREGATOR_FRONTIER``): Scrapy's scheduler on
the shared frontier, so that every ``scrapy crawl`` started with the same URL is one crawl.

- A request the spider makes goes to the server's queue, unless the crawl-wide seen-set
  (``SharedDupeFilter``) knew it: the start URLs are queued by the first worker, and dropped
  as repeats by the later ones, which join the crawl under way.
- A retry or a redirect of a request this worker holds stays in this process: it is part of
  reading a page this worker leased, and if the worker dies, the page is read again whole
  by the one that takes its leases.
- A request taken from the queue is leased (``leases.Frontier``), not popped: it stays this
  worker's until the worker's feeds are published at its end, then it is done (acknowledged);
  a worker that stops unfinished gives its leases back at once, a worker killed leaves them
  to expire (``AGGREGATOR_FRONTIER_LEASE`` seconds without its heartbeat).
- The engine sees pending requests until the crawl is over crawl-wide (the queue empty,
  every worker idle, for one lease time): a worker with nothing to do waits for the others
  (``AGGREGATOR_FRONTIER_POLL``), then all close with the finish reason ``finished``.
- Just before its feeds go into place, a worker records its publishing marker
  (``publishing``): one killed between the renames and the acknowledgement has its leases
  settled on it by the next worker to look (done if its feeds are in place), not read again.
- A worker taken for dead (its heartbeat late by a lease time) stops taking requests and
  publishes nothing: its pages are being read again elsewhere.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.http import Request
from twisted.internet import reactor as default_reactor
from twisted.internet import task

from aggregator.frontier import publishing, request_handed_over, request_leased, serialize
from aggregator.frontier.connection import Keys, connect, worker_name
from aggregator.frontier.dupefilter import SharedDupeFilter
from aggregator.frontier.leases import Frontier
from aggregator.utils.signals import feeds_publishing

logger = logging.getLogger(__name__)

DEFAULT_LEASE = 30.0  # seconds
DEFAULT_POLL = 0.05  # seconds between looks at the frontier while there is nothing to do
OUTBOX = 64  # requests queued at most in one round trip
LEASE_LOST = "aggregator/frontier/leases_lost"
# leases of a worker killed while publishing, settled here on its marker (``publishing``)
SETTLED_DONE = "aggregator/frontier/settled_done"
SETTLED_AGAIN = "aggregator/frontier/settled_again"
LEASE_ID = "aggregator_frontier_id"  # request.meta: the id of the lease it was read for
# requests this worker queued, kept (by their JSON) so that leasing one back reuses the object:
# no JSON decode, no rebuild, and Scrapy's fingerprint cache (per object) still holds it. The
# oldest go first past this many; a request not kept is rebuilt from its JSON, as another
# worker's is (the JSON holds the whole request, so both are equal).
OWN_KEPT = 8192


def is_continuation(request: Request) -> bool:
    """A retry or redirect of a request already leased: part of reading that page."""
    return "retry_times" in request.meta or "redirect_urls" in request.meta


class FrontierScheduler(BaseScheduler):
    def __init__(self, crawler: Crawler, frontier: Frontier, poll: float, prefetch: int) -> None:
        self.crawler = crawler
        self.frontier = frontier
        self.df = SharedDupeFilter.from_frontier(crawler, frontier)
        self.publishing = publishing.Publishing(frontier, crawler.settings)
        self.poll = poll
        self.prefetch = prefetch
        self.local: deque[Request] = deque()  # retries and redirects of leases held here
        # requests made here, for the queue (fingerprint, origin, JSON, priority)
        self.outbox: list[tuple[Request, tuple[bytes, str, str, int]]] = []
        self._flush_soon = False
        self._wake_pending = False
        self.leased: deque[Request] = deque()  # leased, not yet handed to the engine
        self.own: dict[bytes, Request] = {}  # queued here, by JSON (``OWN_KEPT``)
        self.spider: Spider | None = None
        self.reason: str | None = None
        self.lost = False
        self.over = False
        self._heartbeat: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        settings = crawler.settings
        assert crawler.spidercls is not None
        lease = settings.getfloat("AGGREGATOR_FRONTIER_LEASE", DEFAULT_LEASE)
        frontier = Frontier(
            connect(str(settings.get("AGGREGATOR_FRONTIER"))),
            Keys.of(settings, crawler.spidercls.name),
            worker_name(settings),
            int(lease * 1000),
        )
        scheduler = cls(
            crawler,
            frontier,
            settings.getfloat("AGGREGATOR_FRONTIER_POLL", DEFAULT_POLL),
            # requests leased at a time (one round trip): by default as many as the engine
            # downloads at once, so that one lease call a page at most keeps it busy
            max(
                1,
                settings.getint("AGGREGATOR_FRONTIER_PREFETCH", 0)
                or settings.getint("CONCURRENT_REQUESTS"),
            ),
        )
        crawler.signals.connect(scheduler.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(scheduler.feeds_publishing, signal=feeds_publishing)
        return scheduler

    # -- life -----------------------------------------------------------------------------

    def open(self, spider: Spider) -> None:
        self.spider = spider
        own = self.publishing.own()
        if own is not None:  # this worker's name, killed while publishing: settled first
            found, count = self.publishing.settle(self.frontier.worker, own, dead=False)
            logger.warning(
                "Frontier: this worker was killed while publishing: %d leases %s", count, found
            )
        inherited = self.frontier.join()
        if inherited:
            logger.warning(
                "Frontier: worker %s joined holding %d leases of an earlier process of that"
                " name (killed?): given back to the queue, to be read again",
                self.frontier.worker,
                inherited,
            )
        self._heartbeat = task.LoopingCall(self._beat)
        self._heartbeat.start(self.frontier.lease_ms / 3000, now=False)
        logger.info(
            "Frontier %s: worker %s joined (%s)",
            self.frontier.keys.prefix,
            self.frontier.worker,
            _counts_text(self.frontier),
        )

    def close(self, reason: str) -> None:
        """Before the feeds are published: make sure the leases are still this worker's."""
        self.reason = reason
        self._flush()
        if not self.lost and not self.frontier.heartbeat():
            self._lose_leases()

    def feeds_publishing(
        self, stored: list[tuple[Path, Path]], run: dict[str, str] | None = None
    ) -> bool:
        """Just before the feeds (or the run folder of ``run``) go into place: the marker that
        settles this worker's leases if it is killed before they are acknowledged
        (``publishing``); False when this worker must not publish."""
        if self.lost or self.reason != "finished":
            return not self.lost
        if not self.publishing.mark(publishing.marker(stored, self._counts(), run)):
            logger.error(
                "Frontier: this worker was taken for dead before publishing; its pages "
                "may be read again by another worker"
            )
            return False
        return True

    def _counts(self) -> dict[str, int]:
        """What this worker publishes, for the crawl-wide counts."""
        snapshot = self._stats().get_stats()
        return {
            "articles": int(snapshot.get("aggregator/published/articles", 0)),
            "teasers": int(snapshot.get("aggregator/published/teasers", 0)),
            "stories_lost": _total(snapshot, "aggregator/lost/"),
            "pages_lost": _total(snapshot, "aggregator/lost_pages/"),
        }

    def engine_stopped(self) -> None:
        """After the feeds were published (or dropped): the leases are done, or given back.
        (The stats file is written before: what is said here is in the log.)"""
        stats = self._stats()
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        if self.lost:
            return
        if self.reason == "finished":
            done = self.frontier.ack(self._counts())
            if done < 0:
                logger.error(
                    "Frontier: this worker was taken for dead while publishing; its pages "
                    "may be read again by another worker"
                )
                return
            stats.set_value("aggregator/frontier/acked", done)
            logger.info("Frontier: %d leased requests done (their pages are published)", done)
        else:
            given = self.frontier.release()
            stats.set_value("aggregator/frontier/released", given)
            logger.info("Frontier: %d leased requests given back (%s)", given, self.reason)
        status = self.frontier.status()
        if status.queued and not status.workers:
            stats.set_value("aggregator/frontier/left", status.queued)
            logger.warning(
                "Frontier: %d requests are back in the queue (a worker died while the crawl "
                "was ending): start a worker to read them",
                status.queued,
            )

    # -- the engine's side ------------------------------------------------------------------

    def has_pending_requests(self) -> bool:
        # the engine asks only once it is idle: no download, no callback running
        if self.outbox:
            self._flush()
            return True
        if self.local or self.leased:
            return True
        if self.lost or self.over:
            return False
        state, _ = self.frontier.check()
        if state == "gone":
            self._lose_leases()
            return False
        if state in ("quiet", "over"):
            # the crawl seems over: a worker killed while publishing may hold pages yet
            settled = self.publishing.settle_dead()
            if settled[publishing.DONE]:
                self._stats().inc_value(SETTLED_DONE, settled[publishing.DONE])
            if settled[publishing.AGAIN]:
                self._stats().inc_value(SETTLED_AGAIN, settled[publishing.AGAIN])
            if settled[publishing.AGAIN] or settled[publishing.WAITING]:
                self._wake_later()  # its pages come back, or a marker is to roll back
                return True
        if state == "over":
            self.over = True
            return False
        self._wake_later()
        return True

    def enqueue_request(self, request: Request) -> bool:
        assert self.spider is not None
        stats = self._stats()
        if is_continuation(request):
            # (a retry is dont_filter: Scrapy's fingerprint of it would go unused)
            if not request.dont_filter:
                fingerprint, origin = self.df.key(request)
                new = self.frontier.push(fingerprint, origin, "", request.priority, check=True)
                if new == 0:
                    self.df.log(request, self.spider)
                    return False
            self.local.append(request)
            stats.inc_value("aggregator/frontier/local")
            return True
        try:
            text = serialize.dumps(request, self.spider)
        except serialize.Unserializable as error:
            logger.error("Frontier: %s; read by this worker only", error)
            stats.inc_value("aggregator/frontier/unserializable")
            self.local.append(request)
            return True
        fingerprint, origin = self.df.key(request)
        # Queued with the page's other links in one round trip (``_flush``): until then they
        # are this process's, and so is the page they came from, which another worker reads
        # again if this one dies. A repeat is dropped then, not now: the engine's
        # ``request_dropped`` matters for redirects only, which stay here.
        self.outbox.append((request, (fingerprint, origin, text, request.priority)))
        if len(self.outbox) >= OUTBOX:
            self._flush()
        elif not self._flush_soon:
            self._flush_soon = True
            reactor: Any = default_reactor
            reactor.callLater(0, self._flush)
        return True

    def next_request(self) -> Request | None:
        if self.local:
            return self.local.popleft()
        self._flush()
        if not self.leased and not self.lost:
            self._lease()
        if self.leased:
            return self.leased.popleft()
        self._wake_later()
        return None

    # -- helpers ----------------------------------------------------------------------------

    def _flush(self) -> None:
        """The requests waiting in ``outbox`` to the queue, unless seen crawl-wide."""
        self._flush_soon = False
        if not self.outbox or self.spider is None:
            return
        batch, self.outbox = self.outbox, []
        results = self.frontier.push_many(
            [(*entry, not request.dont_filter) for request, entry in batch]
        )
        pushed = 0
        own = self.own
        for (request, entry), result in zip(batch, results, strict=True):
            if result == 0:
                self.df.log(request, self.spider)
            else:
                pushed += 1
                if result == 1:
                    own[entry[2].encode()] = request
        while len(own) > OWN_KEPT:  # the oldest first (a dict keeps the order of insertion)
            del own[next(iter(own))]
        self._stats().inc_value("aggregator/frontier/pushed", pushed)
        # queued or seen, their outcome is the worker's that leases them (or leased them
        # first), not this one's
        requests = [request for request, _ in batch]
        self.crawler.signals.send_catch_log(request_handed_over, requests=requests)

    def _lease(self) -> None:
        assert self.spider is not None
        taken = self.frontier.lease(self.prefetch)
        if taken is None:
            self._lose_leases()
            return
        stats = self._stats()
        requests = []
        own = self.own
        rebuilt = 0
        for key, text in taken:
            try:
                request = own.pop(text, None)
                if request is None:  # another worker's, or not kept
                    request = serialize.loads(text, self.spider)
                    rebuilt += 1
                request.meta[LEASE_ID] = key.decode()  # kept by its retries and redirects
                requests.append(request)
            except (ValueError, TypeError, KeyError) as error:
                logger.error("Frontier: a queued request cannot be read (%s): %r", error, text)
                stats.inc_value("aggregator/frontier/unreadable")
        if rebuilt:
            stats.inc_value("aggregator/frontier/rebuilt", rebuilt)
        if requests:
            stats.inc_value("aggregator/frontier/leased", len(requests))
            self.crawler.signals.send_catch_log(request_leased, requests=requests)
            self.leased.extend(requests)

    def _lose_leases(self) -> None:
        if self.lost:
            return
        self.lost = True
        self.leased.clear()
        self.own.clear()
        self._stats().set_value(LEASE_LOST, 1)
        logger.error(
            "Frontier: worker %s was taken for dead (no heartbeat for %.1f s); its leases "
            "went back to the queue: it stops and publishes nothing",
            self.frontier.worker,
            self.frontier.lease_ms / 1000,
        )

    def _beat(self) -> None:
        if not self.lost and not self.frontier.heartbeat():
            self._lose_leases()

    def _wake_later(self) -> None:
        """Ask the engine to call again in ``poll`` seconds: work may arrive from another
        worker, and Scrapy's own heartbeat comes only every 5 s. Scrapy has no public call
        for it; without the engine's slot, its heartbeat still comes. (Not the slot's own
        delayed call: while one is pending, the engine's call at once, when the spider
        yields a request, would be lost.)"""
        if self._wake_pending:
            return
        self._wake_pending = True
        reactor: Any = default_reactor
        reactor.callLater(self.poll, self._wake)

    def _wake(self) -> None:
        self._wake_pending = False
        slot: Any = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats


def _total(stats: dict[str, Any], prefix: str) -> int:
    return sum(int(value) for key, value in stats.items() if key.startswith(prefix))


def _counts_text(frontier: Frontier) -> str:
    status = frontier.status()
    return f"{status.queued} queued, {status.leased} leased, {len(status.workers)} workers"
