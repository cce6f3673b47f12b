"""Progress while a run lasts: a log line every interval, or one live line on a terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import termios

from tests.support.crawl import ROOT, scrapy_command

SLOW = [
    "-s", "AGGREGATOR_LOCAL_FAST_ENABLED=0", "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.03",
]  # fmt: skip
LINE = re.compile(r"Progress: (\d+) pages \(\d+/min\), (\d+) items, (\d+) stories lost")


def command(out: str, *settings: str) -> list[str]:
    return scrapy_command("crawl", "issues", *SLOW, "-s", f"OUTPUT_DIR={out}", *settings)


def test_a_progress_line_every_interval_in_the_log(tmp_path: object) -> None:
    done = subprocess.run(
        command(f"{tmp_path}/out", "-s", "AGGREGATOR_PROGRESS_INTERVAL=0.5"),
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = [tuple(map(int, m.groups())) for m in LINE.finditer(done.stderr)]
    assert len(found) >= 2, done.stderr[-2000:]
    pages = [p for p, _, _ in found]
    assert pages == sorted(pages) and pages[-1] > pages[0]  # it moves on
    assert all(lost == 0 for _, _, lost in found)


def test_on_a_terminal_one_live_line_instead_of_the_log_stream(tmp_path: object) -> None:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    process = subprocess.Popen(
        command(f"{tmp_path}/out", "-s", "LOG_LEVEL=DEBUG"),
        cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    screen = b"".join(chunks).decode("utf-8", "replace")
    during = screen.split("Spider opened", 1)[1]
    assert "pages" in during and during.count("\r") > 3  # the live line, redrawn
    assert "DEBUG: Crawled (" not in during  # no stream of log lines under it
    assert "Progress:" not in during
    assert "aggregator: healthy: 45 articles, 69 teasers published" in during  # the summary
