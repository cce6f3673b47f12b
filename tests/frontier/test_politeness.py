"""Politeness is crawl-wide: with a per-domain limit of 4, three workers that would each send
16 requests at once never have more than 4 open at the server together."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.delay_server import DelayServer
from tests.frontier.conftest import Site
from tests.frontier.workers import Crawl
from tests.servers.valkey import Valkey

DELAY = 0.05  # every page: requests overlap at the server whenever they can
_keys = itertools.count(1)


@pytest.fixture
def delayed(site: Site) -> Iterator[DelayServer]:
    with DelayServer(site.root, DELAY) as server:
        yield server


def crawl_with_limit(
    valkey: Valkey, server: DelayServer, folder: Path, limit: int
) -> tuple[list[int], int]:
    shared = Crawl(valkey.url, server.url_for("index.html"), folder, f"polite:{next(_keys)}")
    try:
        for _ in range(3):  # each: 16 requests at once to the host (the local default)
            shared.start(f"AGGREGATOR_FRONTIER_DOMAIN_CONCURRENCY={limit}")
        codes = shared.wait()
    finally:
        shared.stop()
    return codes, server.max_in_flight


def test_per_domain_limit_holds_for_all_workers(
    valkey: Valkey, delayed: DelayServer, tmp_path: Path
) -> None:
    codes, most = crawl_with_limit(valkey, delayed, tmp_path, 4)
    assert codes == [0, 0, 0]
    assert 2 <= most <= 4, f"{most} requests at once"


def test_without_the_limit_the_workers_add_up(
    valkey: Valkey, delayed: DelayServer, tmp_path: Path
) -> None:
    """The measure can fail: with a limit of 16 the three workers exceed 4 together."""
    codes, most = crawl_with_limit(valkey, delayed, tmp_path, 16)
    assert codes == [0, 0, 0]
    assert most > 4
