"""``scrapy crawl dumps -a path=FILE``: saved page texts of a web-text corpus -> the same
article and teaser items, through the same pipelines, into the same two feeds.

No request is made: items come straight from ``start()``, one record at a time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from aggregator.arguments import BadArgument, check_known
from aggregator.dumps import FORMATS, BadRecord, dump_format, read_dump, story_url
from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher

logger = logging.getLogger(__name__)


class DumpsSpider(scrapy.Spider):
    name = "dumps"
    NAMES = ("path", "url")

    @classmethod
    def check_arguments(
        cls, settings: BaseSettings, kwargs: dict[str, Any]
    ) -> tuple[Path, str | None]:
        check_known(kwargs, cls.NAMES)
        raw = kwargs.get("path")
        if not raw:
            raise BadArgument("path", f"a dump file ({', '.join(FORMATS)})", "(missing)")
        path = Path(str(raw)).expanduser()
        if dump_format(path) is None:
            raise BadArgument("path", f"a file ending in {', '.join(FORMATS)}", raw)
        if not path.is_file():
            raise BadArgument("path", "an existing, readable file", raw)
        url = kwargs.get("url")
        if dump_format(path) == ".txt":
            if not url or story_url(str(url)) is None:
                raise BadArgument(
                    "url",
                    "the story URL of the .txt page (https://www.magzter.com/[<locale>/]"
                    "stories/<category>/<Publication>/<SLUG>)",
                    url or "(missing)",
                )
        elif url:
            raise BadArgument("url", "only with a .txt page (records carry their own URLs)", url)
        return path, str(url) if url else None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DumpsSpider:
        path, url = cls.check_arguments(crawler.settings, kwargs)
        languages = crawler.settings.getlist("AGGREGATOR_PROMPT_LANGUAGES") or None
        matcher = PromptMatcher.default(languages)
        return super().from_crawler(crawler, path=path, url=url, matcher=matcher)

    def __init__(self, path: Path, url: str | None, matcher: PromptMatcher, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.url = url
        self.matcher = matcher

    def _inc(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"aggregator/dumps/{key}")

    async def start(self) -> AsyncIterator[Any]:
        logger.info("Reading dump %s", self.path)
        for record in read_dump(self.path, self.url):
            if isinstance(record, BadRecord):
                self._inc(f"malformed/{record.reason}")
                if record.reason == "unreadable":  # the rest of the dump cannot be read
                    assert self.crawler.stats is not None
                    self.crawler.stats.inc_value("aggregator/start_failed")
                logger.warning(
                    "%s line %d: malformed record skipped (%s) %s",
                    self.path,
                    record.line,
                    record.reason,
                    record.detail,
                )
                continue
            self._inc("records")
            parsed = story_url(record.url)
            if parsed is None:
                self._inc("skipped_not_story")
                continue
            page = SavedTextPage(record.url, record.text, self.matcher, parsed)
            self._inc(f"header/{page.header_shape}")
            self._inc(f"teaser_shape/{page.teaser_shape}")
            for field, source in page.sources.items():
                self._inc(f"{field}/{source}")
            crawled_at = datetime.now(UTC).isoformat(timespec="seconds")
            article = page.article(crawled_at)
            if article is not None:
                yield article
            for teaser in page.teasers():
                yield teaser
