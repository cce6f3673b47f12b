"""Runs stopped before they ran out, through real ``scrapy crawl`` processes: at a cap the user
set (``CLOSESPIDER_ITEMCOUNT``, ``…_PAGECOUNT``), by Ctrl-C (after a counted number of pages
read, never on a timer); and what ``make crawl``'s command line prints."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest

from tests.support.crawl import ROOT, file_url, run_crawl, scrapy_command
from tests.support.paths import SAMPLES

# One request at a time, a pause between them: a crawl still running when the signal lands.
SLOW = (
    "-s", "AGGREGATOR_LOCAL_FAST=0", "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05",
)  # fmt: skip


# One request at a time, no pause: the order of the pages read is the crawl's own, not the
# machine's. With 16 at once on a loaded machine, the issue pages' teasers alone can reach an
# item cap before the first story is fetched (0 articles: unhealthy), which is a property of
# the race, not of the cap.
ONE_AT_A_TIME = ("-s", "CONCURRENT_REQUESTS=1")


@pytest.mark.parametrize(
    ("setting", "reason"),
    [
        ("CLOSESPIDER_ITEMCOUNT=20", "closespider_itemcount"),
        ("CLOSESPIDER_PAGECOUNT=25", "closespider_pagecount"),
    ],
)
def test_a_capped_run_publishes_what_it_read_and_is_healthy(
    tmp_path: Path, setting: str, reason: str
) -> None:
    result = run_crawl("issues", tmp_path, *ONE_AT_A_TIME, "-s", setting)
    assert result.returncode == 0, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert f"healthy: stopped at the cap ({reason})" in last, last
    stats = result.stats
    assert stats["aggregator/health/verdict"] == "healthy"
    # what it read is published; the stories it did not reach are not lost, and said apart
    assert stats["aggregator/published/articles"] == len(result.articles) > 0
    assert not [key for key in stats if key.startswith("aggregator/lost/")]
    not_reached = stats["aggregator/stories/not_reached"]
    assert not_reached > 0
    assert f"0 stories lost; {not_reached} stories scheduled, not reached (not lost)" in last
    assert "Story lost" not in result.stderr
    assert len(result.articles) < 45


def test_ctrl_c_says_so_once_and_counts_the_stories_in_flight(tmp_path: Path) -> None:
    command = scrapy_command(
        "crawl", "issues", *SLOW, "-s", f"OUTPUT_DIR={tmp_path}", "-s", "LOG_LEVEL=DEBUG"
    )
    process = subprocess.Popen(
        command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert process.stderr is not None
    seen, lines = 0, []
    for line in process.stderr:
        lines.append(line)
        if "] DEBUG: Crawled (" in line and "/stories/" in line:
            seen += 1
            if seen == 3:  # stories scheduled, some read: some in flight
                process.send_signal(signal.SIGINT)
                break
    log = "".join(lines) + process.communicate(timeout=120)[1]
    assert process.returncode == 1, log[-2000:]
    assert log.count("shutting down gracefully") == 1, log[-3000:]
    assert "Story lost" not in log  # not one WARNING a story
    counted = [line for line in log.splitlines() if "stories scheduled were not reached" in line]
    assert len(counted) == 1 and "(shutdown)" in counted[0], log[-3000:]
    last = log.strip().splitlines()[-1]
    assert "0 stories lost" in last and "not reached (not lost)" in last, last
    assert "finish reason shutdown" in last


def test_the_newcomers_crawl_prints_the_summary_and_no_log(tmp_path: Path) -> None:
    """``make crawl``'s command line (LOG_LEVEL=WARNING): the summary, no Scrapy start-up log;
    ``-s LOG_LEVEL=INFO`` after it brings the log back, with no "Stored … feed" line."""
    quiet = run_crawl("issues", tmp_path / "quiet", log_level="WARNING")
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert quiet.stderr.strip().splitlines() == [
        "aggregator: healthy: 45 articles, 69 teasers published; 0 stories lost"
    ]
    full = run_crawl("issues", tmp_path / "full", log_level="INFO")
    assert "[scrapy.core.engine] INFO: Spider opened" in full.stderr
    assert "Telnet Password" not in full.stderr
    assert "Stored jsonlines feed" not in full.stderr
    assert f"Published {tmp_path / 'full' / 'articles.jsonl'}" in full.stderr


def test_a_missing_start_file_is_a_warning_and_no_feed_is_said_stored(tmp_path: Path) -> None:
    missing = file_url(SAMPLES / "magazines" / "No-Such-Magazine" / "index.html")
    result = run_crawl("issues", tmp_path, "-a", f"start_urls={missing}", log_level="WARNING")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert f"WARNING: Start page missing: {missing}" in lines[0]
    assert "UNHEALTHY" in lines[-1] and len(lines) == 2, result.stderr
    info = run_crawl("issues", tmp_path / "info", "-a", f"start_urls={missing}")
    assert "Stored jsonlines feed" not in info.stderr and "Published" not in info.stderr
