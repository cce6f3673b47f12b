"""``CharsetRepairMiddleware``: decode a page by its bytes when its declared charset is wrong.

A page served as Windows-1252 under ``Content-Type: text/html; charset=utf-8`` decodes with
U+FFFD in place of every accented letter, and Scrapy would hand that text to the page
classes as if it were the page. This middleware checks that the body decodes, strictly,
in the encoding Scrapy resolved (BOM, header, ``<meta>``, in that order). When it does not:

1. the ``<meta charset>`` of the body, when it differs from the header and fits the bytes;
2. else the charset the bytes say (charset-normalizer), with one correction: where it
   names one Latin single-byte code page and Windows-1252 fits too, Windows-1252 (the
   web's usual mislabel: WHATWG reads even ``iso-8859-1`` as it), unless the page's
   ``lang`` names a Central European language;
3. else the page is lost as ``undecodable``: no replacement characters reach a feed.

The other way round, a body declared in a single-byte code page whose non-ASCII bytes
are valid UTF-8 (``Ã©`` for ``é``) is read as UTF-8. Each repair counts
``aggregator/decode/repaired`` (and ``…/repaired/<from>-><to>``) with a log line.

A body that is no text at all (NUL bytes, a high share of control bytes) is lost as
``not_text``, before any page class reads garbage as an article.
"""

from __future__ import annotations

import codecs
import logging
import re

import charset_normalizer
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.statscollectors import StatsCollector
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

from aggregator.accounting.reasons import PageLost
from aggregator.utils.capped_warnings import CappedWarnings

logger = logging.getLogger(__name__)

# Single-byte code pages that write Latin script (charset-normalizer's names).
LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_latin2", "mac_roman", "cp850", "cp437",
}  # fmt: skip
SINGLE_BYTE = LATIN_SINGLE_BYTE | {"ascii", "cp1251", "koi8_r", "iso8859_5", "cp1253", "cp1256"}
CENTRAL_EUROPEAN = ("cs", "pl", "hu", "ro", "hr", "sk", "sl", "bs", "sr-latn")
_LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)
SAMPLE = 4096  # bytes looked at for binary content
MAX_CONTROL_SHARE = 0.05
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(resolve_encoding(encoding) or encoding).name.replace("-", "_")
    except LookupError:
        return encoding


def fits(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def binary_share(body: bytes) -> float | None:
    """The share of control bytes at the start of ``body``; None when it holds a NUL."""
    sample = body[:SAMPLE]
    if b"\x00" in sample:
        return None
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls / max(1, len(sample))


def choose_encoding(body: bytes, declared: str) -> str | None:
    """The encoding (a codec name) that reads ``body``, when ``declared`` does not (or
    misreads it); None when ``declared`` is right, and ``""`` when no encoding reads it."""
    name = codec_name(declared)
    if fits(body, name):
        if name in SINGLE_BYTE and not body.isascii() and fits(body, "utf-8"):
            return "utf_8"
        return None
    meta = html_body_declared_encoding(body)
    if meta and codec_name(meta) != name and fits(body, codec_name(meta)):
        return codec_name(meta)
    if fits(body, "utf-8"):
        return "utf_8"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        return "cp1252" if fits(body, "cp1252") else ""
    guess = codec_name(best.encoding)
    if guess in LATIN_SINGLE_BYTE and fits(body, "cp1252"):
        lang = _LANG.search(body[:4096])
        central = lang is not None and lang.group(1).decode().lower().startswith(CENTRAL_EUROPEAN)
        return guess if central and guess != "cp1252" else "cp1252"
    return guess


class CharsetRepairMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        # a mislabelled site is every page: the first few repairs of each kind are logged,
        # the rest counted (in stats, and in one line at the end)
        self.notes = CappedWarnings(logger, level=logging.INFO)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetRepairMiddleware:
        assert crawler.stats is not None
        middleware = cls(crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        self.notes.close("pages decoded in another charset than declared")

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or response.status != 200:
            return response
        body = response.body
        share = binary_share(body)
        if share is None or share > MAX_CONTROL_SHARE:
            what = "NUL bytes" if share is None else f"{share:.0%} control bytes"
            raise PageLost("not_text", f"not text: {what} in the first {SAMPLE:,} bytes")
        declared = response.encoding
        # the common case costs one search: the text is decoded once (Scrapy keeps it for
        # the page classes), and only a U+FFFD in it, or non-ASCII bytes under a single-byte
        # declaration, calls for a closer look
        if "\ufffd" not in response.text and (
            body.isascii() or codec_name(declared) not in SINGLE_BYTE
        ):
            return response
        chosen = choose_encoding(body, declared)
        if chosen is None:
            return response
        if chosen == "":
            raise PageLost("undecodable", f"undecodable: not {declared}, nor any charset detected")
        self.stats.inc_value("aggregator/decode/repaired")
        self.stats.inc_value(
            f"aggregator/decode/repaired/{codec_name(declared)}->{codec_name(chosen)}"
        )
        self.notes.warn(
            f"{codec_name(declared)}->{codec_name(chosen)}",
            "Decoded %s as %s: it is not %s, as declared",
            response.url,
            chosen,
            declared,
        )
        return response.replace(encoding=chosen)
