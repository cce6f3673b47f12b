"""``IncrementalMiddleware`` (on with ``AGGREGATOR_STATE``): a scheduled run costs what changed.

Between the spider and the scheduler it asks the run's ``Freshness``
(``aggregator.state.freshness``) about every request the spider makes:

- a story page a published run read, not due: dropped (never scheduled, so never "set out to
  read": its outcome is "skipped as published", counted, not lost); due: asked with
  ``If-None-Match`` / ``If-Modified-Since`` and a ``304`` allowed through to the spider, which
  settles the story as unchanged;
- an issue page seen in full, not due: dropped;
- the next archive page of a publication page all of whose issues were dropped: not
  followed (the archive lists newest first: what lies further back was seen).

Catalog and publication pages are always fetched: that is where new issues appear. When a
published run read one and the server gave validators, it is asked conditionally, and a
``304`` is read again from the text the ledger kept
(``aggregator.downloadermiddlewares.not_modified``).

It records, for the run, the validators of every story page read (kept until its article is
staged, ``StateRun.stage``), the stories each issue page lists, and a ``304``'s story as read.
At ``spider_closed`` it writes the counts (each key whole):
``aggregator/state/skipped/story`` (stories published before and not fetched this run, by
whatever way: their link dropped, their issue page or archive page not fetched),
``aggregator/state/skipped/issue`` (the same for issues seen in full),
``aggregator/state/skipped/archive_pages`` (archive links not followed),
``aggregator/state/skipped/not_modified`` (``304`` answers) and
``aggregator/state/fetched/story`` (story pages asked for, conditionally or not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse

from aggregator.accounting.stories import first_url
from aggregator.downloadermiddlewares.not_modified import PAGE_META
from aggregator.site.urls import parse_issue_url, parse_story_url, publication_slug
from aggregator.state.component import StateSpiderMiddleware
from aggregator.state.freshness import ISSUE, MISSING, PAGE, STORY, Freshness
from aggregator.state.run import StateRun
from aggregator.utils.compact import TextSet
from aggregator.utils.signals import page_missing

NOT_MODIFIED = 304


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class IncrementalMiddleware(StateSpiderMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.fetched_known_stories = TextSet()  # 8 bytes each (aggregator.utils.compact)
        self.fetched_known_issues = TextSet()
        self.fetched_stories = TextSet()
        self.archive_pages_skipped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.page_missing, signal=page_missing)
        return middleware

    def page_missing(self, request: Request) -> None:
        """A story page the site does not have is settled for its issue's sake."""
        if self.freshness is not None and parse_story_url(first_url(request)) is not None:
            self.freshness.read(MISSING, first_url(request), None, None)

    def _inc(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(key)

    # -- requests -------------------------------------------------------------------------

    def _story_request(self, freshness: Freshness, request: Request) -> bool:
        """Keep (True) or drop a story request; a due one is made conditional."""
        decision = freshness.decide(STORY, request.url)
        if decision.skip:
            return False
        if decision.known:
            self.fetched_known_stories.add(request.url)
        self.fetched_stories.add(request.url)
        if decision.conditional:
            if decision.etag:
                request.headers[b"If-None-Match"] = decision.etag
            if decision.last_modified:
                request.headers[b"If-Modified-Since"] = decision.last_modified
            allowed = list(request.meta.get("handle_httpstatus_list", ()))
            request.meta["handle_httpstatus_list"] = [*allowed, NOT_MODIFIED]
        return True

    def _page_request(self, freshness: Freshness, request: Request) -> None:
        """A catalog or publication page: asked conditionally when a published run read it
        (a 304 is read again from the ledger: ``aggregator.downloadermiddlewares.not_modified``)."""
        decision = freshness.decide(PAGE, request.url)
        if decision.conditional:
            if decision.etag:
                request.headers[b"If-None-Match"] = decision.etag
            if decision.last_modified:
                request.headers[b"If-Modified-Since"] = decision.last_modified
            request.meta[PAGE_META] = True

    def _issue_request(self, freshness: Freshness, request: Request) -> bool:
        decision = freshness.decide(ISSUE, request.url)
        if decision.skip:
            return False
        if decision.known:
            self.fetched_known_issues.add(request.url)
        return True

    # -- responses ------------------------------------------------------------------------

    def _read(self, response: Response, freshness: Freshness, run: StateRun) -> None:
        """Note what a story page response says for the ledger."""
        request = response.request or Request(response.url)
        etag, last_modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if response.status == NOT_MODIFIED:
            self._inc("aggregator/state/skipped/not_modified")
            seen = freshness.ledger.seen(STORY, first_url(request))
            if seen is not None:  # a 304 may leave the validators out: the old ones stand
                etag, last_modified = etag or seen[1], last_modified or seen[2]
            freshness.read(STORY, first_url(request), etag, last_modified)
        else:
            run.validators[response.url] = (first_url(request), etag, last_modified)

    def _read_page(self, response: Response, freshness: Freshness) -> None:
        """A catalog (a start page) or publication page with validators: its text is kept
        to be read again on a 304 (never a dump file: no such page is one)."""
        etag, last_modified = _header(response, "ETag"), _header(response, "Last-Modified")
        if isinstance(response, TextResponse) and (etag or last_modified):
            url = first_url(response.request) if response.request else response.url
            freshness.read_page(url, etag, last_modified, response.text)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        run, freshness = self.run, self.freshness
        if run is None or freshness is None:
            yield from result
            return
        issue_page = parse_issue_url(response.url) is not None
        archive = publication_slug(response.url) is not None
        start = response.request is not None and response.request.meta.get("aggregator_start")
        if parse_story_url(response.url) is not None:
            self._read(response, freshness, run)
        elif (archive or (start and not issue_page)) and response.status == 200:
            self._read_page(response, freshness)
        stories: list[str] = []
        archive_links: list[Request] = []
        issues_kept = issues_dropped = 0
        for element in result:
            if not isinstance(element, Request):
                yield element
            elif parse_story_url(element.url) is not None:
                stories.append(element.url)
                if self._story_request(freshness, element):
                    yield element
            elif parse_issue_url(element.url) is not None:
                if self._issue_request(freshness, element):
                    issues_kept += 1
                    yield element
                else:
                    issues_dropped += 1
            elif archive and publication_slug(element.url) is not None:
                self._page_request(freshness, element)
                archive_links.append(element)  # decided once the page's issues are known
            else:
                self._page_request(freshness, element)
                yield element
        if issue_page:
            key = first_url(response.request) if response.request else response.url
            freshness.list_issue(key, stories)
        if archive_links and issues_dropped and not issues_kept:
            self.archive_pages_skipped += len(archive_links)
        else:
            yield from archive_links

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for element in start:
            url = element.url if isinstance(element, Request) else ""
            if (
                self.freshness is not None
                and url
                and parse_story_url(url) is None
                and parse_issue_url(url) is None
            ):
                self._page_request(self.freshness, element)
            yield element

    # -- counts ---------------------------------------------------------------------------

    def spider_closed(self, spider: Spider, reason: str) -> None:
        freshness = self.freshness
        stats = self.crawler.stats
        if freshness is None or stats is None:
            return
        stories = max(freshness.known_stories - len(self.fetched_known_stories), 0)
        issues = max(freshness.known_issues - len(self.fetched_known_issues), 0)
        stats.set_value("aggregator/state/skipped/story", stories)
        stats.set_value("aggregator/state/skipped/issue", issues)
        stats.set_value("aggregator/state/skipped/archive_pages", self.archive_pages_skipped)
        stats.set_value(
            "aggregator/state/skipped/not_modified",
            stats.get_value("aggregator/state/skipped/not_modified", 0),
        )
        stats.set_value("aggregator/state/fetched/story", len(self.fetched_stories))
