"""What a scheduler sees: the exit status, the summary line, and feeds that only a good run
replaces. Real ``scrapy crawl`` processes; kills land after a counted number of pages read
(the DEBUG "Crawled" lines), never on a timer alone.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
from pathlib import Path

import pytest

from aggregator.extensions.health import Limits, judge
from tests.support.crawl import ROOT, CrawlResult, file_url, run_crawl, scrapy_command
from tests.support.paths import SAMPLES

# A slow crawl of samples/: one request at a time, a pause between them.
SLOW = (
    "-s", "AGGREGATOR_LOCAL_FAST_ENABLED=0", "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05",
)  # fmt: skip


def digests(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file()
    }


@pytest.fixture
def good_feeds(tmp_path: Path, samples_crawl: CrawlResult) -> Path:
    """An OUTPUT_DIR holding a good run's feeds (copied from the samples crawl)."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("articles.jsonl", "teasers.jsonl"):
        (out / name).write_bytes((samples_crawl.output_dir / name).read_bytes())
    return out


def test_a_healthy_run_exits_0_and_says_so_last(samples_crawl: CrawlResult) -> None:
    assert samples_crawl.returncode == 0
    last = samples_crawl.stderr.strip().splitlines()[-1]
    assert "aggregator: healthy: 45 articles, 69 teasers published; 0 stories lost" in last
    stats = samples_crawl.stats
    assert stats["aggregator/health/verdict"] == "healthy"
    assert stats["aggregator/health/reasons"] == []
    assert (stats["aggregator/published/articles"], stats["aggregator/published/teasers"]) == (
        45,
        69,
    )
    assert stats["aggregator/health/summary"] in last
    assert not list(samples_crawl.output_dir.glob("*.partial-*"))


def test_a_missing_start_page_is_unhealthy_and_keeps_the_feeds(good_feeds: Path) -> None:
    before = digests(good_feeds)
    missing = file_url(SAMPLES / "magazines" / "No-Such-Magazine" / "index.html")
    result = run_crawl("issues", good_feeds, "-a", f"start_urls={missing}")
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "UNHEALTHY" in last and "1 start page(s) not read" in last
    assert "previous feeds kept" in last
    after = digests(good_feeds)
    assert {k: v for k, v in after.items() if k != "stats.json"} == before


def crawl_until(out: Path, pages: int, sig: signal.Signals) -> tuple[int, str]:
    """Start a slow crawl of samples/, send ``sig`` once ``pages`` pages were read."""
    command = scrapy_command(
        "crawl", "issues", *SLOW, "-s", f"OUTPUT_DIR={out}", "-s", "LOG_LEVEL=DEBUG"
    )
    process = subprocess.Popen(
        command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert process.stderr is not None
    seen, lines = 0, []
    for line in process.stderr:
        lines.append(line)
        if "] DEBUG: Crawled (" in line:
            seen += 1
            if seen == pages:
                process.send_signal(sig)
                break
    rest = process.communicate(timeout=60)[1]
    assert seen == pages, "".join(lines)[-2000:]
    return process.returncode, "".join(lines) + rest


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_an_interrupted_run_leaves_the_previous_feeds_byte_for_byte(
    good_feeds: Path, sig: signal.Signals
) -> None:
    before = digests(good_feeds)
    status, log = crawl_until(good_feeds, pages=20, sig=sig)
    assert status == (1 if sig is signal.SIGINT else -signal.SIGKILL), log[-2000:]
    feeds = {k: v for k, v in digests(good_feeds).items() if ".partial-" not in k}
    assert {k: v for k, v in feeds.items() if k != "stats.json"} == before
    if sig is signal.SIGINT:
        assert "finish reason shutdown" in log.strip().splitlines()[-1]
        assert not list(good_feeds.glob("*.partial-*"))
    else:
        assert list(good_feeds.glob("*.partial-*"))  # left by the killed process
        # the next run clears what the killed one left, and publishes
        result = run_crawl("issues", good_feeds)
        assert result.returncode == 0, result.stderr[-2000:]
        assert not list(good_feeds.glob("*.partial-*"))
        assert len(result.articles) == 45


def test_an_unwritable_output_dir_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_crawl("issues", blocker / "out")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scrapy crawl issues: bad setting OUTPUT_DIR: ")


@pytest.mark.parametrize(
    "command",
    [
        ["fetch", "--nolog"],
        ["parse", "--spider=issues", "-c", "parse_page", "--nolog"],
    ],
    ids=["fetch", "parse"],
)
def test_commands_that_are_not_crawls_never_open_the_feeds(
    good_feeds: Path, command: list[str]
) -> None:
    before = digests(good_feeds)
    story = next((SAMPLES / "stories").rglob("*.html"))
    done = subprocess.run(
        scrapy_command(*command, file_url(story), "-s", f"OUTPUT_DIR={good_feeds}"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout  # it did its own job
    assert digests(good_feeds) == before


def test_an_empty_dump_is_unhealthy(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={empty}")
    assert result.returncode == 1
    assert "0 article(s) read (at least 1)" in result.stderr.strip().splitlines()[-1]


# --- the rules, in process --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stats", "reason", "articles", "limits", "expected"),
    [
        ({}, "finished", 3, Limits(), []),
        ({}, "shutdown", 3, Limits(), ["finish reason shutdown"]),
        ({"aggregator/start/failed": 1}, "finished", 3, Limits(), ["1 start page(s) not read"]),
        ({}, "finished", 0, Limits(), ["0 article(s) read (at least 1)"]),
        ({"aggregator/lost/http_503": 2}, "finished", 3, Limits(), ["2 stories lost (at most 0)"]),
        ({"aggregator/lost/http_503": 2}, "finished", 3, Limits(max_lost=2), []),
        ({"aggregator/dropped/article_empty_body": 1}, "finished", 3, Limits(),
         ["1 items dropped (at most 0)"]),
        ({"log_count/ERROR": 4}, "finished", 3, Limits(max_errors=-1), []),
        ({"aggregator/fetch/missing": 24}, "finished", 3, Limits(), []),
        ({"aggregator/fetch/missing": 24}, "finished", 3, Limits(max_missing=10),
         ["24 missing pages (at most 10)"]),
    ],
)  # fmt: skip
def test_health_rules(
    stats: dict[str, int], reason: str, articles: int, limits: Limits, expected: list[str]
) -> None:
    assert judge(stats, reason, articles, limits).reasons == expected


def test_limits_come_from_settings() -> None:
    from scrapy.settings import Settings

    settings = Settings({"AGGREGATOR_HEALTH_MAX_LOST": "5", "AGGREGATOR_HEALTH_MAX_MISSING": 3})
    assert Limits.from_settings(settings) == Limits(max_lost=5, max_missing=3)
