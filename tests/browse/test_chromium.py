"""``scrapy browse`` in a real headless Chromium (Debian's ``/usr/bin/chromium``, driven by
Playwright's Python package, never a browser of its own): the search box finds an article
by a phrase of its body, a facet narrows the articles to one publication, an article page
shows its paragraphs and teaser cards, the run history shows the runs and one mark a run
in its chart, and no request of the session leaves 127.0.0.1. One browser for the module;
screenshots in tests/out/browse-*.png for a person to look at."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from aggregator.index import Filters, open_index
from tests.browse.conftest import BrowsedIndex, Served
from tests.support.crawl import ROOT

CHROMIUM = Path(os.environ.get("AGGREGATOR_CHROMIUM", "/usr/bin/chromium"))
# the machine's network is closed: without these, Chromium tries Google's hosts at start
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "tests" / "out"
PHRASE_WORDS = 5
NOWHERE = "zyzzyvas"  # a word no page of samples/ has
_WORD = re.compile(r"^[^\W\d_]+$")

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # the dev extra has it
    pytestmark = pytest.mark.skip(reason="playwright is not installed: pip install -e '.[dev]'")
else:
    if not CHROMIUM.is_file():
        pytestmark = pytest.mark.skip(
            reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
        )


@pytest.fixture(scope="module")
def requests() -> list[str]:
    """Every URL the browser asked for in this module."""
    return []


@pytest.fixture(scope="module")
def page(
    served: Served, requests: list[str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Page]:
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1100, "height": 900},
        )
        context.on("request", lambda request: requests.append(request.url))
        context.set_default_timeout(30_000)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def phrase_of(article: dict[str, Any], articles: list[dict[str, Any]]) -> str:
    """A run of words of ``article``'s body, letters only, that no other body has."""
    words = [word.strip(".,;:!?'\"()“”‘’") for word in article["body"].split()]
    others = [a["body"].casefold() for a in articles if a["id"] != article["id"]]
    for start in range(len(words) - PHRASE_WORDS):
        window = words[start : start + PHRASE_WORDS]
        phrase = " ".join(window)
        if all(_WORD.match(word) for word in window) and not any(
            phrase.casefold() in body for body in others
        ):
            return phrase
    raise AssertionError(f"no phrase of its own in {article['id']}")


def linked_articles(page: Page) -> list[str]:
    """The article ids the rows of a Datasette table link to."""
    hrefs = page.locator("table.rows-and-columns td.col-title a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return [str(href).rsplit("/", 1)[1] for href in hrefs]


def test_the_search_box_finds_an_article_by_a_phrase_of_its_body(
    page: Page, served: Served, browsed_index: BrowsedIndex
) -> None:
    articles = browsed_index.crawl.articles
    article = max(articles, key=lambda a: len(a["body"]))
    phrase = phrase_of(article, articles)
    page.goto(served.base + "/")
    # an exclusion too: Datasette's own escape_fts would search for the word instead
    query = f'"{phrase}" -{NOWHERE}'
    page.fill("#aggregator-q", query)
    page.press("#aggregator-q", "Enter")
    page.wait_for_url("**/index/articles?*")
    found = linked_articles(page)
    assert found == [article["id"]]
    index = open_index(browsed_index.url, create=False)
    try:  # what scrapy search finds for the same query
        results = index.search(query, Filters(type="article"))
    finally:
        index.close()
    assert [result.id for result in results] == found
    page.screenshot(path=str(SHOTS / "browse-search.png"), full_page=True)


def test_a_facet_narrows_the_articles_to_one_publication(
    page: Page, served: Served, browsed_index: BrowsedIndex
) -> None:
    counts = Counter(a["publication"] for a in browsed_index.crawl.articles)
    publication, number = counts.most_common(1)[0]
    assert number < sum(counts.values())  # the facet has something to narrow
    page.goto(served.base + "/index/articles")
    page.locator("#facet-publication li a", has_text=publication).first.click()
    page.wait_for_url("**publication=*")
    cells = page.locator("table.rows-and-columns td.col-publication").all_inner_texts()
    assert cells == [publication] * number


def test_an_article_page_shows_its_paragraphs_and_its_teaser_cards(
    page: Page, served: Served, browsed_index: BrowsedIndex
) -> None:
    crawl = browsed_index.crawl
    cards = Counter(t["story_id"] for t in crawl.teasers if t.get("story_id"))
    article = max((a for a in crawl.articles if a.get("standfirst")), key=lambda a: cards[a["id"]])
    assert cards[article["id"]] > 0
    page.goto(served.base + "/index/articles?_sort=title")
    page.locator(f'td.col-title a[href$="/{article["id"]}"]').click()  # the title's link
    page.wait_for_url(f"**/-/article/{article['id']}")
    assert page.inner_text("h1.story-headline") == article["title"]
    assert page.inner_text(".story-standfirst") == article["standfirst"]
    paragraphs = [p.strip() for p in article["body"].split("\n\n") if p.strip()]
    assert page.locator(".story-body p").all_inner_texts() == paragraphs
    canonical = page.get_attribute("a.story-canonical", "href")
    assert canonical == (article.get("canonical_url") or article["url"])
    seen = page.locator(".teaser-card strong").all_inner_texts()
    assert sorted(seen) == sorted(
        t["title"] for t in crawl.teasers if t.get("story_id") == article["id"]
    )
    page.screenshot(path=str(SHOTS / "browse-article.png"), full_page=True)


def test_the_run_history_shows_the_runs_and_one_mark_a_run(
    page: Page, served: Served, browsed_index: BrowsedIndex
) -> None:
    page.goto(served.base + "/-/runs")
    rows = page.locator("tr.run-row")
    assert rows.count() == 2
    verdicts = page.locator("tr.run-row td:nth-child(5)").all_inner_texts()
    assert verdicts == ["unhealthy", "healthy"]  # the latest first
    marks = page.locator("svg.articles-chart rect.mark")
    assert marks.count() == 2
    heights = [
        float(h or 0) for h in marks.evaluate_all("m => m.map(r => r.getAttribute('height'))")
    ]
    assert heights[0] > 0 and heights[1] == 0  # the unhealthy run published nothing
    box = page.locator("svg.articles-chart").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50  # drawn
    page.screenshot(path=str(SHOTS / "browse-runs.png"), full_page=True)


def test_a_teaser_card_links_to_its_story_when_it_was_crawled(
    page: Page, served: Served, browsed_index: BrowsedIndex
) -> None:
    crawl = browsed_index.crawl
    crawled = {a["id"] for a in crawl.articles}
    page.goto(served.base + "/index/teasers?_size=max")
    assert page.locator("table.rows-and-columns tbody tr").count() == len(crawl.teasers)
    linked = set(linked_articles(page))
    stories = {t["story_id"] for t in crawl.teasers if t.get("story_id")}
    assert linked == stories & crawled
    assert stories - crawled  # premium cards: their titles are no links


def test_no_request_left_127_0_0_1(page: Page, served: Served, requests: list[str]) -> None:
    page.goto(served.base + "/index/teasers")  # a Datasette page with its own assets too
    page.wait_for_load_state("networkidle")
    assert len(requests) > 5
    away = [url for url in requests if urlsplit(url).hostname != "127.0.0.1"]
    assert [url for url in away if not url.startswith(("data:", "about:"))] == []
