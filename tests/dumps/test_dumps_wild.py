"""Page texts in the shapes the live site prints, through a real ``scrapy crawl dumps``.

``tests/fixtures/dumps/wild.jsonl`` holds 43 invented page texts (no real page's text), one
per line with its reviewed expected output under ``expect``; ``WILD.md`` beside it lists the
shapes each one exercises: fortnightly labels, price banners at the top and instead of the
prompt, translated Try-GOLD buttons, headers under banners, ``Publication | |Date``,
``- Byline``, mixed sign-in lines, edition lines glued after the last paragraph, texts cut
inside the prompt and inside the card list, "more stories" headings in languages with no
catalog file, and the traps (article text about the brand or a subscription). Five catalog
languages and seven without a catalog file (Hindi, Dutch, Japanese, Turkish, Italian,
Korean; Devanagari, CJK and Hangul scripts).

A second test cuts every text at every line and mid-line, as a corpus' length cap does, and
checks that no article line is lost and no interface line is left.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.utils.encoding import repair_mojibake as repair
from tests.support.crawl import CrawlResult
from tests.support.records import page_shape_records, wild_records

FIELDS = ("title", "standfirst", "authors", "publication", "issue_label", "issue_date")
CATALOG = {"en", "nb", "de", "es", "ar"}
# Phrases that must never survive cleaning, in every language of the fixtures.
LEFTOVERS = re.compile(
    r"Magzter GOLD|This story is from the|Denne historien er fra|Diese Geschichte stammt|"
    r"Esta historia es de la edición|هذه القصة|Already a subscriber|Dit verhaal komt uit|"
    r"Bu hikaye|यह कहानी|この記事は|Questa storia|이 기사는|\{\{(IssueName|MagazineName)\}\}"
)


RECORDS = wild_records()  # the crawl of them is conftest.py's wild_crawl


def locale(record: dict[str, Any]) -> str:
    path = record["url"].split("magzter.com/", 1)[1]
    first = path.split("/", 1)[0]
    return "en" if first == "stories" else first


def test_fixtures_cover_the_languages_and_scripts() -> None:
    assert len(RECORDS) == 43
    languages = {locale(r) for r in RECORDS}
    assert len(languages & CATALOG) >= 3
    assert {"hi", "nl", "ja", "tr"} <= languages
    assert len({r["name"] for r in RECORDS}) == len(RECORDS) == len({r["url"] for r in RECORDS})
    # each language without a catalog file has a fortnightly label and a price banner
    for language in languages - CATALOG - {"fr"}:
        texts = [r["text"] for r in RECORDS if locale(r) == language]
        assert any(re.search(r"(?i)\b(first|second) \d{4}", t) for t in texts), language
        assert any("$149.99" in t for t in texts), language


@pytest.mark.parametrize("record", RECORDS, ids=[r["name"] for r in RECORDS])
def test_wild_text(wild_crawl: CrawlResult, record: dict[str, Any]) -> None:
    want = record["expect"]
    (article,) = (a for a in wild_crawl.articles if a["url"] == record["url"])
    assert {k: article[k] for k in FIELDS} == {k: want[k] for k in FIELDS}
    assert article["body"].split("\n\n") == want["body"]
    assert article["prompt_language"] == want["prompt_language"]
    teasers = sorted(
        (t for t in wild_crawl.teasers if t["source_url"] == record["url"]),
        key=lambda t: t["position"],
    )
    got = [{k: t[k] for k in ("title", "summary", "publication")} for t in teasers]
    assert got == want["teasers"]


def test_no_interface_text_left_anywhere(wild_crawl: CrawlResult) -> None:
    assert len(wild_crawl.articles) == len(RECORDS)
    checked = 0
    for record in (*wild_crawl.articles, *wild_crawl.teasers):
        for key, value in record.items():
            if isinstance(value, str) and key not in ("url", "source_url", "canonical_url"):
                checked += 1
                found = LEFTOVERS.search(value)
                # the traps: article sentences about the brand and a quoted sign-in question
                if found and not any(
                    found.group() in p for r in RECORDS for p in r["expect"]["body"]
                ):
                    pytest.fail(f"{found.group()!r} left in {key}: {value[:120]}")
    assert checked > 500


def test_field_sources_are_counted(wild_crawl: CrawlResult) -> None:
    stats = wild_crawl.stats
    for field in ("title", "standfirst", "authors", "publication", "edition"):
        counted = {
            key.rsplit("/", 1)[1]: value
            for key, value in stats.items()
            if key.startswith(f"aggregator/dumps/{field}/")
        }
        assert sum(counted.values()) == len(RECORDS), (field, counted)
    assert stats["aggregator/dumps/title/header_2025"] > 0
    assert stats["aggregator/dumps/title/header_classic"] > 0
    assert stats["aggregator/dumps/title/own_card"] > 0
    assert stats["aggregator/dumps/publication/edition_slug"] > 0
    assert stats["aggregator/dumps/edition/edition_fallback"] > 0


# --- cut anywhere -----------------------------------------------------------------------------


def _cleaned_body(matcher: PromptMatcher, url: str, text: str) -> list[str]:
    article = SavedTextPage(url, text, matcher).article("t")
    if article is None:
        return []
    return [p for p in matcher.clean(article.body).text.split("\n\n") if p]


def _cuts(lines: list[str], first_body: int) -> list[tuple[str, str]]:
    """The text cut after each line of its body and after, and halfway through each."""
    cuts = []
    for end in range(first_body + 1, len(lines)):
        cuts.append((f"after line {end}", "\n".join(lines[:end])))
        half = lines[end][: max(1, len(lines[end]) // 2)]
        cuts.append((f"inside line {end}", "\n".join([*lines[:end], half])))
    return cuts


def test_cut_anywhere_loses_no_article_line_and_leaves_no_prompt(matcher: PromptMatcher) -> None:
    checked = kept = 0
    for record in (*RECORDS, *page_shape_records()):  # the page structures of issue 18 too
        want = record["expect"]
        text = repair(record["text"])  # the mojibake fixture: compare repaired text
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        first_body = next(i for i, line in enumerate(lines) if any(p in line for p in want["body"]))
        for where, text in _cuts(lines, first_body):
            body = _cleaned_body(matcher, record["url"], text)
            cut_lines = text.split("\n")
            # every paragraph whole in the text, and not its (perhaps cut) last line, is kept
            for paragraph in want["body"]:
                if paragraph in cut_lines[:-1]:
                    assert paragraph in body, (record["name"], where, paragraph)
                    kept += 1
            # nothing of a catalog language's prompt is left
            for paragraph in body:
                found = LEFTOVERS.search(paragraph)
                if found and locale(record) in CATALOG:
                    assert any(found.group() in p for p in want["body"]), (
                        record["name"],
                        where,
                        paragraph,
                    )
            checked += 1
    assert checked > 1000
    assert kept > 3500  # whole paragraphs checked kept: 3,723
