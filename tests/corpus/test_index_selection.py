"""A Common Crawl URL-index selection as input (CDXJ, or the columnar index's CSV): only its
captures' byte ranges are read, from local files or over HTTP range requests, and they give
what the whole shard gives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.corpus.shards import sample_pages, write_warc
from tests.support.crawl import CrawlResult, run_crawl

SHARD = "crawl-data/CC-MAIN-2026-47/segments/1/warc/shard-00001.warc.gz"
LOST = "https://www.magzter.com/stories/news/Outlook/IN-A-SHARD-NOT-DOWNLOADED"


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local copy of a crawl's files: one shard of samples/ among 200 other pages."""
    root = tmp_path_factory.mktemp("mirror")
    shard = root / SHARD
    shard.parent.mkdir(parents=True)
    write_warc(shard, sample_pages(), noise=200)
    return root


def captures(mirror: Path) -> list[dict[str, object]]:
    """What the index answers for www.magzter.com/*: our responses, offsets and lengths as
    warcio reads them (not our reader: the test must not grade itself)."""
    found = []
    with (mirror / SHARD).open("rb") as raw:
        records = ArchiveIterator(raw)
        for record in records:
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and "www.magzter.com" in url:
                record.content_stream().read()
                found.append(
                    {
                        "url": url,
                        "filename": SHARD,
                        "offset": records.get_record_offset(),
                        "length": records.get_record_length(),
                        "status": "200",
                    }
                )
    return found


@pytest.fixture(scope="module")
def whole_shard(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    return run_crawl("dumps", tmp_path_factory.mktemp("whole"), "-a", f"path={mirror / SHARD}")


def write_cdxj(path: Path, entries: list[dict[str, object]]) -> Path:
    lines = [f"com,magzter)/x 20261120100000 {json.dumps(e)}" for e in entries]
    path.write_text("\n".join([*lines, "not a capture line"]) + "\n", encoding="utf-8")
    return path


def test_a_cdxj_selection_reads_only_its_ranges(
    mirror: Path, whole_shard: CrawlResult, tmp_path: Path
) -> None:
    entries = captures(mirror)
    missing = {"url": LOST, "filename": "crawl-data/none.warc.gz", "offset": 0, "length": 900}
    selection = write_cdxj(mirror / "magzter.cdxj", [*entries, missing])
    result = run_crawl("dumps", tmp_path, "-a", f"path={selection}")
    assert result.returncode == 1  # the capture in a file not there: a lost story
    stats = result.stats
    assert stats["aggregator/dumps/records"] == len(entries) + 2  # no other record read
    assert stats.get("aggregator/dumps/skipped_host", 0) == 0
    assert stats["aggregator/dumps/malformed/bad_index_line"] == 1
    assert stats["aggregator/lost/range_unreadable"] == 1
    assert LOST in result.stderr
    assert sorted(result.articles, key=lambda a: a["id"]) == sorted(
        whole_shard.articles, key=lambda a: a["id"]
    )
    assert {t["id"] for t in result.teasers} == {t["id"] for t in whole_shard.teasers}


def test_a_columnar_csv_export_reads_the_same(
    mirror: Path, whole_shard: CrawlResult, tmp_path: Path
) -> None:
    rows = ["url,fetch_status,warc_filename,warc_record_offset,warc_record_length"]
    rows += [
        f"{e['url']},200,{e['filename']},{e['offset']},{e['length']}" for e in captures(mirror)
    ]
    selection = tmp_path / "magzter.csv"
    selection.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run_crawl(
        "dumps",
        tmp_path / "out",
        "-a",
        f"path={selection}",
        "-s",
        f"AGGREGATOR_CORPUS_BASE={mirror}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert {a["id"] for a in result.articles} == {a["id"] for a in whole_shard.articles}


class RangeHandler(BaseHTTPRequestHandler):
    """Serves the mirror's files, byte ranges only (as the crawl's public bucket does)."""

    root: Path

    def do_GET(self) -> None:
        file = self.root / self.path.lstrip("/")
        spec = self.headers.get("Range", "")
        if not file.is_file() or not spec.startswith("bytes="):
            self.send_error(404 if not file.is_file() else 400)
            return
        start, end = (int(n) for n in spec.removeprefix("bytes=").split("-"))
        with file.open("rb") as raw:
            raw.seek(start)
            data = raw.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def range_server(mirror: Path) -> Iterator[str]:
    handler = type("Handler", (RangeHandler,), {"root": mirror})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ranges_over_http(
    mirror: Path, whole_shard: CrawlResult, tmp_path: Path, range_server: str
) -> None:
    selection = write_cdxj(tmp_path / "magzter.cdxj", captures(mirror))
    result = run_crawl(
        "dumps",
        tmp_path / "out",
        "-a",
        f"path={selection}",
        "-s",
        f"AGGREGATOR_CORPUS_BASE={range_server}",
    )
    assert result.stats["aggregator/dumps/malformed/bad_index_line"] == 1
    assert {a["id"] for a in result.articles} == {a["id"] for a in whole_shard.articles}
