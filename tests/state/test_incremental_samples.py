"""Incremental runs on samples/ (a small mirror on disk, quick): a crash at every step of the
commit order, a kill by a counted number of pages read, the lock, the empty delta. The
2,000-page version over a slow loopback server is tests/state/test_incremental.py.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.support.crawl import ROOT, CrawlResult, run_crawl, scrapy_command

SLOW = (
    "-s", "AGGREGATOR_LOCAL_FAST_ENABLED=0", "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.03",
)  # fmt: skip


def incremental(out: Path, *arguments: str, env: dict[str, str] | None = None) -> CrawlResult:
    state = f"AGGREGATOR_STATE={out.parent / 'state.sqlite'}"
    return run_crawl("issues", out, "-s", state, *arguments, env=env)


def slow_run(out: Path) -> subprocess.Popen[str]:
    """The incremental command, slowed, its DEBUG log on a pipe (to count pages read)."""
    command = scrapy_command(
        "crawl", "issues", *SLOW,
        "-s", f"AGGREGATOR_STATE={out.parent / 'state.sqlite'}",
        "-s", f"OUTPUT_DIR={out}", "-s", "LOG_LEVEL=DEBUG",
    )  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)


def published(out: Path) -> Counter[tuple[str, str]]:
    """(feed, id) -> in how many run folders it was published."""
    seen: Counter[tuple[str, str]] = Counter()
    runs = out / "runs"
    for folder in sorted(runs.iterdir()):
        if folder.is_symlink() or folder.name.startswith(".") or not folder.is_dir():
            continue
        for feed in ("articles", "teasers"):
            for line in (folder / f"{feed}.jsonl").read_text(encoding="utf-8").splitlines():
                seen[(feed, json.loads(line)["id"])] += 1
    return seen


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """What one uninterrupted incremental run publishes, by id."""
    out = tmp_path_factory.mktemp("clean") / "out"
    result = incremental(out)
    assert result.returncode == 0, result.stderr[-2000:]
    ids = published(out)
    assert sum(1 for feed, _ in ids if feed == "articles") == 45
    assert sum(1 for feed, _ in ids if feed == "teasers") == 69
    assert not (out / "articles.jsonl").exists()  # run folders only
    latest = out / "runs" / "latest"
    assert latest.is_symlink() and (latest / "stats.json").is_file()
    return set(ids)


def finish(out: Path) -> None:
    """Run the same command again until it ends well (at most twice)."""
    for _ in range(2):
        result = incremental(out)
        if result.returncode == 0:
            return
    pytest.fail(result.stderr[-2000:])


@pytest.mark.parametrize(
    "point", ["staged:10", "folder_written", "folder_renamed", "latest_updated", "published"]
)
def test_a_crash_at_any_step_loses_nothing_and_repeats_nothing(
    tmp_path: Path, clean: set[tuple[str, str]], point: str
) -> None:
    out = tmp_path / "out"
    crashed = incremental(out, env={"AGGREGATOR_CRASH_AT": point})
    assert crashed.returncode == 70, crashed.stderr[-2000:]
    finish(out)
    ids = published(out)
    assert set(ids) == clean
    assert max(ids.values()) == 1


def test_kill_9_after_counted_pages_then_the_same_command_goes_on(
    tmp_path: Path, clean: set[tuple[str, str]]
) -> None:
    out = tmp_path / "out"
    process = slow_run(out)
    assert process.stderr is not None
    stories = 0
    try:
        for line in process.stderr:
            if "DEBUG: Crawled (200)" in line and "/stories/" in line:
                stories += 1
                if stories == 20:
                    process.send_signal(signal.SIGKILL)
                    break
    finally:
        process.kill()
        process.communicate(timeout=60)
    assert stories == 20
    resumed = incremental(out)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert resumed.stats["aggregator/state/resumed_pages"] > 0  # not fetched again
    ids = published(out)
    assert set(ids) == clean and max(ids.values()) == 1


def test_a_run_with_nothing_new_publishes_no_folder_unless_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert incremental(out).returncode == 0
    first = (out / "runs" / "latest").resolve()
    again = incremental(out)
    assert again.returncode == 0
    assert "nothing new" in again.stderr.strip().splitlines()[-1]
    assert again.stats["aggregator/state/nothing_new"] is True  # the stats file says it
    assert (out / "runs" / "latest").resolve() == first
    assert len([p for p in (out / "runs").iterdir() if not p.is_symlink()]) == 1
    asked = incremental(
        out, "-s", "AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED=1", "-s", "AGGREGATOR_STATE_REFRESH=all"
    )
    assert asked.returncode == 0
    latest = (out / "runs" / "latest").resolve()
    assert latest != first
    assert len([p for p in (out / "runs").iterdir() if not p.is_symlink()]) == 2
    assert (latest / "articles.jsonl").read_text() == ""
    assert (latest / "teasers.jsonl").read_text() == ""
    assert json.loads((latest / "stats.json").read_text())["aggregator/state/unchanged"] == 114


def test_one_run_at_a_time_per_state_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = slow_run(out)
    assert first.stderr is not None
    try:
        for line in first.stderr:
            if "DEBUG: Crawled (200)" in line:
                break  # it holds the lock and is crawling
        second = incremental(out)
        assert second.returncode == 3
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "state file" in lines[0] and "another run" in lines[0]
    finally:
        first.kill()
        first.communicate(timeout=60)
