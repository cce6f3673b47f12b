"""The frontier tests' fixtures: a real Valkey/Redis server (skipped with the reason when there
is none), a generated mirror with two unreadable story pages, served over loopback, and the
single-process crawl of it that the shared crawls are compared with."""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aggregator.frontier.connection import Keys, connect
from aggregator.frontier.leases import Frontier
from benchmarks.mirror import write_mirror
from tests.frontier.workers import Crawl, crawl_settings, lost_in, read_records
from tests.servers.slow import SlowServer
from tests.servers.slow import serve as serve_http
from tests.servers.valkey import Valkey, find_server, serve
from tests.support.crawl import ROOT, scrapy_command

STORY_PAGES = 160
STORY_DELAY = 0.1  # seconds a story page takes: a crawl of a few seconds, to kill one in
BROKEN = 2  # story pages made unreadable: named losses, in every crawl alike
_keys = itertools.count(1)


@pytest.fixture(scope="session")
def valkey() -> Iterator[Valkey]:
    binary = find_server()
    if isinstance(binary, str):
        pytest.skip(binary)
    try:
        import valkey as _client  # noqa: F401
    except ImportError:
        pytest.skip("the Valkey client is not installed: pip install 'aggregator[frontier]'")
    with serve(binary) as server:
        yield server


@dataclass(frozen=True)
class Site:
    root: Path
    story_paths: list[str]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("frontier") / "mirror"
    mirror = write_mirror(root, STORY_PAGES, seed=3)
    stories = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.html") if "/stories/" in p.as_posix()
    )
    assert len(stories) == mirror.story_pages == STORY_PAGES
    for relative in stories[5 : 5 + BROKEN]:  # a story page with no story on it
        (root / relative).write_text("<html><body><p>gone</p></body></html>", encoding="utf-8")
    return Site(root, stories)


@pytest.fixture(scope="session")
def web(site: Site) -> Iterator[SlowServer]:
    """One server (one port: the ids and URLs in the items hold it) for every crawl here."""
    with serve_http(site.root, story_delay=STORY_DELAY) as server:
        yield server


@dataclass(frozen=True)
class Single:
    articles: list[dict[str, Any]]
    teasers: list[dict[str, Any]]
    lost: list[str]
    scheduled: int  # requests its scheduler took (every page once)


@pytest.fixture(scope="session")
def single(web: SlowServer, tmp_path_factory: pytest.TempPathFactory) -> Single:
    """The same mirror crawled by one process, without a frontier."""
    out = tmp_path_factory.mktemp("frontier-single")
    done = subprocess.run(
        scrapy_command(
            "crawl", "issues", "-a", f"start_urls={web.url_for('index.html')}",
            *crawl_settings(out),
        ),
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return Single(
        read_records(out, "articles"),
        read_records(out, "teasers"),
        lost_in(done.stderr),
        json.loads((out / "stats.json").read_text(encoding="utf-8"))["scheduler/enqueued"],
    )


@pytest.fixture
def crawl(valkey: Valkey, web: SlowServer, tmp_path: Path) -> Iterator[Crawl]:
    """A new shared crawl (its own keys on the server); its workers are killed after."""
    shared = Crawl(valkey.url, web.url_for("index.html"), tmp_path, f"test:{next(_keys)}")
    try:
        yield shared
    finally:
        shared.stop()


def frontier_of(crawl: Crawl) -> Frontier:
    return Frontier(connect(crawl.frontier), Keys(crawl.key), "", 0)
