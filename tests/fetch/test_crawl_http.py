"""End to end over HTTP: the reference mirror served on loopback, as a live crawl sees it.

Missing stories answer 404 here: counted and logged once, the crawl goes on. Links to other
hosts are not followed.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.crawl import run_crawl
from tests.support.crawlers import finished
from tests.support.paths import SITE
from tests.support.shared import skip_without_shared

pytestmark = skip_without_shared(SITE / "index.html")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(SITE))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_crawl_over_http(server: str, tmp_path: Path) -> None:
    result = finished(run_crawl("issues", tmp_path, "-a", f"start_urls={server}/index.html"))
    assert len(result.articles) == 6
    assert len(result.teasers) == 15
    assert all(a["url"].startswith(server) for a in result.articles)
    stats = result.stats
    assert stats["aggregator/fetch/missing"] == 9
    assert stats["downloader/response_status_count/404"] == 9
    # the header's https://www.magzter.com/magztergold link is never followed: the catalog
    # is read from its list only, and every request went to the loopback host
    assert stats["downloader/request_count"] == stats["downloader/response_count"]
    missing = [line for line in result.stderr.splitlines() if "Missing page" in line]
    assert len(missing) == len(set(missing)) == 9
    assert "log_count/ERROR" not in stats
