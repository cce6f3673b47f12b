"""What the tests share, each in one place: paths, ../shared and its skips, the fixture files'
records, the prompt matcher, crawlers from ``get_crawler`` and the real crawls.

Paths are derived from this file, never from the working directory. ../shared (the reference
mirror ``site/``, the seed, the output checker) is third-party text kept outside this
repository: ``require_shared`` skips the calling test, with the reason, when a file of it is
absent, ``skip_without_shared`` marks a whole module, and ``shared_params`` gives one skipped
parameter in place of the ones it would have read.

The real crawls (``tests/crawl.py``: ``scrapy crawl`` in a subprocess) of the inputs several
tests read are session fixtures: one crawl per spider and input, whichever test asks first.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler

from aggregator import settings as project
from aggregator.prompts import CleanResult, PromptMatcher
from tests.crawl import ROOT, CrawlResult, file_url, run_crawl
from tests.pg_cluster import Cluster, cluster, find_bin

# -- the repository's own files ---------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
DUMP_FIXTURES = FIXTURES / "dumps"
SHAPES = DUMP_FIXTURES / "shapes.jsonl"  # one record per saved-text shape, with a ``name``
WILD = DUMP_FIXTURES / "wild.jsonl"  # invented page texts with their reviewed ``expect``
TXT_PAGE = DUMP_FIXTURES / "gold2025.txt"  # a .txt page: the shape "gold2025", saved alone
EXPECTED = TESTS / "expected"  # golden files (python -m tests.golden)
SAMPLES = ROOT / "samples"  # the project's generated mirror (python -m sitegen)
MANIFEST = SAMPLES / "MANIFEST.json"
# linked only from the German story pages of its issue: the samples crawl starts it too, so
# the crawl meets the same story under two locales
SECOND_LOCALE = "de/stories/food/Brunch/SMALL-PLATES-BIG-AMBITIONS.html"

# -- ../shared: third-party text, read where it lies ------------------------------------------

SHARED = ROOT.parent / "shared"
SITE = SHARED / "site"  # the reference mirror
SITE_EXPECTED = SITE / "expected.json"  # what its pages hold
SEED = SHARED / "seeds" / "000_c93c0c6aaedbf7e3.txt"  # a saved page text
SEED_URL = (
    "https://www.magzter.com/nb/stories/newspaper/The-Independent/"
    "KIM-EXPECTS-LEVERAGE-FOR-LENDING-PUTIN-HIS-TROOPS"
)
CHECK_OUTPUT = SHARED / "tools" / "check_output.py"  # the shared checker of a crawl's output

_WHY_ABSENT = {
    "site": "the reference mirror is third-party text,",
    "seeds": "the seed is third-party text,",
    "tools": "the shared checker is",
}


def absent_reason(path: Path) -> str:
    """Why a test of ``path`` (a file or folder under ../shared) is skipped."""
    relative = path.relative_to(SHARED)
    why = _WHY_ABSENT.get(relative.parts[0], "it is")
    return f"../shared/{relative.as_posix()} is absent: {why} kept outside this repository"


def require_shared(path: Path) -> Path:
    """``path`` under ../shared, or skip the calling test (or fixture) with the reason."""
    if not path.exists():
        pytest.skip(absent_reason(path))
    return path


def skip_without_shared(path: Path) -> pytest.MarkDecorator:
    """A module's ``pytestmark`` when all its tests read ``path`` under ../shared."""
    return pytest.mark.skipif(not path.exists(), reason=absent_reason(path))


def shared_params(path: Path, values: Callable[[], list[Any]]) -> list[Any]:
    """Collection-time parameters read from ``path`` under ../shared by ``values()``; without
    it, one parameter ``absent`` that is skipped with the reason."""
    if not path.exists():
        skip = pytest.mark.skip(reason=absent_reason(path))
        return [pytest.param("absent", id="absent", marks=skip)]
    return values()


@functools.cache
def _site_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SITE_EXPECTED.read_text(encoding="utf-8"))
    return data


def site_expected() -> dict[str, Any]:
    """../shared/site/expected.json: the mirror's pages, articles (with their body paragraphs
    and prompt locale) and teaser cards. Skips the calling test without it."""
    require_shared(SITE_EXPECTED)
    return _site_expected()


def seed_text() -> str:
    """The seed page text (../shared/seeds/000_c93c0c6aaedbf7e3.txt), or skip."""
    return require_shared(SEED).read_text(encoding="utf-8")


def same_issue_date(got: str | None, want: str) -> bool:
    """expected.json writes a monthly as its first day; month precision matches too."""
    return got == want or (got is not None and len(got) == 7 and want == f"{got}-01")


def _text(node: Any) -> str:
    return " ".join("".join(node.css("::text").getall()).split())


@functools.cache
def _site_story(page: str) -> dict[str, Any]:
    article = next(a for a in _site_expected()["articles"] if a["path"] == page)
    html = require_shared(SITE / page).read_text(encoding="utf-8")
    selector = Selector(text=html)
    body: list[str] = article["body_paragraphs"]
    printed = [_text(p) for p in selector.css(".story-body > p")]
    # the story body prints the article's paragraphs, then the prompt block
    assert printed[: len(body)] == body, f"{page}: the body is not expected.json's"
    return {
        "page": page,
        "body_paragraphs": body,
        "prompt_paragraphs": printed[len(body) :],
        "overlay_lines": [_text(p) for p in selector.css(".paywall-overlay p")],
        "gold_cta": [_text(node) for node in selector.css(".gold-cta")],
        "more_stories_heading": _text(selector.css("section.more-stories h2")),
        "cards": [
            {
                "magazine": _text(card.css(".card-magazine")),
                "title": _text(card.css(".card-title")),
                "summary": _text(card.css(".card-summary")),
                "read_time": _text(card.css(".card-read-time")),
                "date": _text(card.css(".card-date")),
            }
            for card in selector.css("section.more-stories li.story-card")
        ],
    }


def site_story(page: str) -> dict[str, Any]:
    """What the story page ``page`` of ../shared/site prints: body, prompts, interface, cards."""
    require_shared(SITE_EXPECTED)
    return _site_story(page)


def site_stories() -> list[dict[str, Any]]:
    """Every story page listed in ../shared/site/expected.json, read from its HTML."""
    stories = [site_story(a["path"]) for a in site_expected()["articles"]]
    assert len(stories) == 6, "expected.json lists six story pages"
    return stories


def check_output(output_dir: Path) -> subprocess.CompletedProcess[str]:
    """../shared/tools/check_output.py on a crawl's output (skips the test without it)."""
    tool = require_shared(CHECK_OUTPUT)
    return subprocess.run(
        [sys.executable, str(tool), str(output_dir)], capture_output=True, text=True, check=False
    )


# -- fixture files ------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines fixture (blank lines are no records)."""
    with path.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


@functools.cache
def _wild_records() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl(WILD))


def wild_records() -> list[dict[str, Any]]:
    """tests/fixtures/dumps/wild.jsonl (read once; a fresh list each call)."""
    return list(_wild_records())


def manifest() -> dict[str, Any]:
    """samples/MANIFEST.json: what ``python -m sitegen`` put in every page of samples/."""
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


# -- the prompt matcher, crawlers ----------------------------------------------------------------


@pytest.fixture(scope="session")
def matcher() -> PromptMatcher:
    """The default matcher: every packaged catalog language."""
    return PromptMatcher.default()


def clean(*lines: str) -> CleanResult:
    """The default matcher's cleaning of ``lines``, one paragraph a line."""
    return PromptMatcher.default().clean("\n".join(lines))


def project_settings() -> Settings:
    """The project's settings (aggregator/settings.py) at project priority, as ``scrapy``
    loads them from scrapy.cfg, without depending on the working directory."""
    settings = Settings()
    settings.setmodule(project, priority="project")
    return settings


def open_crawler(**settings: Any) -> Crawler:
    """A crawler from ``scrapy.utils.test.get_crawler`` with ``settings``, its stats opened,
    for the stages' ``from_crawler``."""
    crawler = get_crawler(settings_dict=settings)
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return crawler


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


def finished(result: CrawlResult) -> CrawlResult:
    """``result``, once it is known to have ended with status 0."""
    assert result.returncode == 0, result.stderr[-3000:]
    return result


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
    """A throwaway PostgreSQL cluster for the session (tests/pg_cluster.py); skips with the
    reason where PostgreSQL is not installed."""
    where = find_bin()
    if isinstance(where, str):
        pytest.skip(where)
    with cluster() as server:
        yield server


_databases = itertools.count(1)


def postgres_database(server: Cluster) -> str:
    """The URL of a new, empty database of ``server``."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def index_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index of each engine: a SQLite file, a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'index.sqlite'}"
    server: Cluster = request.getfixturevalue("postgres_cluster")
    return postgres_database(server)
