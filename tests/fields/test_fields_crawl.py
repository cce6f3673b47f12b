"""The fields users of news crawlers rely on, through real ``scrapy crawl`` runs: the two story
pages of tests/fields/mirror (written for these tests: every new field printed, by JSON-LD on
one, by meta tags and a figure on the other), the samples crawl (checked against
samples/MANIFEST.json), the reference mirror (what it prints), and a saved text of a page
that the reference mirror also holds as HTML."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from aggregator.site.urls import SITE, parse_story_url
from tests.support.crawl import CrawlResult, file_url, run_crawl, run_scrapy
from tests.support.crawlers import finished
from tests.support.paths import MANIFEST, SAMPLES, SEED, SEED_URL, SITE_EXPECTED
from tests.support.shared import require_shared

MIRROR = Path(__file__).parent / "mirror"
FERRY = "stories/travel/Harbour-Weekly/THE-FERRY-THAT-WAITS-FOR-NO-ONE.html"
FJORD = "nb/stories/travel/Harbour-Weekly/LYSET-OVER-FJORDEN.html"


@pytest.fixture(scope="module")
def fields_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("fields")
    starts = ",".join(file_url(MIRROR / page) for page in (FERRY, FJORD))
    return finished(run_crawl("issues", out, "-a", f"start_urls={starts}"))


def by_canonical(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: r for r in records}


def test_an_article_states_its_own_facts_in_json_ld(fields_crawl: CrawlResult) -> None:
    ferry = by_canonical(fields_crawl.articles)[f"{SITE}/{FERRY.removesuffix('.html')}"]
    assert ferry["type"] == "article"
    assert ferry["url"] == file_url(MIRROR / FERRY)  # the fetched URL stays in url
    assert ferry["issue_url"] == f"{SITE}/NO/Harbour-Media-Group/Harbour-Weekly/Travel/5550001"
    assert (ferry["issue_number"], ferry["country"]) == ("42", "NO")
    # the article's own publisher wins over the periodical's
    assert ferry["publisher"] == "Harbour Media Group"
    assert (ferry["date_published"], ferry["date_modified"]) == (
        "2025-03-01T06:30:00+00:00",
        "2025-03-02",
    )
    assert ferry["issue_date"] == "2025-03-01"
    # JSON-LD's image before og:image; keywords split, repeats (case-blind only) kept once
    assert ferry["image_url"] == "https://cdn.example.org/ferry.jpg"
    assert ferry["image_caption"] == "The morning boat leaves the quay"
    assert ferry["tags"] == ["ferries", "timetables", "Ferries"]


def test_an_article_without_json_ld_states_them_in_meta_tags(fields_crawl: CrawlResult) -> None:
    fjord = by_canonical(fields_crawl.articles)[f"{SITE}/{FJORD.removesuffix('.html')[3:]}"]
    assert fjord["locale"] == "nb"
    assert fjord["date_published"] == "2025-02-20T08:00:00Z"
    assert fjord["date_modified"] is None  # "not a date" is not passed on
    assert fjord["tags"] == ["vinter", "lys", "fjord"]
    # the article's figure is its lead image, before og:image
    assert fjord["image_url"] == "https://cdn.example.org/fjord.jpg"
    assert fjord["image_caption"] == "Morgenlyset over fjorden i februar"
    assert (fjord["publisher"], fjord["issue_number"], fjord["country"]) == (None, None, "NO")
    # no declared language: CLD2 says "no", the items say nb (language_codes.toml)
    assert fjord["language"] == "nb"


def test_a_teaser_carries_its_type_time_locale_and_category(fields_crawl: CrawlResult) -> None:
    (card,) = fields_crawl.teasers
    assert card["type"] == "teaser"
    assert (card["category"], card["locale"]) == ("travel", None)
    assert datetime.fromisoformat(card["crawled_at"]).utcoffset() is not None


def test_search_by_language_nb_finds_the_norwegian_article(
    fields_crawl: CrawlResult, tmp_path: Path
) -> None:
    index = f"sqlite:///{tmp_path / 'index.sqlite'}"
    loaded = run_scrapy("index", str(fields_crawl.output_dir), "-s", f"AGGREGATOR_INDEX={index}")
    assert loaded.returncode == 0, loaded.stderr
    found = run_scrapy(
        "search", "fjorden", "--language", "nb", "--json", "-s", f"AGGREGATOR_INDEX={index}"
    )
    assert found.returncode == 0, found.stderr
    results = [json.loads(line) for line in found.stdout.splitlines()]
    assert [r["type"] for r in results] == ["article"]
    assert results[0]["title"] == "Lyset over fjorden"


def test_samples_fields_agree_with_the_manifest(samples_crawl: CrawlResult) -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    publishers = {p["name"]: p["publisher"] for p in manifest["publications"]}
    stories = {file_url(SAMPLES / s["path"]): s for s in manifest["stories"]}
    for article in samples_crawl.articles:
        story = stories[article["url"]]
        assert article["type"] == "article"
        # the issue a story links to, as its live URL, whatever the layout
        assert article["issue_url"] == story["issue_url"], article["url"]
        country, *_, issue_id = story["issue_path"].removesuffix(".html").split("/")
        assert article["country"] == country
        # publisher and issue number are printed in JSON-LD only
        printed = story["has_json_ld"]
        assert article["publisher"] == (publishers[story["publication"]] if printed else None)
        assert article["issue_number"] == (issue_id if printed else None)
    for teaser in samples_crawl.teasers:
        assert teaser["type"] == "teaser"
        assert teaser["crawled_at"]
        target = parse_story_url(teaser["canonical_url"] or "")
        assert teaser["category"] == (target.category if target else None)
        seen_on = parse_story_url(teaser["source_url"])
        assert teaser["locale"] == (seen_on.locale if seen_on else None)


def test_reference_mirror_fields_are_what_it_prints(site_crawl: CrawlResult) -> None:
    """The reference mirror prints its publishers by name in its issue URLs' folders
    (``IN/HT-Media/…``) and each story's issue id: the articles carry both."""
    expected = json.loads(require_shared(SITE_EXPECTED).read_text(encoding="utf-8"))
    articles = by_canonical(site_crawl.articles)
    for want in expected["articles"]:
        got = articles[want["canonical_url"]]
        assert got["issue_url"].startswith(f"{SITE}/"), got["issue_url"]
        country, publisher_slug, *_, issue_id = got["issue_url"].removeprefix(SITE).split("/")[1:]
        assert got["publisher"].replace(" ", "-") == publisher_slug
        assert (got["country"], got["issue_number"]) == (country, issue_id)


def test_the_same_card_has_the_same_id_from_html_and_saved_text(
    site_crawl: CrawlResult, tmp_path: Path
) -> None:
    """The seed is a saved text of a page the reference mirror holds as HTML: its cards keep
    no links, yet their ids are those of the same cards read from the HTML."""
    dump = tmp_path / "seed.jsonl"
    text = require_shared(SEED).read_text(encoding="utf-8")
    dump.write_text(json.dumps({"url": SEED_URL, "text": text}) + "\n", encoding="utf-8")
    from_text = finished(run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}")).teasers
    from_html = {t["title"]: t["id"] for t in site_crawl.teasers}
    shared = [t for t in from_text if t["title"] in from_html]
    assert len(shared) >= 8, [t["title"] for t in from_text]
    assert {t["title"]: t["id"] for t in shared} == {
        t["title"]: from_html[t["title"]] for t in shared
    }
