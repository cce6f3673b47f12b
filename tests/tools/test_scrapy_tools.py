"""Scrapy's own tools on the project, through the real commands: ``-h`` lists the spiders'
arguments, ``scrapy parse URL`` finds the spider, ``scrapy check`` runs the contracts of every
page type's callback, ``-O out.csv`` has a column for every field of both item types."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.spider import spidercls_for_request

from aggregator.items import Article, Teaser
from aggregator.site.urls import article_id
from aggregator.spiders.arguments import IssuesArguments
from aggregator.spiders.dumps import DumpsSpider
from aggregator.spiders.issues import IssuesSpider
from tests.support.crawl import file_url, run_crawl, run_scrapy
from tests.support.crawlers import finished
from tests.support.paths import MANIFEST, SAMPLES

STORY = SAMPLES / "stories/newspaper/The-Independent/THE-LAST-LIGHTHOUSE-KEEPERS.html"


@pytest.mark.parametrize(
    ("spider", "names", "others"),
    [("issues", IssuesArguments.NAMES, DumpsSpider.NAMES), ("dumps", DumpsSpider.NAMES, ())],
)
def test_help_lists_the_spiders_arguments(
    spider: str, names: tuple[str, ...], others: tuple[str, ...]
) -> None:
    done = run_scrapy("crawl", spider, "-h")
    assert done.returncode == 0, done.stderr
    assert f"Spider arguments of {spider}" in done.stdout
    for name in names:
        assert f"-a {name}=" in done.stdout, name
    for name in set(others) - set(names):
        assert f"-a {name}=" not in done.stdout, name


def test_parse_finds_the_issues_spider_for_a_mirror_page() -> None:
    done = run_scrapy("parse", file_url(STORY))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Unable to find spider" not in done.stderr
    assert "Deprecat" not in done.stderr, done.stderr[-2000:]
    assert "The last lighthouse keepers" in done.stdout
    assert "'type': 'article'" in done.stdout


@pytest.mark.parametrize(
    ("url", "spider"),
    [
        ("https://www.magzter.com/stories/newspaper/The-Independent/X", IssuesSpider),
        ("https://www.magzter.com/GB/Pub-Co/Pub/Newspaper/1830188", IssuesSpider),
        (file_url(STORY), IssuesSpider),
        ("https://example.org/stories/newspaper/The-Independent/X", None),
        ("file:///tmp/notes/readme.html", None),
    ],
)
def test_the_spider_for_a_url(url: str, spider: type | None) -> None:
    """What ``scrapy parse URL`` asks the project's spider loader (the site's own URLs
    cannot be fetched here)."""
    loader = get_spider_loader(get_project_settings())
    assert spidercls_for_request(loader, Request(url)) is spider


def test_check_runs_the_contracts_of_every_page_type() -> None:
    listed = run_scrapy("check", "-l")
    assert listed.returncode == 0, listed.stderr
    methods = {line.strip("* ").strip() for line in listed.stdout.splitlines()}
    assert {"parse", "parse_publication", "parse_issue", "parse_story"} <= methods
    done = run_scrapy("check", "issues")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.rstrip().endswith("OK"), done.stderr[-3000:]
    ran = next(line for line in done.stderr.splitlines() if line.startswith("Ran "))
    assert int(ran.split()[1]) >= 13, ran


def test_check_fails_and_names_the_empty_field() -> None:
    done = run_scrapy("check", "broken_contract", "-s", "SPIDER_MODULES=tests.tools.spiders")
    assert done.returncode == 1, done.stderr[-3000:]
    assert "has empty: publisher" in done.stderr, done.stderr[-3000:]


def test_csv_export_has_every_field_of_both_types(tmp_path: Path) -> None:
    out = tmp_path / "items.csv"
    finished(run_crawl("issues", tmp_path / "feeds", "-O", str(out)))
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = reader.fieldnames or []
    every = {f.name for kind in (Article, Teaser) for f in dataclasses.fields(kind)}
    assert set(columns) == every and len(columns) == len(every)
    assert columns[0] == "type"
    # every story of the mirror once, each teaser row a teaser's (-O replaces the project feeds)
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    stories = {article_id(s["canonical_url"]) for s in manifest["stories"]}
    articles = [r for r in rows if r["type"] == "article"]
    assert sorted(r["id"] for r in articles) == sorted(stories)
    assert all(r["body"] and r["publication"] and not r["source_url"] for r in articles)
    teasers = [r for r in rows if r["type"] == "teaser"]
    assert teasers and all(r["source_url"] and not r["body"] for r in teasers)
    assert len(rows) == len(articles) + len(teasers)
