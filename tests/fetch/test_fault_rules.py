"""The rules behind the fault handling, one by one: Retry-After, truncation, charsets,
challenge pages, loss reasons, start URLs, redirect scope; and ``scrapy parse``."""

from __future__ import annotations

import email.utils
import logging
from pathlib import Path

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.statscollectors import StatsCollector
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from aggregator.accounting.reasons import PageLost, describe, size
from aggregator.downloadermiddlewares.charset import CharsetRepairMiddleware
from aggregator.downloadermiddlewares.retry import retry_after, truncation
from aggregator.pages import ChallengePage
from aggregator.pages.challenge import short_text
from aggregator.site.scope import Scope
from aggregator.spiders.arguments import web_url_problem
from aggregator.utils.encoding import binary_reason, choose_encoding
from aggregator.utils.text import collapse
from tests.support.crawl import run_scrapy
from tests.support.paths import SAMPLES, SITE

STORY = "https://www.magzter.com/stories/lifestyle/Brunch/SEASON-OF-THE-SANDWICH"
PAGE = (
    "<html lang='{lang}'><head><meta charset='{meta}'><title>t</title></head>"
    "<body>{text}</body></html>"
)


def page(text: str, meta: str = "utf-8", lang: str = "en") -> str:
    return PAGE.format(text=text, meta=meta, lang=lang)


# -- Retry-After and truncation ---------------------------------------------------------------


def test_retry_after_in_seconds_and_as_an_http_date() -> None:
    assert retry_after(b"5") == 5.0
    assert retry_after(" 120 ") == 120.0
    now = 1_800_000_000.0
    assert retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == 30.0
    assert retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert retry_after(None) is None
    assert retry_after(b"soon") is None
    assert retry_after(b"-3") is None


def test_a_body_shorter_than_its_length_is_truncated() -> None:
    cut = Response(
        "http://x/", body=b"a" * 5120, flags=["dataloss"], headers={"Content-Length": "7811"}
    )
    assert truncation(cut) == "truncated: 5,120 of 7,811 bytes"
    chunked = Response("http://x/", body=b"a" * 10, flags=["dataloss"])
    assert (
        truncation(chunked) == "truncated: the connection closed after 10 bytes of a chunked body"
    )
    html = {"Content-Type": "text/html"}
    open_end = Response("http://x/", body=b"<html><p>half", flags=["partial"], headers=html)
    assert truncation(open_end) == "truncated: the connection closed after 13 bytes"
    whole = Response(
        "http://x/", body=b"<html><p>all</p></html>\n", flags=["partial"], headers=html
    )
    assert truncation(whole) is None
    assert truncation(Response("http://x/", body=b"<html>")) is None


# -- charsets --------------------------------------------------------------------------------

TEXT = "North Korea’s leader: café, naïve, Malmö, São Paulo — and “quotes”. " * 5


def test_windows_1252_under_a_utf8_header_is_read_as_windows_1252() -> None:
    body = page(TEXT).encode("cp1252")
    assert choose_encoding(body, "utf-8") == "cp1252"


def test_utf8_under_a_latin1_header_is_read_as_utf8() -> None:
    body = page(TEXT).encode("utf-8")
    assert choose_encoding(body, "cp1252") == "utf_8"
    assert choose_encoding(body, "utf-8") is None  # declared right: nothing to do


def test_a_mislabelled_site_logs_its_first_repairs_and_counts_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    stats = StatsCollector(get_crawler())
    middleware = CharsetRepairMiddleware(stats)
    body = page(TEXT, meta="").encode("cp1252")
    with caplog.at_level(logging.INFO, logger="aggregator.downloadermiddlewares.charset"):
        for n in range(8):
            url = f"{STORY}-{n}"
            response = HtmlResponse(
                url, body=body, headers={"Content-Type": "text/html; charset=utf-8"}
            )
            repaired = middleware.process_response(Request(url), response)
            assert isinstance(repaired, HtmlResponse) and repaired.encoding == "cp1252"
        middleware.spider_closed()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 6 and all(r.levelno == logging.INFO for r in caplog.records)
    assert lines[0] == f"Decoded {STORY}-0 as cp1252: it is not utf-8, as declared"
    assert lines[-1] == (
        "3 more pages decoded in another charset than declared (utf_8->cp1252) not shown (8 in all)"
    )
    assert stats.get_value("aggregator/decode/repairs") == 8


def test_the_meta_charset_wins_over_a_wrong_header_when_it_fits() -> None:
    body = page("Съешь же ещё этих мягких французских булок. " * 8, meta="windows-1251").encode(
        "cp1251"
    )
    assert choose_encoding(body, "utf-8") == "cp1251"


def test_cyrillic_without_a_declaration_is_detected() -> None:
    body = page(
        "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 8, meta="utf-8"
    ).encode("cp1251")
    assert choose_encoding(body, "utf-8") == "cp1251"


def test_a_central_european_page_keeps_its_code_page() -> None:
    body = page(
        "Příliš žluťoučký kůň úpěl ďábelské ódy. Łódź, Kraków, Gdańsk. " * 8, lang="cs"
    ).encode("cp1250")
    assert choose_encoding(body, "utf-8") == "cp1250"


def test_binary_bodies_are_told_from_text() -> None:
    assert binary_reason(b"abc\x00def") == "NUL byte at byte 3"
    assert binary_reason(b"<html>\n\t<p>text</p>\r\n\x0c</html>") is None
    assert binary_reason(bytes(range(1, 32)) * 4) == "92 control bytes in 124"
    # one rule for pages and dump records: only the bytes looked at count
    assert binary_reason(b"x" * 4096 + b"\x00", 4096) is None
    assert binary_reason(b"x" * 4096 + b"\x00") == "NUL byte at byte 4,096"


# -- challenge pages -------------------------------------------------------------------------


def html(
    body: str, url: str = STORY, status: int = 200, headers: dict[str, str] | None = None
) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", status=status, headers=headers)


@pytest.mark.parametrize(
    ("markup", "mark"),
    [
        ("<title>Just a moment...</title><body>x</body>", "title 'Just a moment...'"),
        (
            "<title>Attention Required! | Cloudflare</title>",
            "title 'Attention Required! | Cloudflare'",
        ),
        ("<title>Un instant…</title>", "title 'Un instant…'"),
        (
            "<body><script src='/cdn-cgi/challenge-platform/h/g/orchestrate'></script></body>",
            "/cdn-cgi/challenge-platform/",
        ),
        (
            "<body><p>Please verify you are human by completing the action below.</p></body>",
            "text 'verify you are human'",
        ),
        (
            "<body><h1>Access to this page has been denied</h1><div id='px-captcha'></div></body>",
            "px-captcha",
        ),
    ],
)
def test_challenge_pages_are_recognised(markup: str, mark: str) -> None:
    assert ChallengePage(html(markup)).reason() == f"challenge page ({mark})"


def test_a_challenge_header_marks_an_error_response() -> None:
    response = html("<p>403</p>", status=403, headers={"cf-mitigated": "challenge"})
    assert ChallengePage(response).reason() == "challenge page (cf-mitigated: challenge)"


def test_a_long_article_that_mentions_a_check_is_no_challenge() -> None:
    article = (
        "<p>Banks now ask customers to verify you are human before a transfer.</p>"
        + "<p>More of the story.</p>" * 200
    )
    assert (
        ChallengePage(
            html(f"<title>Banks and bots | Magzter</title><body>{article}</body>")
        ).reason()
        is None
    )


def test_the_visible_text_is_read_only_as_far_as_the_limit() -> None:
    root = html(
        "<body><p> Just  a\n moment </p><script>var x = 1;</script>"
        "<style>p {}</style><div>checking <b>your</b>\u00a0connection</div></body>"
    ).selector.root
    whole = "Just a moment checking your connection"
    assert short_text(root, len(whole)) == whole
    assert short_text(root, len(whole) - 1) is None  # one character over: not read to the end
    assert short_text(html("<body> </body>").selector.root, 10) == ""


def mirror_pages() -> list[Path]:
    pages = sorted(SAMPLES.rglob("*.html"))
    if SITE.exists():
        pages += sorted(SITE.rglob("*.html"))
    return pages


def test_no_mirror_page_is_taken_for_a_challenge() -> None:
    pages = mirror_pages()
    assert len(pages) > 70
    for path in pages:
        response = html(path.read_text("utf-8"), url=path.as_uri())
        assert ChallengePage(response).reason() is None, path


def test_the_visible_text_is_the_text_nodes_joined_and_collapsed() -> None:
    visible = "//body//text()[not(ancestor::script or ancestor::style)]"
    for path in mirror_pages():
        response = html(path.read_text("utf-8"), url=path.as_uri())
        whole = collapse(" ".join(response.xpath(visible).getall()))
        assert short_text(response.selector.root, 10**9) == whole, path


# -- loss reasons ----------------------------------------------------------------------------


def loss_of(error: Exception, retried: int = 0) -> tuple[str, str]:
    request = Request(STORY, meta={"retry_times": retried})
    loss = describe(Failure(error), request, 16 * 1024 * 1024)  # type: ignore[no-untyped-call]
    return loss.key, loss.detail


def test_every_download_failure_has_a_reason_in_words() -> None:
    assert loss_of(DownloadTimeoutError("Getting x took longer than 180.0 seconds.")) == (
        "timeout",
        "timeout: no answer",
    )
    assert loss_of(CannotResolveHostError(""), retried=2) == (
        "dns",
        "cannot resolve host www.magzter.com after 3 attempts",
    )
    assert loss_of(DownloadConnectionRefusedError("")) == (
        "connection_refused",
        "connection refused",
    )
    assert loss_of(PageLost("challenge_page", "challenge page (x)")) == (
        "challenge_page",
        "challenge page (x)",
    )
    assert loss_of(KeyError()) == ("key_error", "KeyError: no message")
    assert (
        size(16 * 1024 * 1024) == "16 MiB" and size(5120) == "5 KiB" and size(5121) == "5,121 bytes"
    )


# -- start URLs and redirect scope -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://exa mple.com/", "no spaces or control characters in them"),
        ("http://example.com:0/", "a port from 1 to 65535, not 0"),
        ("http://example.com:70000/", "a port from 1 to 65535, not '70000'"),
        ("http://-bad-.com/", "a valid host name, not '-bad-.com'"),
        ("http:///path", "a host"),
        ("https://www.magzter.com/stories/x", None),
        ("http://127.0.0.1:8080/", None),
        ("http://[::1]/", None),
        ("http://bücher.example/", None),
    ],
)
def test_start_urls_need_a_host_and_a_port_that_can_be_fetched(
    url: str, problem: str | None
) -> None:
    assert web_url_problem(url) == problem


def test_redirects_may_move_between_a_site_and_its_subdomains_only() -> None:
    scope = Scope.from_start_urls(["https://www.magzter.com/index.html"])
    assert scope.same_site("https://magzter.com/x")
    assert scope.same_site("https://cdn.www.magzter.com/x")
    assert not scope.same_site("https://evil.com/x")
    assert not scope.same_site("https://com/x")
    local = Scope.from_start_urls(["http://127.0.0.1:8080/index.html"])
    assert not local.same_site("http://localhost:8080/x")


# -- scrapy parse ------------------------------------------------------------------------------


def test_parse_refuses_a_bad_argument_in_one_line() -> None:
    done = run_scrapy(
        "parse", "--spider=issues", "-a", "max_issues=x", (SAMPLES / "index.html").as_uri()
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "scrapy parse: bad argument max_issues=x: expected a whole number of 1 or more"
    ]


def test_parse_without_a_callback_reads_the_page() -> None:
    done = run_scrapy("parse", "--spider=issues", (SAMPLES / "index.html").as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "magazines/Brunch/index.html" in done.stdout
    # it publishes nothing: no run verdict or summary line (it said "UNHEALTHY: 0 articles")
    assert "aggregator: " not in done.stderr
    assert "aggregator.extensions.publish" not in done.stderr


def test_a_crawl_refuses_to_run_without_its_verdict(tmp_path: Path) -> None:
    done = run_scrapy(
        "crawl", "issues", "-s", "AGGREGATOR_HEALTH_ENABLED=False", "-s", f"OUTPUT_DIR={tmp_path}"
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "scrapy crawl issues: bad setting AGGREGATOR_HEALTH_ENABLED: a crawl needs its verdict "
        "(it publishes the feeds); only parse, fetch, shell and view turn it off"
    )


def test_fetch_prints_the_page_without_a_run_verdict() -> None:
    done = run_scrapy("fetch", (SAMPLES / "index.html").as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    assert "magazines/Brunch/index.html" in done.stdout
    assert "aggregator: " not in done.stderr
    assert "WARNING" not in done.stderr
