"""Same rules on both paths: a story page whose article markup prints the text shapes of the
wild fixtures (banner and button lines at the top, fortnightly edition lines, glued, mixed
and cut prompts, in every language) comes out of the pipelines as its saved text does.

Each wild page text (and each of page_shapes.jsonl) is rendered as a classic-layout HTML
story page: the header into the head's markup, and every line the dump reads as body (its
prompt lines included) plus the interface lines printed above the header, one ``<p>`` each,
into the story body. Both items then go through the same normalize and prompt stages.
"""

from __future__ import annotations

import html
from itertools import takewhile
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from aggregator.items import Article
from aggregator.pages import StoryPage
from aggregator.pages.saved_text import SavedTextPage
from aggregator.pipelines.normalize import NormalizePipeline
from aggregator.pipelines.prompts import PromptPipeline
from aggregator.prompts import PromptMatcher
from aggregator.utils.encoding import repair_mojibake as repair
from tests.support.crawlers import open_crawler
from tests.support.records import page_shape_records, wild_records

RECORDS = wild_records() + page_shape_records()
COMPARED = ("body", "prompt_language", "is_preview", "title", "publication", "issue_date")


def story_html(record: dict[str, Any], page: SavedTextPage) -> str:
    want = record["expect"]
    # the interface lines printed above the header: banner, caption, button
    top = [page.lines[i] for i in takewhile(lambda i: page.matches[i], range(len(page.lines)))]
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in (*top, *page.body_lines()))
    iso = want["issue_date"] or ""
    iso = f"{iso}-01" if len(iso) == 7 else iso
    label = html.escape(want["issue_label"] or "")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="canonical" href="{html.escape(record["url"])}"></head>
<body class="story-page"><main><article class="story">
<div class="story-head"><h1 class="story-title">{html.escape(want["title"] or "")}</h1>
<div class="story-source"><a class="story-magazine">{html.escape(want["publication"] or "")}</a>
<span class="story-issue-date">|<time datetime="{iso}">{label}</time></span></div></div>
<div class="story-body">
{paragraphs}
</div></article></main></body></html>"""


@pytest.fixture(scope="module")
def stages() -> tuple[NormalizePipeline, PromptPipeline]:
    crawler = open_crawler()
    return NormalizePipeline.from_crawler(crawler), PromptPipeline.from_crawler(crawler)


def cleaned(stages: tuple[NormalizePipeline, PromptPipeline], article: Article) -> Article:
    normalize, prompts = stages
    result: Article = prompts.process_item(normalize.process_item(article))
    return result


@pytest.mark.parametrize("record", RECORDS, ids=[r["name"] for r in RECORDS])
def test_html_page_comes_out_as_its_saved_text(
    record: dict[str, Any],
    stages: tuple[NormalizePipeline, PromptPipeline],
    matcher: PromptMatcher,
) -> None:
    page = SavedTextPage(record["url"], repair(record["text"]), matcher)
    from_dump = page.article("t")
    assert from_dump is not None
    url = record["url"].replace("https://www.magzter.com/", "file:///mirror/") + ".html"
    response = HtmlResponse(url=url, body=story_html(record, page).encode(), encoding="utf-8")
    from_html = StoryPage(response).article("t")
    if not record["expect"]["title"]:  # a text with no header: the markup's title is empty
        from_dump.title = None
    dump_item, html_item = cleaned(stages, from_dump), cleaned(stages, from_html)
    assert html_item.body.split("\n\n") == record["expect"]["body"]
    for field in COMPARED:
        assert getattr(html_item, field) == getattr(dump_item, field), field
