"""The page structures of issue 18, through a real ``scrapy crawl dumps``.

``tests/fixtures/dumps/page_shapes.jsonl`` holds invented page texts (no real page's text),
each with its reviewed ``expect`` and the ``shapes`` it exercises (``PAGE_SHAPES.md``
beside it lists them):

- ``broken_header``: a 2025 header broken over lines in a blank-line dump (``Title`` /
  ``Publication`` / ``|`` / ``Date``), at the top, under the button or a price banner;
- ``publication_twice``: 2025 cards that print the publication twice before the headline;
- ``cards_2021``: ``Headline`` / summary / ``1 min read`` / ``Publication`` / ``Month Year``;
- ``cut_card``: a card cut off by the length cap as the text's last line (a headline
  alone, or cut inside): a card whose summary is unknown;
- ``heading_publication_first``: "more stories" in a script without capitals
  (``<Publication> からのその他のストーリー``);
- ``navigation_word``: ``CATEGORIES`` alone after the cards.

The HTML rendering of these texts as story pages is tests/pages/test_same_rules_html.py's,
the cut-anywhere check of their bodies tests/dumps/test_dumps_wild.py's; the cut test here
checks the cards.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from tests.support.crawl import CrawlResult, run_crawl
from tests.support.paths import PAGE_SHAPES
from tests.support.records import page_shape_records

RECORDS = page_shape_records()
FIELDS = ("title", "standfirst", "authors", "publication", "issue_label", "issue_date")
SHAPES = (
    "broken_header",
    "publication_twice",
    "cards_2021",
    "cut_card",
    "heading_publication_first",
    "navigation_word",
)
# Interface text that must never reach an item: prompt phrases and the new shapes' lines.
INTERFACE = re.compile(
    r"Magzter GOLD|This story is from the|Denne historien er fra|Diese Geschichte stammt|"
    r"Esta historia es de la edición|هذه القصة|この記事は|からのその他のストーリー|"
    r"Continue reading your story|^(?:time to read|CATEGORIES|\d+ mins?(?: read)?|\|)$",
    re.MULTILINE,
)


def locale(record: dict[str, Any]) -> str:
    first = record["url"].split("magzter.com/", 1)[1].split("/", 1)[0]
    return "en" if first == "stories" else first


@pytest.fixture(scope="module")
def shapes_crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("page_shapes")
    result = run_crawl("dumps", out, "-a", f"path={PAGE_SHAPES}")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def teasers_of(crawl: CrawlResult, url: str) -> list[dict[str, Any]]:
    found = [t for t in crawl.teasers if t["source_url"] == url]
    return [
        {k: t[k] for k in ("title", "summary", "publication")}
        for t in sorted(found, key=lambda t: t["position"])
    ]


def test_each_shape_has_several_publications_dates_and_languages() -> None:
    assert len({r["name"] for r in RECORDS}) == len(RECORDS) == len({r["url"] for r in RECORDS})
    assert {"ja", "ar"} <= {locale(r) for r in RECORDS}  # no capitals; right to left
    for shape in SHAPES:
        records = [r for r in RECORDS if shape in r["shapes"]]
        assert len(records) >= 2, shape
        assert len({r["expect"]["publication"] for r in records}) >= 2, shape
        assert len({locale(r) for r in records}) >= 2, shape
        dates = {r["expect"]["issue_label"] for r in records} | {
            line
            for r in records
            for line in r["text"].split("\n")
            if re.fullmatch(r"\w+ 20\d\d", line)
        }
        assert len(dates - {None}) >= 2, shape
    assert {r["expect"]["prompt_language"] for r in RECORDS} >= {"en", "ar", "und", None}


@pytest.mark.parametrize("record", RECORDS, ids=[r["name"] for r in RECORDS])
def test_page_shape_fields(shapes_crawl: CrawlResult, record: dict[str, Any]) -> None:
    want = record["expect"]
    (article,) = (a for a in shapes_crawl.articles if a["url"] == record["url"])
    assert {k: article[k] for k in FIELDS} == {k: want[k] for k in FIELDS}
    assert article["body"].split("\n\n") == want["body"]
    assert article["prompt_language"] == want["prompt_language"]
    assert teasers_of(shapes_crawl, record["url"]) == want["teasers"]


def test_no_interface_text_in_any_item(shapes_crawl: CrawlResult) -> None:
    assert len(shapes_crawl.articles) == len(RECORDS)
    checked = 0
    for item in (*shapes_crawl.articles, *shapes_crawl.teasers):
        for key, value in item.items():
            if isinstance(value, str) and key not in ("url", "source_url", "canonical_url"):
                checked += 1
                found = INTERFACE.search(value)
                assert found is None, (key, found.group(), value[:120])
    assert checked > 200


def test_layouts_are_counted(shapes_crawl: CrawlResult) -> None:
    stats = shapes_crawl.stats
    broken = sum("broken_header" in r["shapes"] for r in RECORDS)
    assert stats["aggregator/dumps/header/2025"] >= broken
    assert stats["aggregator/dumps/teaser_shape/2021"] == sum(
        "cards_2021" in r["shapes"] for r in RECORDS
    )


# --- cut anywhere: the cards ---------------------------------------------------------------


def test_cut_anywhere_keeps_every_whole_card_and_takes_no_card_for_body(
    matcher: PromptMatcher,
) -> None:
    """Each text cut at each line of its card list, and halfway through each: every card
    whose headline is whole before the last line is a card, the body is the article's and
    nothing more (the last line, cut or not, is no article text), and no card's title is a
    publication's name alone or interface text."""
    checked = 0
    for record in RECORDS:
        want = record["expect"]
        lines = [line for line in record["text"].split("\n") if line.strip()]
        after_body = lines.index(want["body"][-1]) + 1
        names = {t["publication"] for t in want["teasers"]}
        # from the card list's first line on (cuts in the prompt: tests/dumps/test_dumps_wild.py)
        card_lines = names | {t["title"] for t in want["teasers"]}
        first = next(i for i in range(after_body, len(lines)) if lines[i] in card_lines)
        for end in range(first + 1, len(lines) + 1):
            full = lines[:end]
            for cut in (full, [*full[:-1], full[-1][: max(1, len(full[-1]) // 2)]]):
                page = SavedTextPage(record["url"], "\n".join(cut), matcher)
                titles = [card.title for card in page.cards]
                for teaser in want["teasers"]:
                    if teaser["title"] in cut[after_body:-1]:
                        assert teaser["title"] in titles, (record["name"], end, teaser["title"])
                # the body whole, and nothing more: no prompt line left, no card taken for it
                article = page.article("t")
                assert article is not None
                body = [p for p in matcher.clean(article.body).text.split("\n\n") if p]
                assert body == want["body"], (record["name"], end, cut[-1])
                for title in titles:
                    assert title not in names and INTERFACE.search(title) is None, title
                checked += 1
    assert checked > 150


def test_fixture_notes_name_every_fixture() -> None:
    notes = (Path(PAGE_SHAPES).parent / "PAGE_SHAPES.md").read_text(encoding="utf-8")
    for record in RECORDS:
        assert f"`{record['name']}`" in notes, record["name"]
