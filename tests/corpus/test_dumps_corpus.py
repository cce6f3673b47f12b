"""End to end: ``scrapy crawl dumps -a path=…`` on WARC and WET files built from samples/ and
the saved-text fixtures: the same articles and teasers as the crawl of the mirror and the
crawls of the fixtures, the noise skipped and counted, the broken records named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.shards import (
    CUT_OFF_STORY,
    OVERLONG_STORY,
    SITE,
    Page,
    fixture_texts,
    sample_pages,
    write_warc,
    write_wet,
)
from tests.support.crawl import CrawlResult, run_crawl
from tests.support.crawlers import finished
from tests.support.paths import SAMPLES, SHAPES, WILD
from tests.support.records import manifest

# what differs by where a page was read: its address, the source, when it was read
WHERE = ("url", "source", "crawled_at")


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shards")
    write_warc(folder / "samples.warc.gz", sample_pages(), noise=40, broken=True)
    write_wet(folder / "fixtures.warc.wet.gz", fixture_texts(SHAPES, WILD), noise=25)
    return folder


@pytest.fixture(scope="module")
def warc_crawl(shards: Path, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("warc")
    result = run_crawl("dumps", out, "-a", f"path={shards / 'samples.warc.gz'}")
    assert result.returncode == 1, result.stderr[-3000:]  # two stories lost: unhealthy
    return result


@pytest.fixture(scope="module")
def wet_crawl(shards: Path, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("wet")
    return finished(run_crawl("dumps", out, "-a", f"path={shards / 'fixtures.warc.wet.gz'}"))


def same_fields(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``got`` that differ from ``want``'s, but where it was read. An issue
    link is resolved against the page's address: the same page, by its path."""
    diff = {}
    for name, value in want.items():
        if name in WHERE:
            continue
        if (
            name == "issue_url"
            and value
            and got[name]
            and got[name].removeprefix(SITE) == re.sub(r"^.*?/samples/", "", value)
        ):
            continue
        if got[name] != value:
            diff[name] = (got[name], value)
    return diff


def test_every_article_of_the_mirror_from_the_warc(
    warc_crawl: CrawlResult, samples_crawl: CrawlResult
) -> None:
    got = {a["id"]: a for a in warc_crawl.articles}
    want = {a["id"]: a for a in samples_crawl.articles}
    assert set(got) == set(want)
    for key, article in want.items():
        assert same_fields(got[key], article) == {}, article["canonical_url"]
        assert got[key]["source"] == "warc"
        assert got[key]["crawled_at"] == "2026-11-20T10:00:00+00:00"  # the WARC-Date
        assert got[key]["url"].startswith(SITE)


def test_every_teaser_of_the_mirror_from_the_warc(
    warc_crawl: CrawlResult, samples_crawl: CrawlResult
) -> None:
    got = {t["id"]: t for t in warc_crawl.teasers}
    want = {t["id"]: t for t in samples_crawl.teasers}
    assert set(got) == set(want)
    for key, teaser in want.items():
        for name in ("title", "summary", "canonical_url", "publication", "issue_date"):
            assert got[key][name] == teaser[name], (key, name)


def test_the_noise_is_skipped_and_counted(warc_crawl: CrawlResult) -> None:
    stats = warc_crawl.stats
    pages = len(sample_pages())
    assert stats["aggregator/dumps/skipped_host"] == 40
    assert stats["aggregator/dumps/skipped_not_story"] == 2  # our catalog, a publication
    assert stats["aggregator/dumps/skipped_type"] == pages + 42 + 1  # requests, warcinfo
    assert stats["aggregator/dumps/stories/warc"] + stats["aggregator/dumps/issues/warc"] == pages


def test_the_broken_records_are_named(warc_crawl: CrawlResult) -> None:
    stats = warc_crawl.stats
    for reason in ("bad_header", "length_past_end", "corrupt_gzip", "truncated_gzip"):
        assert stats[f"aggregator/dumps/malformed/{reason}"] == 1, reason
    # the two stories among them are lost, and named with the file and the offset
    assert stats["aggregator/lost/length_past_end"] == 1
    assert stats["aggregator/lost/truncated_gzip"] == 1
    lost = [line for line in warc_crawl.stderr.splitlines() if "Story lost" in line]
    assert len(lost) == 2, lost
    for url in (OVERLONG_STORY, CUT_OFF_STORY):
        assert re.search(
            rf"Story lost: {re.escape(url)} .* at \S*/samples\.warc\.gz offset \d+",
            warc_crawl.stderr,
        )
    assert "UNHEALTHY" in warc_crawl.stderr


def test_every_saved_text_from_the_wet(
    wet_crawl: CrawlResult, shapes_crawl: CrawlResult, wild_crawl: CrawlResult
) -> None:
    got = {a["id"]: a for a in wet_crawl.articles}
    want = {a["id"]: a for a in shapes_crawl.articles + wild_crawl.articles}
    assert set(got) == set(want)
    for key, article in want.items():
        assert same_fields(got[key], article) == {}, article["url"]
        assert got[key]["source"] == "wet"
    teasers = {t["id"] for t in shapes_crawl.teasers + wild_crawl.teasers}
    assert {t["id"] for t in wet_crawl.teasers} == teasers
    assert wet_crawl.stats["aggregator/dumps/skipped_host"] == 25


def test_a_warc_response_goes_through_the_charset_and_challenge_rules(tmp_path: Path) -> None:
    # a story page that Windows-1252 can write, served so under a UTF-8 header: read by
    # its bytes, as a crawled page is
    story, first = next(
        (SITE + s["path"].removesuffix(".html"), s["paragraphs"][0])
        for s in manifest()["stories"]
        if fits_cp1252((SAMPLES / s["path"]).read_text("utf-8"))
        and s["paragraphs"][0] in (SAMPLES / s["path"]).read_text("utf-8")
    )
    html = (SAMPLES / story.removeprefix(SITE)).with_suffix(".html").read_text("utf-8")
    mislabelled = Page(story, html.replace(first, first + " café", 1).encode("cp1252"))
    challenge = Page(
        SITE + "stories/news/Outlook/A-STORY-BEHIND-A-CHALLENGE",
        b"<html><head><title>Just a moment...</title></head><body>Checking</body></html>",
        status="403 Forbidden",
    )
    missing = Page(SITE + "stories/news/Outlook/GONE", b"<html>Not found</html>", "404 Not Found")
    path = write_warc(tmp_path / "rules.warc.gz", [mislabelled, challenge, missing], noise=0)
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={path}")
    stats = result.stats
    assert stats["aggregator/decode/repairs"] == 1
    assert stats["aggregator/lost/challenge_page"] == 1
    assert stats["aggregator/dumps/skipped_status"] == 1  # a 404 capture is no page
    (article,) = result.articles
    assert " café" in article["body"]


def fits_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("form", ["folder", "glob", "paths list", "file URL"])
def test_inputs_name_the_shards(shards: Path, tmp_path: Path, form: str) -> None:
    if form == "folder":
        path = str(shards)
    elif form == "glob":
        path = str(shards / "*.gz")
    elif form == "paths list":
        listing = tmp_path / "warc.paths"
        listing.write_text(f"samples.warc.gz\n{(shards / 'fixtures.warc.wet.gz').as_uri()}\n")
        (tmp_path / "samples.warc.gz").symlink_to(shards / "samples.warc.gz")
        path = str(listing)
    else:
        path = (shards / "fixtures.warc.wet.gz").as_uri()
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={path}")
    stats = result.stats
    both = form != "file URL"
    assert stats.get("aggregator/dumps/stories/warc", 0) == (46 if both else 0)
    assert stats["aggregator/dumps/stories/wet"] == len(fixture_texts(SHAPES, WILD))


def test_an_input_that_names_nothing_is_a_bad_argument(tmp_path: Path) -> None:
    listing = tmp_path / "wet.paths"
    listing.write_text("crawl-data/none.warc.wet.gz\n")
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={listing}")
    assert result.returncode == 2
    assert f"{listing} line 1" in result.stderr
    assert "no such file" in result.stderr
