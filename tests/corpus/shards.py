"""WARC and WET files built for the tests with warcio's writer: the pages of samples/ and the
saved-text fixtures, among noise records (other hosts, other record types, our site's other
pages), with broken records placed where a real shard has them.

Every file is built in the test run from the project's own data; nothing third-party is
committed. The broken records (``BROKEN``) are built byte by byte, since no writer writes
them: a gzip member cut off at the end of the file, a header line without ``:``, a declared
length that runs past its member, a member whose bytes do not inflate.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support.paths import SAMPLES
from tests.support.records import manifest, read_jsonl

SITE = "https://www.magzter.com/"
DATE = "2026-11-20T10:00:00Z"
# story URLs that only broken records hold: lost stories, to be named
CUT_OFF_STORY = SITE + "stories/news/Outlook/A-STORY-CUT-OFF-AT-THE-END"
OVERLONG_STORY = SITE + "stories/news/Outlook/A-STORY-DECLARED-TOO-LONG"
BAD_HEADER_URL = "https://example.org/bad-header"


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"


def sample_pages() -> list[Page]:
    """Every story and issue page of samples/, at its live URL."""
    data = manifest()
    paths = [s["path"] for s in data["stories"]] + [i["path"] for i in data["issues"]]
    for story in data["stories"]:
        paths += [v["path"] for v in story.get("variants", []) if isinstance(v, dict)]
    pages = []
    for path in sorted(set(paths)):
        file = SAMPLES / path
        if file.is_file():
            pages.append(Page(SITE + path.removesuffix(".html"), file.read_bytes()))
    return pages


def noise_pages(count: int, size: int = 2000) -> list[Page]:
    """Other sites' pages, and our site's pages that are no story or issue."""
    pages = [
        Page(f"https://news{n % 7}.example.com/2026/11/{n}", b"<html><p>%d</p></html>" % n * size)
        for n in range(count)
    ]
    pages.append(Page(SITE, (SAMPLES / "index.html").read_bytes()))
    pages.append(Page(SITE + "magazines/Brunch", b"<html>a publication</html>"))
    return pages


def _response(writer: WARCWriter, page: Page, date: str = DATE) -> None:
    headers = StatusAndHeaders(
        page.status,
        [("Content-Type", page.content_type), ("Content-Length", str(len(page.body)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        page.url,
        "response",
        payload=io.BytesIO(page.body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def _request(writer: WARCWriter, url: str) -> None:
    headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
    record = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), http_headers=headers
    )
    writer.write_record(record)


def _conversion(writer: WARCWriter, url: str, text: str, date: str = DATE) -> None:
    record = writer.create_warc_record(
        url,
        "conversion",
        payload=io.BytesIO(text.encode("utf-8")),
        warc_content_type="text/plain",
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_record(record)


def record_bytes(page: Page) -> bytes:
    """One response record, uncompressed."""
    out = io.BytesIO()
    _response(WARCWriter(out, gzip=False), page)
    return out.getvalue()


@cache  # the same bytes for the writer and for a test that looks for them
def broken_members() -> tuple[bytes, ...]:
    """Gzip members of broken records for the middle of a shard: a header line without ':'
    (noise), a story whose declared length runs past its member, bytes that do not inflate."""
    bad_header = record_bytes(Page(BAD_HEADER_URL, b"<html>x</html>")).replace(
        b"WARC-Type: response", b"WARC-Type response", 1
    )
    raw = record_bytes(Page(OVERLONG_STORY, b"<html><h1>Too long</h1></html>"))
    head = raw.partition(b"\r\n\r\n")[0]
    length = next(line for line in head.split(b"\r\n") if line.startswith(b"Content-Length:"))
    overlong = raw.replace(length, b"Content-Length: 999999", 1)
    garbage = gzip.compress(b"")[:10] + b"\xff" * 64  # a gzip header, then no deflate data
    return gzip.compress(bad_header), gzip.compress(overlong), garbage


@cache
def cut_off_member() -> bytes:
    """A story's gzip member cut off in its body: for the end of a shard."""
    body = b"<html><h1>Cut</h1>" + b"<p>%d</p>" * 3000 % tuple(range(3000)) + b"</html>"
    member = gzip.compress(record_bytes(Page(CUT_OFF_STORY, body)), compresslevel=1)
    return member[: len(member) // 2]


def write_warc(
    path: Path,
    pages: Iterable[Page],
    *,
    noise: int = 20,
    broken: bool = False,
    compress: bool = True,
    date: str = DATE,
) -> Path:
    """A WARC of ``pages`` among ``noise`` other pages, each with its request record, a
    warcinfo first; ``broken``: the broken members in the middle and a cut-off one last."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    ours = list(pages)
    others = noise_pages(noise)
    middle = len(ours) // 2
    for n, page in enumerate(ours):
        if n == middle:
            for other in others:
                _request(writer, other.url)
                _response(writer, other, date)
            if broken:
                assert compress, "the broken members are gzip members"
                for member in broken_members():
                    out.write(member)
        _request(writer, page.url)
        _response(writer, page, date)
    if broken:
        out.write(cut_off_member())
    path.write_bytes(out.getvalue())
    return path


def fixture_texts(*files: Path) -> list[tuple[str, str]]:
    """(url, text) of every record of the saved-text fixtures."""
    return [(r["url"], r["text"]) for file in files for r in read_jsonl(file)]


def write_wet(path: Path, texts: Iterable[tuple[str, str]], *, noise: int = 20) -> Path:
    """A WET of ``texts`` (conversion records) among other sites' texts, a warcinfo first."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
    for n in range(noise):
        _conversion(writer, f"https://blog{n}.example.net/post", f"Some other text {n}.\n" * 20)
    for url, text in texts:
        _conversion(writer, url, text)
    path.write_bytes(out.getvalue())
    return path


def jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
