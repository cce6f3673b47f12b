"""``scrapy crawl issues``: catalog -> publications (all archive pages) -> issues
(and each issue's previous issue) -> stories. Works on the live site or on a mirror.

Every response goes to one callback that asks the markup what page it is, so a start URL
may be any page type. Reading is done by the page classes in ``aggregator.pages``.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from aggregator.accounting.reasons import Loss, describe
from aggregator.accounting.stories import StoryAccounting
from aggregator.pages import (
    CatalogPage,
    ChallengePage,
    IssuePage,
    PageType,
    PublicationPage,
    StoryPage,
    markup_page_type,
    url_page_type,
)
from aggregator.pages.cards import RepeatCheck, stamped
from aggregator.site.dates import crawl_moment, is_before
from aggregator.site.scope import Scope
from aggregator.site.urls import handles_url, parse_issue_url, publication_slug
from aggregator.spiders.arguments import IssuesArguments
from aggregator.utils.batched_stats import BatchedCounts
from aggregator.utils.compact import TextSet
from aggregator.utils.renamed_settings import apply_renames
from aggregator.utils.signals import crawl_scope, page_missing, repeat_check_ready

logger = logging.getLogger(__name__)

# Settings that suit a live site but only slow down a mirror on disk or on loopback.
# An issue's stories go before the listing pages still queued: what a run has found is read
# before it looks for more, so a run stopped early (a cap, Ctrl-C, a scheduler's time limit)
# holds articles, not only teasers, and the queue holds one issue's stories, not the archive's.
STORY_PRIORITY = 1
# The spider's counts reach the stats every this many (aggregator.utils.batched_stats)
STATS_BATCH = 200

LOCAL_OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


class IssuesSpider(scrapy.Spider):
    name = "issues"
    #: ``-a`` arguments and their forms, for ``scrapy crawl issues -h`` (the parsing is in
    #: ``aggregator.spiders.arguments.IssuesArguments``)
    argument_forms: ClassVar[dict[str, str]] = {
        "start_urls": "URL[,URL…]: http(s) pages of the site, file:// mirror pages or local "
        "paths; any page type (default: samples/index.html)",
        "since": "YYYY-MM-DD: skip issues dated before this day",
        "max_issues": "N (1 or more): at most N issues a publication",
    }

    @classmethod
    def handles_request(cls, request: Request) -> bool:
        """``scrapy parse URL`` without ``--spider``: the site's pages, live or mirrored (a
        ``file://`` page whose path has one of the site's page shapes)."""
        return handles_url(request.url)

    # RepeatTeasersMiddleware\'s check when it is on (repeat_check_ready): repeat cards are
    # not built
    repeat_teaser: RepeatCheck | None = None
    # the spider's counts, batched (from spider_opened on: the stats exist from then)
    counts: BatchedCounts | None = None

    @classmethod
    def check_arguments(cls, settings: BaseSettings, kwargs: dict[str, Any]) -> IssuesArguments:
        return IssuesArguments.parse(kwargs, settings.get("AGGREGATOR_START_DEFAULT"))

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> IssuesSpider:
        apply_renames(crawler.settings)  # before add-ons: the spider reads settings first
        arguments = cls.check_arguments(crawler.settings, kwargs)
        scope = Scope.from_start_urls(
            arguments.start_urls, crawler.settings.get("AGGREGATOR_MIRROR_ROOT")
        )
        if scope.is_local and crawler.settings.getbool("AGGREGATOR_LOCAL_FAST_ENABLED"):
            for name, value in LOCAL_OVERRIDES.items():
                crawler.settings.set(name, value, priority="spider")
        spider = super().from_crawler(crawler, arguments=arguments, scope=scope)
        spider.accounting = StoryAccounting(crawler)
        crawler.signals.connect(spider.repeat_check_ready, signal=repeat_check_ready)
        crawler.signals.connect(spider.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.spider_closed, signal=signals.spider_closed)
        return spider

    def repeat_check_ready(self, check: RepeatCheck) -> None:
        self.repeat_teaser = check

    def spider_opened(self, spider: Spider) -> None:
        assert self.crawler.stats is not None  # (set once the crawl starts)
        # Two or three counts a page (its type, a story's path and layout): a stats call each
        # went through StatsCollector's wrapper; they are kept in a Counter, added in batches
        # and in full when the spider closes (before the health extension reads them)
        self.counts = BatchedCounts(self.crawler.stats, every=STATS_BATCH)
        # the redirect checks judge a hop off the site with the crawl's scope
        self.crawler.signals.send_catch_log(signal=crawl_scope, scope=self.scope)

    def spider_closed(self, spider: Spider) -> None:
        if self.counts is not None:
            self.counts.flush()

    def __init__(self, arguments: IssuesArguments, scope: Scope, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.arguments = arguments
        self.scope = scope
        if scope.hosts and not scope.roots:
            self.allowed_domains = sorted(scope.hosts)  # also guards redirects (Offsite)
        self.issues_per_publication: Counter[str] = Counter()
        self.scheduled_issues = TextSet()  # 8 bytes an issue (aggregator.utils.compact)
        self.accounting: StoryAccounting

    async def start(self) -> AsyncIterator[Request]:
        logger.info(
            "Crawling %s (since=%s, max_issues=%s, mirror roots=%s)",
            ", ".join(self.arguments.start_urls),
            self.arguments.since,
            self.arguments.max_issues,
            [str(r) for r in self.scope.roots],
        )
        for url in self.arguments.start_urls:
            request = self.follow_url(url)
            if request is not None:
                request.meta["aggregator_start"] = True  # a start page not read: unhealthy
                yield request

    # -- navigation helpers ------------------------------------------------------------

    def _inc(self, key: str, count: int = 1) -> None:
        """Count under the stats key ``key``, written out whole at each call (batched:
        ``self.counts``, exact once the spider closes)."""
        if self.counts is not None:
            self.counts.inc(key, count)
        else:  # a callback called before the crawl opened the spider
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(key, count)

    def follow_url(self, url: str, priority: int = 0) -> Request | None:
        if not self.scope.allows(url):
            self._inc("aggregator/scope/blocked")
            logger.warning("Not following %s: outside the crawl's site or mirror", url)
            return None
        # a file missing from a mirror stays missing: retrying only repeats the error
        meta = {"dont_retry": True} if url.startswith("file:") else {}
        return Request(
            url, callback=self.parse_page, errback=self.on_error, meta=meta, priority=priority
        )

    def follow_all(self, urls: list[str], priority: int = 0) -> Iterator[Request]:
        for url in urls:
            request = self.follow_url(url, priority)
            if request is not None:
                yield request

    def on_error(self, failure: Failure) -> None:
        """A page not fetched: missing (404, 410, no such file), or lost with its reason."""
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        missing = isinstance(error, FileNotFoundError | IsADirectoryError) or (
            isinstance(error, HttpError) and error.response.status in (404, 410)
        )
        if request.meta.get("aggregator_start"):
            self.accounting.start_failed()
        if missing:
            self._inc("aggregator/fetch/missing")
            self.accounting.settle(request)
            self.crawler.signals.send_catch_log(signal=page_missing, request=request)
            if request.meta.get("aggregator_start"):  # the run cannot start from it: say so
                logger.warning("Start page missing: %s", request.url)
            else:
                logger.info("Missing page (skipped): %s", request.url)
            return
        self._inc("aggregator/fetch/errors")
        loss = describe(failure, request, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        if isinstance(error, HttpError):
            challenge = ChallengePage(error.response).reason()
            if challenge is not None:
                loss = Loss("challenge_page", f"{challenge}, HTTP {error.response.status}")
        self.accounting.lose(request, loss)

    def _lose(self, response: Response, key: str, detail: str) -> None:
        if response.request is not None and response.request.meta.get("aggregator_start"):
            self.accounting.start_failed()
        self.accounting.lose(response.request or Request(response.url), Loss(key, detail))

    # -- callbacks ----------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[Any]:
        """Scrapy's default callback (``scrapy parse`` without ``-c``): any page type. Checked
        (``scrapy check``, aggregator.contracts) on the catalog: its publications' archives.

        @sample index.html
        @returns items 0 0
        @returns requests 4
        """
        return self.parse_page(response)

    def parse_page(self, response: Response) -> Iterator[Any]:
        if response.status == 304 and response.request is not None:
            # asked conditionally (aggregator.spidermiddlewares.incremental): unchanged since
            # a published run read it, its own outcome (counted there), no item
            self.accounting.settle(response.request)
            return
        if not isinstance(response, TextResponse):
            self._inc("aggregator/pages/not_text")
            kind = (response.headers.get("Content-Type") or b"").decode("latin-1") or "no type"
            self._lose(response, "not_text", f"not a text page ({kind})")
            return
        page_type = markup_page_type(response)
        if page_type is None:
            # no page type declared: a challenge served in place of the page, or a page
            # known by its URL's shape only (a redesign), or markup nothing can read
            challenge = ChallengePage(response).reason()
            if challenge is not None:
                self._inc("aggregator/pages/challenge")
                self._lose(response, "challenge_page", challenge)
                return
            page_type = url_page_type(response)
        self._inc(f"aggregator/pages/{page_type.value if page_type else 'unknown'}")
        if page_type is PageType.CATALOG:
            yield from self.follow_all(CatalogPage(response).publication_urls())
        elif page_type is PageType.PUBLICATION:
            yield from self.parse_publication(response)
        elif page_type is PageType.ISSUE:
            yield from self.parse_issue(response)
        elif page_type is PageType.STORY:
            yield from self.parse_story(response)
        else:
            self._lose(response, "unreadable_markup", "unreadable markup: no page type found")

    def parse_publication(self, response: TextResponse) -> Iterator[Any]:
        """An archive page: its issues and its next page.

        @sample magazines/The-Independent/index.html
        @returns items 0 0
        @returns requests 3
        """
        page = PublicationPage(response)
        for link in page.issue_links():
            if self._skip_issue(link.url, link.issue_date):
                continue
            request = self.follow_url(link.url)
            if request is not None:
                yield request
        next_page = page.next_page_url()
        if next_page and not self._publication_full(response.url):
            request = self.follow_url(next_page)
            if request is not None:
                yield request

    def parse_issue(self, response: TextResponse) -> Iterator[Any]:
        """An issue page: its cards as teasers, its stories and its previous issue.

        @sample GB/Independent-Digital-News-and-Media/The-Independent/Newspaper/1827133.html
        @returns items 3
        @returns requests 3
        @scrapes id title canonical_url publication issue_date
        @fills teaser id title summary canonical_url publication issue_date story_id crawled_at
        """
        page = IssuePage(response)
        info = page.info()
        if is_before(info.issue_date, self.arguments.since):
            self._inc("aggregator/issues/skipped_since")
            return
        crawled_at = crawl_moment()
        yield from stamped(page.teasers(), crawled_at)
        yield from self.follow_all(page.story_urls(), STORY_PRIORITY)
        previous = page.previous_issue_url()
        if previous and not self._skip_issue(previous, None):
            request = self.follow_url(previous)
            if request is not None:
                yield request

    def parse_story(self, response: TextResponse) -> Iterator[Any]:
        """A story page: its article, then its cards as teasers.

        @sample stories/food/Brunch/THE-GREAT-INDIAN-BREAKFAST-REVIVAL.html
        @returns items 2
        @returns requests 0 0
        @scrapes id title publication issue_date canonical_url
        @fills article title standfirst authors publication issue_date issue_url body publisher
        @fills teaser title canonical_url story_id crawled_at
        """
        page = StoryPage(response)
        self._inc(f"aggregator/story/path/{page.path}")
        self._inc(f"aggregator/story/layout/{page.layout.name if page.layout else 'unknown'}")
        crawled_at = crawl_moment()
        article = page.article(crawled_at)
        if not article.body.strip():
            self._lose(response, "unreadable_markup", "unreadable markup: no article text found")
            return
        assert response.request is not None
        self.accounting.read(response.request)
        yield article
        yield from stamped(page.teasers(skip=self.repeat_teaser), crawled_at)

    # -- issue selection ----------------------------------------------------------------

    def _publication_key(self, issue_url: str) -> str:
        parsed = parse_issue_url(issue_url)
        return parsed.publication_slug if parsed else issue_url.rsplit("/", 2)[0]

    def _publication_full(self, publication_page_url: str) -> bool:
        """Stop paging an archive once ``max_issues`` of its issues are scheduled."""
        if self.arguments.max_issues is None:
            return False
        slug = publication_slug(publication_page_url) or publication_page_url
        return self.issues_per_publication[slug] >= self.arguments.max_issues

    def _skip_issue(self, issue_url: str, issue_date: str | None) -> bool:
        """True when an issue is older than ``since`` or over its publication's cap."""
        if is_before(issue_date, self.arguments.since):
            self._inc("aggregator/issues/skipped_since")
            return True
        key = self._publication_key(issue_url)
        if issue_url in self.scheduled_issues:
            return False  # already counted; the dupefilter drops the request
        if (
            self.arguments.max_issues is not None
            and self.issues_per_publication[key] >= self.arguments.max_issues
        ):
            self._inc("aggregator/issues/skipped_max_issues")
            return True
        self.scheduled_issues.add(issue_url)
        self.issues_per_publication[key] += 1
        return False
