"""Fixtures only: the default prompt matcher, crawlers of default settings, the real crawls
(``scrapy crawl`` in a subprocess, one per spider and input, whichever test asks first) and
both search-index engines. The library the tests share is tests/support/; the test servers
are tests/servers/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from aggregator.prompts import PromptMatcher
from tests.servers.postgres import Cluster, cluster, find_bin, postgres_database
from tests.support.crawl import CrawlResult, file_url, run_crawl
from tests.support.crawlers import finished, open_crawler
from tests.support.paths import SAMPLES, SECOND_LOCALE, SHAPES, SITE, WILD
from tests.support.shared import require_shared

# -- the prompt matcher, crawlers ----------------------------------------------------------------


@pytest.fixture(scope="session")
def matcher() -> PromptMatcher:
    """The default matcher: every packaged catalog language."""
    return PromptMatcher.default()


@pytest.fixture
def crawler() -> Crawler:
    """A fresh crawler of default settings, its stats opened."""
    return open_crawler()


@pytest.fixture
def stats(crawler: Crawler) -> StatsCollector:
    """The ``crawler`` fixture's stats."""
    assert crawler.stats is not None
    return crawler.stats


# -- the real crawls, one per spider and input ----------------------------------------------------


@pytest.fixture(scope="session")
def samples_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """``scrapy crawl issues`` on samples/ (its catalog and SECOND_LOCALE)."""
    starts = f"{file_url(SAMPLES / 'index.html')},{file_url(SAMPLES / SECOND_LOCALE)}"
    out = tmp_path_factory.mktemp("samples")
    return finished(run_crawl("issues", out, "-a", f"start_urls={starts}"))


@pytest.fixture(scope="session")
def site_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """``scrapy crawl issues`` on ../shared/site from its catalog (skips without it)."""
    start = file_url(require_shared(SITE / "index.html"))
    out = tmp_path_factory.mktemp("site")
    return finished(run_crawl("issues", out, "-a", f"start_urls={start}"))


@pytest.fixture(scope="session")
def shapes_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """``scrapy crawl dumps`` on tests/fixtures/dumps/shapes.jsonl."""
    out = tmp_path_factory.mktemp("shapes")
    return finished(run_crawl("dumps", out, "-a", f"path={SHAPES}"))


@pytest.fixture(scope="session")
def wild_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """``scrapy crawl dumps`` on tests/fixtures/dumps/wild.jsonl."""
    out = tmp_path_factory.mktemp("wild")
    return finished(run_crawl("dumps", out, "-a", f"path={WILD}"))


# -- the search index: both engines ---------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster for the session (tests/servers/postgres.py); skips with the
    reason where PostgreSQL is not installed."""
    where = find_bin()
    if isinstance(where, str):
        pytest.skip(where)
    with cluster() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index of each engine: a SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite'}"
    server: Cluster = request.getfixturevalue("postgres_cluster")
    return postgres_database(server)
