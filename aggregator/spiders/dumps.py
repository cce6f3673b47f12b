"""``scrapy crawl dumps -a path=FILE``: saved page texts of a web-text corpus -> the same
article and teaser items, through the same pipelines, into the same two feeds.

No request is made: items come straight from ``start()``, one record at a time.

``path`` may also name WARC and WET files, a folder or glob of them, a paths list or a URL-index
selection (aggregator/corpus/: a WARC response goes through the HTML page classes, a WET
conversion through the saved-text path; docs/corpus.md).

A refused record (see aggregator/corpus/saved_texts.py) is counted under
``aggregator/dumps/malformed/<reason>``; when it named a story URL it is also a lost story
(``aggregator/lost/<reason>``, one WARNING naming the URL, the file and line: the run is
unhealthy), otherwise noise of the corpus, the first few of them logged (``CappedWarnings``). A
dump that gave no usable story record is a WARNING and ``aggregator/dumps/empty``: the run is
unhealthy and the previous feeds stay.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from aggregator.accounting.reasons import Loss
from aggregator.accounting.stories import StoryAccounting
from aggregator.corpus.extract import CorpusExtractor, corpus_format, is_selection
from aggregator.corpus.inputs import InputError, expand, is_corpus_input
from aggregator.corpus.saved_texts import (
    FORMATS,
    MAX_RECORD,
    BadRecord,
    DumpRecord,
    dump_format,
    read_dump,
    story_url,
)
from aggregator.pages.cards import RepeatCheck, stamped
from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.site.dates import crawl_moment
from aggregator.site.urls import StoryUrl
from aggregator.spiders.arguments import BadArgument, check_known
from aggregator.utils.batched_stats import BatchedCounts
from aggregator.utils.capped_warnings import CappedWarnings
from aggregator.utils.renamed_settings import apply_renames
from aggregator.utils.signals import repeat_check_ready

logger = logging.getLogger(__name__)

# The spider's per-record counts go to the stats in batches (aggregator.utils.batched_stats): a
# record makes about ten. Progress reads ``aggregator/dumps/records`` at most this many counts
# (so at most this many records) late; the close flushes.
STATS_BATCH = 200


class DumpsSpider(scrapy.Spider):
    name = "dumps"
    # RepeatTeasersMiddleware\'s check when it is on (repeat_check_ready): repeat cards are
    # not built
    repeat_teaser: RepeatCheck | None = None
    accounting: StoryAccounting  # every story named, as the issues spider's
    NAMES = ("path", "url")
    #: ``-a`` arguments and their forms, for ``scrapy crawl dumps -h``
    argument_forms: ClassVar[dict[str, str]] = {
        "path": f"FILE: a dump ({', '.join(FORMATS)}; required)",
        "url": "URL: the story URL of a .txt page (https://www.magzter.com/[<locale>/]stories/"
        "<category>/<Publication>/<SLUG>); only with a .txt page",
    }

    @classmethod
    def check_arguments(
        cls, settings: BaseSettings, kwargs: dict[str, Any]
    ) -> tuple[Path, str | None]:
        check_known(kwargs, cls.NAMES)
        cls.max_record(settings)  # a setting, checked with the arguments: exit status 2
        raw = kwargs.get("path")
        if not raw:
            raise BadArgument("path", f"a dump file ({', '.join(FORMATS)})", "(missing)")
        if is_corpus_input(str(raw)):  # WARC/WET files, folders, globs, paths lists
            cls.corpus_inputs(raw)
            if kwargs.get("url"):
                raise BadArgument("url", "only with a .txt page (records carry URLs)", raw)
            return Path(str(raw)), None
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

    @staticmethod
    def corpus_inputs(raw: object) -> list[Path]:
        try:
            return expand(str(raw))
        except InputError as error:
            why = error.why if error.raw == str(raw) else str(error)  # a paths list's line
            raise BadArgument(
                "path",
                f"a dump, WARC or WET file, a folder or glob of them, or a paths list ({why})",
                raw,
            ) from None

    @staticmethod
    def max_record(settings: BaseSettings) -> int:
        value = settings.get("AGGREGATOR_DUMPS_MAX_RECORD", MAX_RECORD)
        if not str(value).strip().isdigit() or int(str(value).strip()) < 1:
            raise BadArgument("AGGREGATOR_DUMPS_MAX_RECORD", "a number of bytes, 1 or more", value)
        return int(str(value).strip())

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> DumpsSpider:
        apply_renames(crawler.settings)  # before add-ons: the spider reads settings first
        path, url = cls.check_arguments(crawler.settings, kwargs)
        max_record = cls.max_record(crawler.settings)
        languages = crawler.settings.getlist("AGGREGATOR_PROMPTS_LANGUAGES") or None
        matcher = PromptMatcher.default(languages)
        spider = super().from_crawler(
            crawler, path=path, url=url, matcher=matcher, max_record=max_record
        )
        crawler.signals.connect(spider.repeat_check_ready, signal=repeat_check_ready)
        spider.accounting = StoryAccounting(crawler)
        return spider

    def repeat_check_ready(self, check: RepeatCheck) -> None:
        self.repeat_teaser = check

    def __init__(
        self,
        path: Path,
        url: str | None,
        matcher: PromptMatcher,
        max_record: int = MAX_RECORD,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.url = url
        self.inputs = self.corpus_inputs(path) if is_corpus_input(str(path)) else [path]
        self.matcher = matcher
        self.max_record_bytes = max_record
        self.warnings = CappedWarnings(logger)
        self.read: Counter[str] = Counter()

    @cached_property
    def counts(self) -> BatchedCounts:
        """The dumps' counts, added to the stats in batches (several a record)."""
        assert self.crawler.stats is not None
        return BatchedCounts(self.crawler.stats, every=STATS_BATCH)

    def _inc(self, key: str) -> None:
        self.counts.inc(key)

    def flush_stats(self) -> None:
        self.counts.flush()

    def closed(self, reason: str) -> None:
        self.flush_stats()  # a run stopped before start() finished: its counts too

    async def start(self) -> AsyncIterator[Any]:
        try:
            for path in self.inputs:
                if corpus_format(path) is not None or is_selection(path):
                    items = CorpusExtractor(self).items(path)
                else:
                    items = self.dump_items(path)
                for item in items:
                    yield item
        finally:
            self.flush_stats()
            self.warnings.close("warnings of the dump")
        if not self.read["stories"] and not self.settings.getbool("AGGREGATOR_CORPUS_TASK"):
            self.no_story()  # a corpus shard of no story of ours is only a shard

    def dump_items(self, path: Path) -> Iterator[Any]:
        logger.info("Reading dump %s", path)
        url = self.url if path == self.path else None
        for record in read_dump(path, url, self.max_record_bytes):
            if isinstance(record, BadRecord):
                self.refuse(record, path)
                continue
            self._inc("aggregator/dumps/records")
            parsed = story_url(record.url)
            if parsed is None:
                self.read["not stories"] += 1
                self._inc("aggregator/dumps/skipped_not_story")
                continue
            self.read["stories"] += 1
            if record.repaired is not None:
                self.repaired(record)
            crawled_at = crawl_moment()
            yield from self.text_items(record, parsed, crawled_at)

    def text_items(
        self, record: DumpRecord, parsed: StoryUrl, crawled_at: str, source: str = "dump"
    ) -> Iterator[Any]:
        """The article and teasers of a saved page text (a dump record, a WET record)."""
        page = SavedTextPage(record.url, record.text, self.matcher, parsed)
        self._inc(f"aggregator/dumps/header/{page.header_shape}")
        self._inc(f"aggregator/dumps/teaser_shape/{page.teaser_shape}")
        for field, where in page.sources.items():
            self._inc(f"aggregator/dumps/{field}/{where}")
        article = page.article(crawled_at)
        if article is not None:
            if source == "wet":
                article.source = "wet"
            yield article
        yield from stamped(page.teasers(skip=self.repeat_teaser), crawled_at)

    def refuse(self, record: BadRecord, path: Path | None = None) -> None:
        self._inc(f"aggregator/dumps/malformed/{record.reason}")
        if record.reason == "unreadable":  # the rest of the dump cannot be read
            self.accounting.start_failed()
        if record.url is not None and story_url(record.url) is not None:
            # a story the dump holds but that cannot be read: lost, and named (never capped)
            self.read["refused stories"] += 1
            self.accounting.lose_story(
                record.url,
                Loss(record.reason, f"{record.reason}: {record.detail}"),
                f" at {path or self.path} line {record.line}",
            )
            return
        self.read["malformed"] += 1
        # one cap for all reasons: a binary file breaks every rule; stats have the breakdown
        self.warnings.warn(
            "malformed records",
            "%s line %d: malformed record skipped (%s) %s%s",
            path or self.path,
            record.line,
            record.reason,
            record.detail,
            f" ({record.url})" if record.url else "",
        )

    def repaired(self, record: DumpRecord) -> None:
        self._inc(f"aggregator/dumps/repaired/{record.repaired}")
        self.warnings.warn(
            f"repaired/{record.repaired}",
            "%s line %d: record repaired (%s: not UTF-8, read as Windows-1252) %s",
            self.path,
            record.line,
            record.repaired,
            record.url,
        )

    def no_story(self) -> None:
        """Nothing to publish: say why, once, and make the run unhealthy (health names it)."""
        counts = ", ".join(f"{n} {what}" for what, n in sorted(self.read.items()) if n)
        reason = (
            f"no usable story record in the dump {self.path.name} ({counts})"
            if counts
            else f"the dump {self.path.name} is empty"
        )
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("aggregator/dumps/empty", reason)
        logger.warning("%s: %s", self.path, reason)
