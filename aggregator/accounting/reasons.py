"""Why a page was not read, in words: the reason a lost story is named with.

Scrapy and Twisted report a failed download as an exception whose message is often empty
(``Gave up retrying … (failed 3 times): ``) or a repr of nested failures. ``describe`` turns
any of them into a ``Loss``: a short ``key`` for the stats (``aggregator/lost/<key>``) and a
``detail`` a person reads in the WARNING line (``truncated: 5,120 of 7,811 bytes``). The
downloader middlewares that find a fault themselves (a redirect loop, a challenge page, a
truncated body) raise ``PageLost``, which carries its own ``Loss``.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from http import HTTPStatus

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

MIB = 1024 * 1024


@dataclass(frozen=True)
class Loss:
    key: str  # stats key part: lowercase, underscores
    detail: str  # what happened, for the log line; never empty

    def __str__(self) -> str:
        return self.detail


def redirect_loop(chain: list[str], target: str) -> Loss:
    """A redirect back to a page of its own chain: the one way it is named, whether the
    redirect middleware sees it or the scheduler drops the hop as seen."""
    return Loss("redirect_loop", f"redirect loop: {' → '.join([*chain, target])}")


class PageLost(IgnoreRequest):
    """Raised by a downloader middleware that found why a page cannot be read.

    An ``IgnoreRequest``: Scrapy hands it to the request's errback, with no traceback logged.
    """

    def __init__(self, key: str, detail: str) -> None:
        super().__init__(detail)
        self.loss = Loss(key, detail)

    @classmethod
    def of(cls, loss: Loss) -> PageLost:
        return cls(loss.key, loss.detail)


def attempts(request: Request) -> str:
    """`` after 3 attempts`` once a request was retried, else nothing."""
    tries = int(request.meta.get("retry_times", 0)) + 1
    return f" after {tries} attempts" if tries > 1 else ""


def http_loss(response: Response, request: Request) -> Loss:
    status = response.status
    try:
        phrase = f" {HTTPStatus(status).phrase}"
    except ValueError:
        phrase = ""
    return Loss(f"http_{status}", f"HTTP {status}{phrase}{attempts(request)}")


def size(count: int) -> str:
    """``16 MiB`` or ``64 KiB`` when whole, else ``5,120 bytes``."""
    for unit, name in ((MIB, "MiB"), (1024, "KiB")):
        if count >= unit and count % unit == 0:
            return f"{count // unit} {name}"
    return f"{count:,} bytes"


def describe(failure: Failure, request: Request, maxsize: int) -> Loss:
    """The loss a failed request stands for; ``maxsize`` is the crawl's DOWNLOAD_MAXSIZE."""
    error = failure.value
    if error is None:
        return Loss("unknown", "a failure with no exception")
    if isinstance(error, PageLost):
        return error.loss
    if isinstance(error, HttpError):
        return http_loss(error.response, request)
    if isinstance(error, DownloadCancelledError):
        # Scrapy cancels a download over DOWNLOAD_MAXSIZE (its Content-Length, or the bytes
        # received when there is none); nothing else cancels a download during a crawl
        limit = int(request.meta.get("download_maxsize", maxsize))
        return Loss("oversize", f"oversize: over {size(limit)} (DOWNLOAD_MAXSIZE)")
    if isinstance(error, ResponseDataLossError):
        return Loss("truncated", f"truncated: the connection closed mid-body{attempts(request)}")
    if isinstance(error, DownloadTimeoutError):
        seconds = request.meta.get("download_timeout")
        within = f" within {float(seconds):g} s" if seconds else ""
        return Loss("timeout", f"timeout: no answer{within}{attempts(request)}")
    if isinstance(error, CannotResolveHostError | tx_error.DNSLookupError):
        host = request.url.split("/")[2] if "//" in request.url else request.url
        return Loss("dns", f"cannot resolve host {host}{attempts(request)}")
    if isinstance(error, DownloadConnectionRefusedError | tx_error.ConnectionRefusedError):
        return Loss("connection_refused", f"connection refused{attempts(request)}")
    if isinstance(error, DownloadFailedError | ResponseFailed | tx_error.ConnectionLost):
        return _connection_loss(error, request)
    if isinstance(error, tx_error.ConnectionDone):
        return Loss("connection_reset", f"connection closed before a response{attempts(request)}")
    if isinstance(error, IgnoreRequest):
        if "during decompression" in str(error):  # HttpCompressionMiddleware's size guard
            limit = int(request.meta.get("download_maxsize", maxsize))
            return Loss("oversize", f"oversize: over {size(limit)} once decompressed")
        return Loss("ignored", f"request ignored: {_message(error) or type(error).__name__}")
    if isinstance(error, zlib.error | gzip.BadGzipFile | EOFError) or type(error).__module__ in (
        "brotli",
        "zstandard",
        "_brotli",
    ):
        # HttpCompressionMiddleware could not undo the Content-Encoding
        return Loss(
            "corrupt_body", f"corrupt compressed body: {_message(error) or type(error).__name__}"
        )
    if isinstance(error, FileNotFoundError | IsADirectoryError):
        return Loss("missing", "missing page")
    name = type(error).__name__
    return Loss(_key(name), f"{name}: {_message(error) or 'no message'}{attempts(request)}")


def _connection_loss(error: BaseException, request: Request) -> Loss:
    """A connection that ended early: before any response (reset) or during the body."""
    causes: list[BaseException] = [error]
    if error.__cause__ is not None:
        causes.append(error.__cause__)
    for cause in list(causes):
        if isinstance(cause, ResponseFailed | ResponseNeverReceived):
            causes.extend(f.value for f in cause.reasons if isinstance(f, Failure) and f.value)
    during_body = any(
        isinstance(c, ResponseFailed) and not isinstance(c, ResponseNeverReceived) for c in causes
    )
    clean = any(isinstance(c, tx_error.ConnectionDone) for c in causes)
    if during_body:
        return Loss(
            "truncated", f"truncated: the connection closed mid-response{attempts(request)}"
        )
    what = "connection closed" if clean else "connection reset"
    return Loss("connection_reset", f"{what} before a response{attempts(request)}")


def _message(error: BaseException) -> str:
    return str(error).strip()


def _key(name: str) -> str:
    """``DownloadFailedError`` -> ``download_failed_error``."""
    out = [f"_{c.lower()}" if c.isupper() else c for c in name]
    return "".join(out).lstrip("_")
