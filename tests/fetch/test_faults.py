"""Real crawls through a fault-injecting server (tests/servers/fault.py): of the reference mirror
(../shared/site, skipped without it) and of the project's own samples/.

Each scenario gives each of the mirror's six story pages (and some other pages) one fault,
runs ``scrapy crawl issues`` against the server, and checks:

- the stories that can be saved are saved intact: bodies equal to expected.json, no U+FFFD;
- every other story is named: ``aggregator/lost/<reason>`` in the stats and one WARNING
  line with its URL and what happened;
- every story page the server was asked for is accounted for (an article, a named loss, or
  a missing page), none twice;
- retries after ``Retry-After`` are spaced by it (the server's clock);
- the exit status says unhealthy when a story is lost.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.servers.fault import Fault, FaultServer, serve
from tests.support.crawl import CrawlResult, run_crawl
from tests.support.paths import MANIFEST, SAMPLES, SITE
from tests.support.shared import site_expected, skip_without_shared

needs_site = skip_without_shared(SITE / "index.html")

KIM = "nb/stories/newspaper/The-Independent/KIM-EXPECTS-LEVERAGE-FOR-LENDING-PUTIN-HIS-TROOPS.html"
SANDWICH = "stories/lifestyle/Brunch/SEASON-OF-THE-SANDWICH.html"
ENTREES = "de/stories/lifestyle/Brunch/ENTREES-AND-ENCORES.html"
DNA = "es/stories/lifestyle/Grazia/DIGITAL-DNA.html"
NEEDLE = "fr/stories/fashion/Grazia/UNDER-THE-NEEDLE.html"
SMALL = "ar/stories/lifestyle/Brunch/SMALL-WE-WANT-IT-ALL.html"
STORIES = (KIM, SANDWICH, ENTREES, DNA, NEEDLE, SMALL)
BRUNCH_ISSUE = "IN/HT-Media/Brunch/Lifestyle/1901442.html"  # lists ENTREES and SMALL
# quick backoff: the waits that matter here are the server's Retry-After
FAST = ("-s", "AGGREGATOR_RETRY_BACKOFF=0.1", "-s", "DOWNLOAD_MAXSIZE=65536")


def crawl(server: FaultServer, out: Path, *settings: str) -> CrawlResult:
    start = server.url_for("index.html")
    return run_crawl("issues", out, "-a", f"start_urls={start}", *FAST, *settings, timeout=180)


def expected_bodies() -> dict[str, list[str]]:
    return {a["path"]: a["body_paragraphs"] for a in site_expected()["articles"]}


def saved(result: CrawlResult, server: FaultServer) -> dict[str, str]:
    """Each saved article's body by its mirror path."""
    if not (result.output_dir / "articles.jsonl").exists():
        return {}
    prefix = server.url_for("")
    return {a["url"].removeprefix(prefix): a["body"] for a in result.articles}


def lost_lines(result: CrawlResult) -> dict[str, str]:
    """``Story lost: URL (reason)`` lines: the reason by mirror path (each path once)."""
    found = re.findall(
        r"WARNING: Story lost: http://127\.0\.0\.1:\d+/(\S+) \((.*)\)", result.stderr
    )
    paths = [path for path, _ in found]
    assert len(paths) == len(set(paths)), f"a story named twice: {paths}"
    return dict(found)


def assert_accounted(result: CrawlResult, server: FaultServer, lost: dict[str, str]) -> None:
    """Every story page asked of the server is saved, lost with a reason, or missing."""
    asked = {path for path, _ in server.requests if "/stories/" in f"/{path}"}
    missing = set(
        re.findall(r"Missing page \(skipped\): http://127\.0\.0\.1:\d+/(\S+)", result.stderr)
    )
    articles = {path.split("?", 1)[0] for path in saved(result, server)}  # the server's paths
    outcomes = Counter([*articles, *lost, *missing])
    assert asked - set(outcomes) == set(), "stories with no outcome"
    assert [p for p, n in outcomes.items() if n > 1] == [], "stories with two outcomes"
    assert sum(
        result.stats.get(k, 0) for k in result.stats if k.startswith("aggregator/lost/")
    ) == len(lost)


def assert_intact(result: CrawlResult, server: FaultServer, paths: tuple[str, ...]) -> None:
    bodies = saved(result, server)
    want = expected_bodies()
    for path in paths:
        assert bodies[path].split("\n\n") == want[path], path
    for name in ("articles.jsonl", "teasers.jsonl"):
        assert "\ufffd" not in (result.output_dir / name).read_text("utf-8"), name


def gaps(server: FaultServer, path: str) -> list[float]:
    times = server.times(path)
    return [b - a for a, b in itertools.pairwise(times)]


def lost_stats(result: CrawlResult) -> dict[str, int]:
    prefix = "aggregator/lost/"
    return {k.removeprefix(prefix): v for k, v in result.stats.items() if k.startswith(prefix)}


@needs_site
def test_recoverable_faults_save_every_story_intact(tmp_path: Path) -> None:
    faults = {
        KIM: [Fault.status(503, {"Retry-After": "2"})],
        SANDWICH: [Fault.status(429, {"Retry-After": "1"}, times=2)],
        ENTREES: [Fault.status(500)],
        DNA: [Fault.slow(1.0)],
        NEEDLE: [Fault.charset("cp1252", declared="utf-8")],
        SMALL: [Fault.truncate(0.5), Fault.chunked_cut(0.4)],
        "magazines/Brunch/index.html": [Fault.reset()],
    }
    with serve(SITE, faults) as server:
        result = crawl(server, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert set(saved(result, server)) == set(STORIES)
    assert_intact(result, server, STORIES)
    assert lost_lines(result) == {}
    assert_accounted(result, server, {})
    # Retry-After is honoured: the server's clock saw the attempts that far apart
    assert server.count(KIM) == 2 and gaps(server, KIM)[0] >= 1.95
    assert server.count(SANDWICH) == 3 and min(gaps(server, SANDWICH)) >= 0.95
    assert server.count(SMALL) == 3  # cut twice, then whole
    stats = result.stats
    assert stats["aggregator/decode/repairs"] == 1
    assert stats["aggregator/decode/repaired/utf_8->cp1252"] == 1
    assert stats["retry/reason_count/truncated"] == 2
    assert stats["retry/reason_count/connection_reset"] == 1
    assert "Decoded" in result.stderr and NEEDLE in result.stderr


@needs_site
def test_lost_stories_are_named_with_what_happened(tmp_path: Path) -> None:
    faults = {
        KIM: [Fault.status(503, {"Retry-After": "1"}, times=None)],
        SANDWICH: [Fault.truncate(0.5, times=None)],
        ENTREES: [Fault.reset(times=None)],
        DNA: [Fault.oversize(300_000, with_length=False)],
        NEEDLE: [Fault.oversize(300_000, with_length=True)],
        SMALL: [Fault.challenge(200)],
    }
    with serve(SITE, faults) as server:
        result = crawl(server, tmp_path)
    assert result.returncode == 1
    lost = lost_lines(result)
    assert set(lost) == set(STORIES)
    assert re.fullmatch(r"HTTP 503 Service Unavailable after 6 attempts", lost[KIM])
    assert re.fullmatch(r"truncated: [\d,]+ of [\d,]+ bytes after 3 attempts", lost[SANDWICH])
    assert lost[ENTREES] == "connection reset before a response after 3 attempts"
    assert lost[DNA] == lost[NEEDLE] == "oversize: over 64 KiB (DOWNLOAD_MAXSIZE)"
    assert lost[SMALL] == "challenge page (title 'Just a moment...')"
    assert lost_stats(result) == {
        "http_503": 1,
        "truncated": 1,
        "connection_reset": 1,
        "oversize": 2,
        "challenge_page": 1,
    }
    assert_accounted(result, server, lost)
    # six attempts, each after the server's Retry-After at least
    assert server.count(KIM) == 6 and min(gaps(server, KIM)) >= 0.95
    assert server.count(DNA) == server.count(NEEDLE) == 1  # an oversize page is not retried
    assert server.count(SMALL) == 1
    summary = result.stderr.strip().splitlines()[-1]
    assert "UNHEALTHY" in summary and "6 stories lost" in summary
    # nothing was saved, so the previous feeds (none here) are kept
    assert not (tmp_path / "articles.jsonl").exists()


@needs_site
def test_redirect_and_markup_faults_are_named(tmp_path: Path) -> None:
    chain = [f"hop{i}.html" for i in range(5)]
    faults: dict[str, list[Fault]] = {
        KIM: [Fault.redirect("/loop-b.html")],
        "loop-b.html": [Fault.redirect(f"/{KIM}")],
        SANDWICH: [Fault.redirect("http://localhost:9/elsewhere.html")],
        ENTREES: [Fault.redirect(f"/{chain[0]}")],
        **{hop: [Fault.redirect(f"/{nxt}")] for hop, nxt in itertools.pairwise(chain)},
        DNA: [Fault.garbage()],
        NEEDLE: [Fault.junk_markup()],
        SMALL: [Fault.challenge(503)],
    }
    with serve(SITE, faults) as server:
        result = crawl(server, tmp_path, "-s", "REDIRECT_MAX_TIMES=3")
    assert result.returncode == 1
    lost = lost_lines(result)
    assert set(lost) == set(STORIES)
    assert lost[KIM].startswith("redirect loop: ") and lost[KIM].endswith(KIM)
    assert "loop-b.html" in lost[KIM]
    assert lost[SANDWICH].startswith("redirect off-site to localhost: ")
    assert lost[ENTREES].startswith("more than 3 redirects: ")
    assert lost[DNA].startswith("not text: NUL byte at byte ")
    assert lost[NEEDLE] == "unreadable markup: no page type found"
    assert lost[SMALL] == "challenge page (cf-mitigated: challenge), HTTP 503"
    assert server.count(SMALL) == 1  # a challenge is not asked again
    assert lost_stats(result) == {
        "redirect_loop": 1,
        "redirect_offsite": 1,
        "redirect_chain": 1,
        "not_text": 1,
        "unreadable_markup": 1,
        "challenge_page": 1,
    }
    assert_accounted(result, server, lost)
    assert server.count("elsewhere.html") == 0  # the off-site hop was never taken


@needs_site
def test_mixed_faults_a_page_not_read_and_repairs(tmp_path: Path) -> None:
    """A Retry-After too long for the crawl loses an issue page (named; its stories were never
    set out to read); a UTF-8 page declared Latin-1 is read as UTF-8; a redirect within the
    site and a Retry-After given as an HTTP date are followed; a page slower than the
    download timeout is lost as a timeout after its retries."""
    faults = {
        BRUNCH_ISSUE: [Fault.status(429, {"Retry-After": "3600"}, times=None)],
        KIM: [Fault.charset("utf-8", declared="iso-8859-1")],
        SANDWICH: [Fault.status(503, {"Retry-After": "HTTP-DATE+2"})],
        DNA: [Fault.redirect(f"/{DNA}?moved=1", times=1)],
        NEEDLE: [Fault.slow(3.0, times=None)],
    }
    with serve(SITE, faults) as server:
        result = crawl(server, tmp_path, "-s", "DOWNLOAD_TIMEOUT=1")
    assert result.returncode == 1  # a page not read hides its stories: unhealthy
    line = re.search(r"WARNING: Page not read: \S+1901442\.html \((.*)\)", result.stderr)
    assert line is not None
    assert line.group(1) == (
        "HTTP 429: the server asks to wait 3600 s (Retry-After), "
        "over AGGREGATOR_RETRY_AFTER_MAX (120 s)"
    )
    assert result.stats["aggregator/lost_pages/http_429"] == 1
    assert server.count(BRUNCH_ISSUE) == 1
    bodies = saved(result, server)
    assert set(bodies) == {KIM, SANDWICH, f"{DNA}?moved=1"}
    assert_intact(result, server, (KIM, SANDWICH))
    assert bodies[f"{DNA}?moved=1"].split("\n\n") == expected_bodies()[DNA]
    assert result.stats["aggregator/decode/repaired/cp1252->utf_8"] == 1
    assert server.count(SANDWICH) == 2 and gaps(server, SANDWICH)[0] >= 0.95
    lost = lost_lines(result)
    assert lost == {NEEDLE: "timeout: no answer within 1 s after 3 attempts"}
    assert server.count(NEEDLE) == 3
    assert_accounted(result, server, lost)
    summary = result.stderr.strip().splitlines()[-1]
    assert "1 stories lost (timeout 1)" in summary
    assert "1 other pages not read (http_429 1)" in summary


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://exa mple.com/", "no spaces"),
        ("http://example.com:99999/", "a port from 1 to 65535"),
        ("https://ex_ample.com/", "a valid host name"),
        ("ftp://example.com/", "URL[,URL…] of http(s):// or file://"),
    ],
)
def test_a_bad_start_url_is_one_line_and_exit_2(tmp_path: Path, url: str, problem: str) -> None:
    result = run_crawl("issues", tmp_path, "-a", f"start_urls={url}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and problem in lines[0] and url in lines[0], lines


# -- the same rules on the project's own mirror (no ../shared needed) --------------------------


def manifest_stories() -> list[dict[str, Any]]:
    stories: list[dict[str, Any]] = json.loads(MANIFEST.read_text("utf-8"))["stories"]
    return stories


def test_faults_on_the_samples_mirror(tmp_path: Path) -> None:
    stories = [s for s in manifest_stories() if not s["variants"]]
    by_layout: dict[str, str] = {}
    for story in stories:
        by_layout.setdefault(story["layout"], story["path"])
    recover, lose = list(by_layout.values())[:3], [s["path"] for s in stories[-4:]]
    faults = {
        recover[0]: [Fault.status(503, {"Retry-After": "1"})],
        recover[1]: [Fault.charset("cp1252", declared="utf-8")],
        recover[2]: [Fault.truncate(0.3)],
        lose[0]: [Fault.challenge(200)],
        lose[1]: [Fault.reset(times=None)],
        lose[2]: [Fault.garbage()],
        lose[3]: [Fault.corrupt_gzip()],
    }
    with serve(SAMPLES, faults) as server:
        result = crawl(server, tmp_path)
    assert result.returncode == 1
    lost = lost_lines(result)
    assert set(lost) == set(lose)
    assert lost_stats(result) == {
        "challenge_page": 1,
        "connection_reset": 1,
        "not_text": 1,
        "corrupt_body": 1,
    }
    assert lost[lose[3]].startswith("corrupt compressed body: ")
    assert_accounted(result, server, lost)
    bodies = saved(result, server)
    want = {s["path"]: "\n\n".join(s["paragraphs"]) for s in stories}
    for path in recover:
        assert bodies[path] == want[path], path
    assert "\ufffd" not in (tmp_path / "articles.jsonl").read_text("utf-8")
    assert result.stats["aggregator/decode/repairs"] == 1
    assert server.count(recover[0]) == 2 and gaps(server, recover[0])[0] >= 0.95


def test_a_start_page_that_always_fails_keeps_the_previous_feeds(tmp_path: Path) -> None:
    (tmp_path / "articles.jsonl").write_text('{"id": "kept"}\n', "utf-8")
    with serve(SAMPLES, {"index.html": [Fault.status(500, times=None)]}) as server:
        result = crawl(server, tmp_path)
    assert result.returncode == 1
    assert server.count("index.html") == 3  # RETRY_TIMES = 2
    line = re.search(r"WARNING: Page not read: \S+/index\.html \((.*)\)", result.stderr)
    assert line is not None and line.group(1) == "HTTP 500 Internal Server Error after 3 attempts"
    assert result.stats["aggregator/start/failed"] == 1
    assert result.stats["aggregator/lost_pages/http_500"] == 1
    assert (tmp_path / "articles.jsonl").read_text("utf-8") == '{"id": "kept"}\n'
    summary = result.stderr.strip().splitlines()[-1]
    assert (
        "not published (previous feeds kept)" in summary and "1 start page(s) not read" in summary
    )
