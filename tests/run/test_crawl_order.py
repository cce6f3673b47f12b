"""What a run has found is read before it looks for more: an issue's stories outrank the
listing pages still queued, in Scrapy's scheduler and in the shared frontier alike (both take
the higher ``Request.priority`` first)."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from aggregator.spiders.issues import IssuesSpider
from tests.support.paths import SAMPLES

ISSUE = SAMPLES / "GB/Independent-Digital-News-and-Media/The-Independent/Newspaper/1827133.html"


def test_an_issues_stories_outrank_its_previous_issue() -> None:
    crawler = get_crawler(IssuesSpider)  # Scrapy's defaults: the order is the spider's own
    spider = IssuesSpider.from_crawler(crawler, start_urls=(SAMPLES / "index.html").as_uri())
    response = HtmlResponse(ISSUE.as_uri(), body=ISSUE.read_bytes(), encoding="utf-8")
    requests = [out for out in spider.parse_issue(response) if isinstance(out, Request)]
    stories = [r for r in requests if "/stories/" in r.url]
    listings = [r for r in requests if "/stories/" not in r.url]
    assert stories and listings, [r.url for r in requests]
    assert min(r.priority for r in stories) > max(r.priority for r in listings)
