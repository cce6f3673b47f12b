"""What a scheduler meets when a state or index setting is bad: one line on stderr naming the
setting and the file, exit status 2, and nothing touched (no lock file, no run folder, the
state and index files byte for byte as they were). And a start URL whose host does not
resolve: the one ``Page not read`` line, no robots.txt traceback.

Real ``scrapy crawl issues`` processes on the offline samples (``file://``): a bad setting
stops the crawl before any page is read. Host names under ``.invalid`` never resolve (RFC
6761), so the last test touches no network.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.state.schema import VERSION
from tests.support.crawl import ROOT, scrapy_command

SAMPLES = ROOT / "samples" / "index.html"
BAD_SETTING = 2


def crawl(out: Path, *settings: str, start: str | None = None) -> subprocess.CompletedProcess[str]:
    arguments = ["-a", f"start_urls={start or SAMPLES.as_uri()}"]
    command = scrapy_command("crawl", "issues", *arguments, "-s", f"OUTPUT_DIR={out}")
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == BAD_SETTING, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` and its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder no file can be made in, for this process (root ignores modes: a read-only
    place root cannot write either is taken then)."""
    if os.geteuid() != 0:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)
        return
    folder = Path("/proc/self")
    try:
        (folder / "aggregator-probe").write_bytes(b"")
    except OSError:
        yield folder
        return
    pytest.skip("running as root with no folder root cannot write (/proc/self is writable)")


def test_a_state_path_in_an_unwritable_folder(tmp_path: Path, unwritable: Path) -> None:
    state = unwritable / "state.sqlite"
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_STATE: {state}: its folder {unwritable} "
        "is not writable"
    )
    assert not state.exists()


def test_a_state_path_that_is_a_folder(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    before = snapshot(tmp_path)
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_STATE: {state} is a folder, not a state file"
    )
    assert snapshot(tmp_path) == {**before, "out": None}


def test_a_state_file_that_is_not_a_database(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    state.write_text("runs: 3\nlatest: 20260101T000000Z\n", encoding="utf-8")
    before = snapshot(tmp_path)
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_STATE: {state} is not a state file "
        "(not an SQLite database)"
    )
    assert snapshot(tmp_path) == {**before, "out": None}  # no lock file, no run folder


def test_a_state_file_of_another_schema_version(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    db = sqlite3.connect(state)
    db.execute("CREATE TABLE runs (id TEXT PRIMARY KEY)")
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()
    before = snapshot(tmp_path)
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_STATE: {state} is a state file of "
        f"schema version 7; this crawler reads version {VERSION} (and migrates version 1)"
    )
    assert snapshot(tmp_path) == {**before, "out": None}


def test_an_sqlite_database_that_is_no_state_file(tmp_path: Path) -> None:
    state = tmp_path / "other.sqlite"
    db = sqlite3.connect(state)
    db.execute("CREATE TABLE photos (path TEXT)")
    db.commit()
    db.close()
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_STATE: {state} is not a state file "
        "(an SQLite database of other tables)"
    )


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "AGGREGATOR_STATE_REFRESH=some",
            "bad setting AGGREGATOR_STATE_REFRESH: 'some' (only 'all', or unset)",
        ),
        (
            "AGGREGATOR_STATE_REFRESH_DAYS=-1",
            "bad setting AGGREGATOR_STATE_REFRESH_DAYS: '-1' (a number of days, >= 0)",
        ),
        (
            "AGGREGATOR_STATE_KEEP_RUNS=three",
            "bad setting AGGREGATOR_STATE_KEEP_RUNS: 'three' (a count of run folders, >= 0)",
        ),
    ],
)
def test_bad_refresh_and_retention_values(tmp_path: Path, setting: str, message: str) -> None:
    state = tmp_path / "state.sqlite"
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_STATE={state}", setting))
    assert line == f"scrapy crawl issues: {message}"
    assert not state.exists()


def test_an_index_url_that_cannot_be_written(tmp_path: Path, unwritable: Path) -> None:
    index = unwritable / "index.sqlite"
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_INDEX=sqlite:///{index}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_INDEX: {index} cannot be written (its "
        f"folder {unwritable} is not writable)"
    )


def test_an_index_url_naming_a_folder(tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_INDEX=sqlite:///{index}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_INDEX: {index} is a folder, not an index file"
    )


def test_an_index_file_that_is_not_an_index(tmp_path: Path) -> None:
    index = tmp_path / "index.sqlite"
    index.write_bytes(b"\x00\x01 not a database \xff" * 40)
    before = snapshot(tmp_path)
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_INDEX=sqlite:///{index}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_INDEX: {index} is not an index (not an "
        "SQLite database)"
    )
    assert snapshot(tmp_path) == {**before, "out": None}
    db = sqlite3.connect(index := tmp_path / "state-like.sqlite")
    db.execute("CREATE TABLE runs (id TEXT)")
    db.commit()
    db.close()
    line = one_line(crawl(tmp_path / "out", f"AGGREGATOR_INDEX=sqlite:///{index}"))
    assert line == (
        f"scrapy crawl issues: bad setting AGGREGATOR_INDEX: {index} is not an index (an "
        "SQLite database without its tables)"
    )


def test_a_start_url_whose_host_does_not_resolve(tmp_path: Path) -> None:
    """Live settings (robots.txt obeyed): the page is named once, at WARNING, no traceback."""
    url = "http://nowhere.invalid/index.html"
    done = crawl(tmp_path / "out", "LOG_LEVEL=INFO", start=url)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert " ERROR: " not in done.stderr
    warnings = [line for line in done.stderr.splitlines() if " WARNING: " in line]
    assert len(warnings) == 2, warnings  # the page, then the summary
    assert warnings[0].endswith(
        f"WARNING: Page not read: {url} (cannot resolve host nowhere.invalid after 3 attempts)"
    )
    assert "aggregator: UNHEALTHY" in warnings[1] and "1 start page(s) not read" in warnings[1]
