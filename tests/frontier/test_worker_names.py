"""A worker name reused (``AGGREGATOR_FRONTIER_WORKER``) by a process started again within the
lease time: the leases its predecessor left are given back to the queue when it joins, not
taken as its own (acknowledging them with its own work would lose their pages unread)."""

from __future__ import annotations

import itertools

from aggregator.frontier.connection import Keys, connect
from aggregator.frontier.leases import Frontier
from tests.servers.valkey import Valkey

_crawls = itertools.count(1)
LEASE_MS = 60_000  # long: the predecessor's leases would not expire during the test


def _worker(valkey: Valkey, prefix: str, name: str) -> Frontier:
    return Frontier(connect(valkey.url), Keys(prefix), name, LEASE_MS)


def test_a_reused_name_gives_back_what_its_predecessor_held(valkey: Valkey) -> None:
    prefix = f"test:names:{next(_crawls)}"
    first = _worker(valkey, prefix, "w")
    first.join()
    for n in range(3):
        assert first.push(f"fp{n}".encode(), "", f'{{"url": "http://a/{n}"}}', 0, True) == 1
    held = first.lease(2)
    assert held is not None and len(held) == 2
    other = _worker(valkey, prefix, "other")
    assert other.join() == 0  # another name takes nothing of w's
    status = other.status()
    assert (status.queued, status.leased) == (1, 2)

    again = _worker(valkey, prefix, "w")  # w killed, started again under its name
    assert again.join() == 2
    status = again.status()
    assert (status.queued, status.leased) == (3, 0)
    assert status.counts["reclaimed"] == 2
    leased = again.lease(3)
    assert leased is not None
    assert sorted(request for _, request in leased) == sorted(
        f'{{"url": "http://a/{n}"}}'.encode() for n in range(3)
    )
    again.clear()
