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
``aggregator/decode/repairs`` (and ``…/repaired/<from>-><to>``) with a log line.

A body that is no text at all (NUL bytes, a high share of control bytes) is lost as
``not_text``, before any page class reads garbage as an article.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.statscollectors import StatsCollector

from aggregator.accounting.reasons import PageLost
from aggregator.utils.capped_warnings import CappedWarnings
from aggregator.utils.encoding import SINGLE_BYTE, binary_reason, choose_encoding, codec_name

logger = logging.getLogger(__name__)

# Bytes looked at for binary content: enough to tell a page from garbage without a pass
# over every byte of a long page.
SAMPLE = 4096


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
        binary = binary_reason(body, SAMPLE)
        if binary is not None:
            raise PageLost("not_text", f"not text: {binary}")
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
        self.stats.inc_value("aggregator/decode/repairs")
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
