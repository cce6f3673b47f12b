"""The browser's tests share one index, built by two real crawls of samples/ (a healthy run
that publishes and indexes, then a run held to an article minimum it cannot reach: not
published, recorded unhealthy), and one ``scrapy browse`` serving it on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aggregator.browse import missing
from tests.support.crawl import ROOT, CrawlResult, file_url, run_crawl, scrapy_command
from tests.support.crawlers import finished
from tests.support.paths import SAMPLES

START = f"start_urls={file_url(SAMPLES / 'index.html')}"
# the second run reads every article and is held to more than samples/ has
UNREACHABLE_MINIMUM = "AGGREGATOR_HEALTH_MIN_ARTICLES=100000"


@dataclass
class BrowsedIndex:
    path: Path
    url: str  # the AGGREGATOR_INDEX URL
    crawl: CrawlResult  # the healthy run: its feeds are what the index holds
    unhealthy: CrawlResult


@pytest.fixture(scope="package")
def browsed_index(tmp_path_factory: pytest.TempPathFactory) -> BrowsedIndex:
    folder = tmp_path_factory.mktemp("browse")
    path = folder / "index.sqlite"
    url = f"sqlite:///{path}"
    crawl = finished(
        run_crawl("issues", folder / "out", "-a", START, "-s", f"AGGREGATOR_INDEX={url}")
    )
    unhealthy = run_crawl(
        "issues",
        folder / "unhealthy",
        "-a",
        START,
        "-s",
        f"AGGREGATOR_INDEX={url}",
        "-s",
        UNREACHABLE_MINIMUM,
    )
    assert unhealthy.returncode == 1, unhealthy.stderr[-3000:]
    return BrowsedIndex(path, url, crawl, unhealthy)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT
    line: str  # what scrapy browse printed first


def _wait_for(base: str, process: subprocess.Popen[str], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"scrapy browse exited {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"scrapy browse did not answer at {base}")


@pytest.fixture(scope="package")
def served(browsed_index: BrowsedIndex) -> Iterator[Served]:
    """``scrapy browse`` on the index, 127.0.0.1 and a free port, stopped at the end."""
    problem = missing()
    if problem:
        pytest.skip(problem)
    port = free_port()
    command = scrapy_command(
        "browse", "--port", str(port), "-s", f"AGGREGATOR_INDEX={browsed_index.url}"
    )
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process, time.monotonic() + 90)
        assert process.stdout is not None
        yield Served(base, process.stdout.readline().strip())
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
