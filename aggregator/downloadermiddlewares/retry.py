"""``PatientRetryMiddleware``: Scrapy's retries, spaced out, with a reason in words.

Scrapy's ``RetryMiddleware`` retries at once: three attempts at a server that answered
``429 Too Many Requests`` with ``Retry-After: 5`` are spent long before the wait it asked
for is over, and lose the page. This one:

- waits before each retry: the server's ``Retry-After`` (seconds or an HTTP date) when it
  sent one, else an exponential backoff (``AGGREGATOR_RETRY_BACKOFF`` seconds, doubled per
  attempt, at most ``AGGREGATOR_RETRY_BACKOFF_MAX``). The wait holds only this request:
  the rest of the crawl goes on (it holds one of ``CONCURRENT_REQUESTS``, not the domain);
- gives 429 and 503, the answers of a busy server, more attempts
  (``AGGREGATOR_RETRY_TIMES_THROTTLED``) than other errors (``RETRY_TIMES``);
- gives up at once, naming why, when the server asks for a wait over
  ``AGGREGATOR_RETRY_AFTER_MAX``: hammering it sooner would only be refused again;
- treats a body cut short (fewer bytes than its ``Content-Length``, or an HTML page whose
  connection closed before ``</html>``) as a fault to retry, never as a page to read: the
  project sets ``DOWNLOAD_FAIL_ON_DATALOSS = False`` so that such responses arrive here,
  flagged, with their byte counts, instead of as an error with no message.

It sits at 595, in place of Scrapy's (550): before ``HttpCompressionMiddleware`` (590), so
that a truncated compressed body is seen as truncated, not as a decompression error.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task
from twisted.python.failure import Failure

from aggregator.accounting.reasons import PageLost, attempts, describe, http_loss
from aggregator.pages.challenge import ChallengePage

logger = logging.getLogger(__name__)

THROTTLED = (429, 503)


def retry_after(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def truncation(response: Response) -> str | None:
    """How a response's body was cut short, or None when it arrived whole."""
    if "dataloss" in response.flags:
        expected = response.headers.get(b"Content-Length")
        got = len(response.body)
        if expected and expected.isdigit():
            return f"truncated: {got:,} of {int(expected):,} bytes"
        return f"truncated: the connection closed after {got:,} bytes of a chunked body"
    # no length given and the connection closed: whole only if the page ended
    if (
        "partial" in response.flags
        and _is_html(response)
        and b"</html" not in response.body[-4096:].lower()
    ):
        return f"truncated: the connection closed after {len(response.body):,} bytes"
    return None


def _is_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type") or b""
    return b"html" in content_type.lower()


class PatientRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.throttled_times = settings.getint("AGGREGATOR_RETRY_TIMES_THROTTLED")
        self.after_max = settings.getfloat("AGGREGATOR_RETRY_AFTER_MAX")
        self.backoff = settings.getfloat("AGGREGATOR_RETRY_BACKOFF")
        self.backoff_max = settings.getfloat("AGGREGATOR_RETRY_BACKOFF_MAX")
        self.maxsize = settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PatientRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        cut = truncation(response)
        if cut is not None:
            retry = None if request.meta.get("dont_retry") else self._retry(request, "truncated")
            if retry is None:
                raise PageLost("truncated", f"{cut}{attempts(request)}")
            return await self._after(self._backoff(request), retry)
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        if ChallengePage(response).header_mark() is not None:
            return response  # asking again meets the same check; the errback names it
        throttled = response.status in THROTTLED
        wait = retry_after(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.after_max:
            raise PageLost(
                f"http_{response.status}",
                f"HTTP {response.status}: the server asks to wait {math.ceil(wait)} s "
                f"(Retry-After), over AGGREGATOR_RETRY_AFTER_MAX ({self.after_max:g} s)",
            )
        times = max(self.throttled_times, self.max_retry_times) if throttled else None
        retry = self._retry(request, http_loss(response, request).key, times)
        if retry is None:
            return response  # HttpErrorMiddleware makes it the errback's HttpError
        return await self._after(max(wait or 0.0, self._backoff(request)), retry)

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        reason = describe(Failure(exception), request, self.maxsize).key  # type: ignore[no-untyped-call]
        retry = self._retry(request, reason)
        return None if retry is None else await self._after(self._backoff(request), retry)

    def _retry(
        self, request: Request, reason: str | Exception | type[Exception], times: int | None = None
    ) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", times or self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            # the loss is named by the spider (aggregator.accounting.stories), once, at WARNING
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    def _backoff(self, request: Request) -> float:
        tries = int(request.meta.get("retry_times", 0))
        return float(min(self.backoff_max, self.backoff * 2**tries))

    async def _after(self, seconds: float, retry: Request) -> Request:
        if seconds > 0:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("aggregator/retry/waited_s", math.ceil(seconds))
            logger.debug("Retrying %s in %.1f s", retry.url, seconds)
            await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
        return retry
