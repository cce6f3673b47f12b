"""The page classes, in process, on every page of ../shared/site against its expected.json.

The reference mirror is third-party text: this repository keeps no copy of it (no golden files
of it either). Its own ``expected.json`` says what its story pages and teaser cards hold; these
tests read both from ../shared and skip, saying so, when it is absent. The end-to-end crawl of
the same mirror is tests/e2e/test_crawl_site.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from aggregator.items import Teaser
from aggregator.pages import (
    CatalogPage,
    IssuePage,
    PageType,
    PublicationPage,
    StoryPage,
    detect_page_type,
)
from aggregator.prompts import PromptMatcher
from tests.support.golden import BASE, CRAWLED_AT, response_for
from tests.support.paths import SITE, SITE_EXPECTED
from tests.support.shared import same_issue_date, shared_params, site_expected, skip_without_shared

pytestmark = skip_without_shared(SITE_EXPECTED)

# expected.json's layout names -> the page classes' layout names
LAYOUTS = {"classic": "classic", "new": "gold2025"}


def site_pages() -> list[str]:
    return sorted(path.relative_to(SITE).as_posix() for path in SITE.rglob("*.html"))


def read(relative: str) -> Any:
    return response_for(SITE / relative, relative)


def relative_of(url: str) -> str:
    assert url.startswith(BASE), url
    return url.removeprefix(BASE)


def article_params() -> list[Any]:
    return shared_params(
        SITE_EXPECTED,
        lambda: [pytest.param(a["path"], id=a["path"]) for a in site_expected()["articles"]],
    )


def test_every_page_has_a_type() -> None:
    pages = site_pages()
    assert len(pages) == site_expected()["pages"] == 14
    types = Counter(detect_page_type(read(page)) for page in pages)
    assert None not in types
    assert types[PageType.STORY] == len(site_expected()["articles"]) == 6
    assert types[PageType.CATALOG] == 1
    assert types[PageType.ISSUE] >= 1 and types[PageType.PUBLICATION] >= 1


def test_the_page_classes_links_reach_every_page() -> None:
    """From the catalog, following only what the page classes return, as the spider does."""
    on_disk = set(site_pages())
    seen: set[str] = set()
    missing: set[str] = set()
    queue = ["index.html"]
    while queue:
        page = queue.pop()
        if page in seen or page in missing:
            continue
        if page not in on_disk:
            missing.add(page)
            continue
        seen.add(page)
        response = read(page)
        page_type = detect_page_type(response)
        links: list[str | None] = []
        if page_type is PageType.CATALOG:
            links += CatalogPage(response).publication_urls()
        elif page_type is PageType.PUBLICATION:
            publication = PublicationPage(response)
            links += [link.url for link in publication.issue_links()]
            links.append(publication.next_page_url())
        elif page_type is PageType.ISSUE:
            issue = IssuePage(response)
            links += issue.story_urls()
            links.append(issue.previous_issue_url())
        queue += [relative_of(url) for url in links if url]
    assert seen == on_disk
    stories = {a["path"] for a in site_expected()["articles"]}
    assert stories <= seen
    assert len(missing) == 9  # The Independent's premium stories are not mirrored
    assert all("/stories/" in page or page.startswith("stories/") for page in missing)


@pytest.mark.parametrize("page", article_params())
def test_story_page_article(matcher: PromptMatcher, page: str) -> None:
    want = next(a for a in site_expected()["articles"] if a["path"] == page)
    story = StoryPage(read(page))
    assert story.layout is not None and story.layout.name == LAYOUTS[want["layout"]]
    article = story.article(CRAWLED_AT)
    for key in ("canonical_url", "title", "standfirst", "authors", "publication"):
        assert getattr(article, key) == want[key], key
    for key in ("issue_label", "category", "locale"):
        assert getattr(article, key) == want[key], key
    assert same_issue_date(article.issue_date, want["issue_date"]), article.issue_date
    # the page class does not clean: the body is the paragraphs, then the prompt block
    paragraphs = article.body.split("\n\n")
    body: list[str] = want["body_paragraphs"]
    assert len(body) >= 2
    assert paragraphs[: len(body)] == body
    assert len(paragraphs) == len(body) + 3
    cleaned = matcher.clean(article.body)
    assert cleaned.text.split("\n\n") == body
    assert cleaned.language == want["prompt_locale"].split("-")[0]
    assert sum(cleaned.removed.values()) == 3
    assert cleaned.fallback_lines == []
    if want["prompt_locale"].endswith("-placeholder"):
        assert cleaned.facts is None
    else:
        assert cleaned.facts is not None
        assert (cleaned.facts.publication, cleaned.facts.issue_label) == (
            want["publication"],
            want["issue_label"],
        )


def all_teasers() -> list[Teaser]:
    teasers: list[Teaser] = []
    for page in site_pages():
        response = read(page)
        page_type = detect_page_type(response)
        if page_type is PageType.ISSUE:
            teasers += IssuePage(response).teasers()
        elif page_type is PageType.STORY:
            teasers += StoryPage(response).teasers()
    return teasers


def test_teasers_are_the_expected_cards() -> None:
    want = {t["canonical_url"]: t for t in site_expected()["teasers"]}
    assert len(want) == len(site_expected()["teasers"]) == 15
    teasers = all_teasers()
    assert len(teasers) > len(want)  # cards repeat across issue and story pages
    assert {t.canonical_url for t in teasers} == set(want)
    for teaser in teasers:
        assert teaser.canonical_url is not None
        card = want[teaser.canonical_url]
        assert (teaser.title, teaser.summary, teaser.publication) == (
            card["title"],
            card["summary"],
            card["publication"],
        ), teaser.canonical_url
        assert same_issue_date(teaser.issue_date, card["issue_date"]), teaser.canonical_url
        assert teaser.read_time_minutes is not None and teaser.read_time_minutes > 0


def test_issue_pages_agree_with_their_stories() -> None:
    articles = {a["canonical_url"]: a for a in site_expected()["articles"]}
    checked = 0
    for page in site_pages():
        response = read(page)
        if detect_page_type(response) is not PageType.ISSUE:
            continue
        info = IssuePage(response).info()
        for teaser in IssuePage(response).teasers():
            article = articles.get(teaser.canonical_url or "")
            if article is None:
                continue
            assert (info.publication, info.issue_label) == (
                article["publication"],
                article["issue_label"],
            )
            assert same_issue_date(info.issue_date, article["issue_date"])
            checked += 1
    assert checked == len(articles) == 6
