"""The HTTP response a WARC ``response`` record holds: status, headers, body, as a Scrapy
response, so that the page classes read it as they read a crawled page.

Common Crawl stores the body as received less its transfer and content encodings (it renames
those headers ``X-Crawler-…``); other crawlers keep them. A ``chunked`` body is de-chunked
and a ``gzip``/``deflate`` one inflated, the way Scrapy's own middlewares would; a body
that cannot be decoded so is refused (``HttpBlockError``), never read as text.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

# the largest body a decoding may give (a gzip bomb is refused, not inflated)
MAX_DECODED = 32 * 1024 * 1024


class HttpBlockError(Exception):
    pass


@dataclass(frozen=True)
class HttpBlock:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def parse_block(block: bytes) -> HttpBlock:
    end = block.find(b"\r\n\r\n")
    cut = 4
    if end < 0:
        end, cut = block.find(b"\n\n"), 2
    if end < 0:
        raise HttpBlockError("no end of the HTTP header")
    lines = block[:end].split(b"\n")
    status_line = lines[0].strip().split(None, 2)
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/"):
        raise HttpBlockError(f"no HTTP status line ({lines[0][:40]!r})")
    try:
        status = int(status_line[1])
    except ValueError:
        raise HttpBlockError(f"HTTP status {status_line[1][:10]!r}") from None
    headers = []
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if colon and name.strip():
            headers.append((name.strip(), value.strip()))
    body = block[end + cut :]
    names = {name.lower(): value.lower() for name, value in headers}
    if b"chunked" in names.get(b"transfer-encoding", b""):
        body = dechunk(body)
    encoding = names.get(b"content-encoding", b"identity").strip()
    if encoding in (b"gzip", b"x-gzip", b"deflate"):
        body = inflate(body, encoding)
        headers = [(n, v) for n, v in headers if n.lower() != b"content-encoding"]
    elif encoding not in (b"identity", b""):
        raise HttpBlockError(f"Content-Encoding {encoding.decode('latin-1')!r} not read")
    return HttpBlock(status, headers, body)


def dechunk(body: bytes) -> bytes:
    pieces: list[bytes] = []
    at = 0
    while True:
        line_end = body.find(b"\r\n", at)
        if line_end < 0:
            raise HttpBlockError("chunked body cut off")
        try:
            size = int(body[at:line_end].split(b";")[0].strip() or b"x", 16)
        except ValueError:
            raise HttpBlockError("bad chunk size") from None
        if size == 0:
            return b"".join(pieces)
        start = line_end + 2
        pieces.append(body[start : start + size])
        at = start + size + 2


def inflate(body: bytes, encoding: bytes) -> bytes:
    # gzip, or deflate with or without its zlib wrapper (servers send both)
    for wbits in (31,) if encoding != b"deflate" else (15, -15):
        try:
            decoder = zlib.decompressobj(wbits)
            out = decoder.decompress(body, MAX_DECODED)
            if decoder.unconsumed_tail:
                raise HttpBlockError(f"body over {MAX_DECODED:,} bytes decoded")
            return out
        except zlib.error:
            continue
    raise HttpBlockError(f"body not {encoding.decode('latin-1')}")


def to_response(url: str, block: HttpBlock) -> Response:
    """The Scrapy response class the headers and body call for (``HtmlResponse`` for a
    page), with a request, as the engine would hand it to a callback."""
    headers = Headers(block.headers)
    cls = responsetypes.from_args(headers=headers, url=url, body=block.body[:5000])
    return cls(url=url, status=block.status, headers=headers, body=block.body, request=Request(url))
