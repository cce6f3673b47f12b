"""The frontier's server: its URL, the client, the keys, and ``configure`` for ``scrapy crawl``.

The client (``valkey``, the maintained fork of redis-py, or ``redis``) is the optional extra
``aggregator[frontier]``; without it, a crawl asked for a frontier stops with one line. The
keys of one crawl share a prefix, ``aggregator:<spider>`` (``AGGREGATOR_FRONTIER_KEY`` to
run two crawls of one spider on one server), and use one database: no Redis Cluster (the
scripts in ``leases`` touch keys they name themselves).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from aggregator.feeds.names import output_dir

SCHEMES = ("redis", "rediss", "valkey", "valkeys", "unix")
MISSING_CLIENT = "AGGREGATOR_FRONTIER needs the Valkey client: pip install 'aggregator[frontier]'"
SCHEDULER = "aggregator.frontier.scheduler.FrontierScheduler"
WORKER_PLACEHOLDER = "%(worker)s"


class FrontierUnavailable(Exception):
    """The frontier cannot be used: a bad URL, no client, a server that does not answer."""


def url_problem(url: str) -> str | None:
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        return f"{url!r} is no Valkey/Redis URL (redis://host:port/db)"
    return None


def connect(url: str) -> Any:
    """A client of the server at ``url`` (bytes replies), checked with a PING."""
    problem = url_problem(url)
    if problem:
        raise FrontierUnavailable(problem)
    try:
        import valkey as client_module
    except ImportError:
        try:
            import redis as client_module  # type: ignore[no-redef]
        except ImportError:
            raise FrontierUnavailable(MISSING_CLIENT) from None
    # valkey-py reads redis:// and rediss://; valkey:// is the same protocol
    client = client_module.Redis.from_url(url.replace("valkey", "redis", 1))
    try:
        client.ping()
    except client_module.exceptions.ConnectionError as error:
        raise FrontierUnavailable(f"cannot reach the frontier at {url}: {error}") from None
    return client


@dataclass(frozen=True)
class Keys:
    """The names of one crawl's keys."""

    prefix: str

    @classmethod
    def of(cls, settings: BaseSettings, spider: str) -> Keys:
        return cls(str(settings.get("AGGREGATOR_FRONTIER_KEY") or f"aggregator:{spider}"))

    @property
    def queue(self) -> str:  # ZSET id -> score (priority, then order of arrival)
        return f"{self.prefix}:queue"

    @property
    def requests(self) -> str:  # HASH id -> the request as JSON, until it is done
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:  # HASH fingerprint -> the redirect chain's first URL, or ""
        return f"{self.prefix}:seen"

    @property
    def workers(self) -> str:  # HASH worker -> busy | idle
        return f"{self.prefix}:workers"

    @property
    def counts(self) -> str:  # HASH of crawl-wide counts (queued, done, reclaimed, ...)
        return f"{self.prefix}:counts"

    @property
    def seq(self) -> str:
        return f"{self.prefix}:seq"

    @property
    def quiet(self) -> str:  # since when (server ms) nothing was queued and all were idle
        return f"{self.prefix}:quiet"

    def lease(self, worker: str) -> str:
        return f"{self.prefix}:lease:{worker}"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def slots(self, domain: str) -> str:
        return f"{self.prefix}:slots:{domain}"

    def next_slot(self, domain: str) -> str:
        return f"{self.prefix}:next:{domain}"


def worker_name(settings: BaseSettings) -> str:
    """This process's name in the frontier: ``AGGREGATOR_FRONTIER_WORKER``, else host-pid."""
    name = settings.get("AGGREGATOR_FRONTIER_WORKER")
    return str(name or f"{socket.gethostname()}-{os.getpid()}")


def configure(settings: BaseSettings) -> str | None:
    """For ``scrapy crawl``: with ``AGGREGATOR_FRONTIER``, check the server answers, install the
    shared scheduler and put the worker's name in ``OUTPUT_DIR``; the problem, or None."""
    url = settings.get("AGGREGATOR_FRONTIER")
    if not url:
        return None
    try:
        connect(str(url)).close()
    except FrontierUnavailable as error:
        return f"bad setting AGGREGATOR_FRONTIER: {error}"
    # at the command line's priority: the project's settings (OUTPUT_DIR) and -s rank above
    # a command's, and these decide what the crawl is
    worker = worker_name(settings)
    settings.set("AGGREGATOR_FRONTIER_WORKER", worker, priority="cmdline")
    settings.set("SCHEDULER", SCHEDULER, priority="cmdline")
    output = output_dir(settings)
    if WORKER_PLACEHOLDER in output:
        settings.set("OUTPUT_DIR", output.replace(WORKER_PLACEHOLDER, worker), "cmdline")
    return None
