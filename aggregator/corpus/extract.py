"""Items from a WARC or WET file: the dumps spider's reading of a corpus shard.

- a WARC ``response`` record of a story or issue page becomes a Scrapy response (the
  record's HTTP status, headers and body) and goes through what a crawled page goes
  through: the charset rules (``CharsetRepairMiddleware``), the challenge rules
  (``ChallengePage``) and the same page classes (``StoryPage``, ``IssuePage``);
- a WET ``conversion`` record is a saved page text: the dumps path
  (``aggregator.corpus.saved_texts``'s byte checks, ``SavedTextPage``), as a ``.jsonl``
  record is.

Articles carry ``source`` ``warc`` or ``wet`` and the record's ``WARC-Date`` as
``crawled_at`` (when the page was fetched, which is what the merge of shards compares).

Records are chosen on their WARC headers before any body is read (``select``): other
record types (``aggregator/dumps/skipped_type``), other hosts (``…/skipped_host``), our
host's pages that are neither stories nor issues (``…/skipped_not_story``). A response
that is not a 200 is ``…/skipped_status`` (a capture of a 404 or a redirect is no page).
A broken record is ``aggregator/dumps/malformed/<reason>``, named with the file and offset;
a story among them is lost (``aggregator/lost/<reason>``), as a refused dump record is.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.http import TextResponse

from aggregator.accounting.reasons import Loss, PageLost
from aggregator.corpus.cdx import read_selection
from aggregator.corpus.http import HttpBlockError, parse_block, to_response
from aggregator.corpus.saved_texts import (
    SITE_DOMAIN,
    BadRecord,
    DumpRecord,
    check_text,
    decode,
    story_url,
)
from aggregator.corpus.warc import BrokenRecord, Select, WarcRecord, read_warc
from aggregator.downloadermiddlewares.charset import CharsetRepairMiddleware
from aggregator.pages import (
    ChallengePage,
    IssuePage,
    PageType,
    StoryPage,
    markup_page_type,
    url_page_type,
)
from aggregator.pages.cards import stamped
from aggregator.site.dates import crawl_moment
from aggregator.site.urls import parse_issue_url

if TYPE_CHECKING:
    from aggregator.spiders.dumps import DumpsSpider

logger = logging.getLogger(__name__)

# A corpus shard's file names (Common Crawl: *.warc.gz, *.warc.wet.gz; plain ones too).
WARC_FORMATS = (".warc", ".warc.gz", ".wet", ".wet.gz", ".arc.gz")
WET_FORMATS = (".warc.wet.gz", ".warc.wet", ".wet", ".wet.gz")
SELECTIONS = (".cdxj", ".cdx", ".csv")


# The stats keys of refused records and lost stories, each written out whole.
MALFORMED_KEYS = {
    "truncated_gzip": "aggregator/dumps/malformed/truncated_gzip",
    "corrupt_gzip": "aggregator/dumps/malformed/corrupt_gzip",
    "bad_header": "aggregator/dumps/malformed/bad_header",
    "length_past_end": "aggregator/dumps/malformed/length_past_end",
    "oversize": "aggregator/dumps/malformed/oversize",
    "bad_http": "aggregator/dumps/malformed/bad_http",
    "binary": "aggregator/dumps/malformed/binary",
    "bad_utf8": "aggregator/dumps/malformed/bad_utf8",
    "bad_index_line": "aggregator/dumps/malformed/bad_index_line",
    "range_unreadable": "aggregator/dumps/malformed/range_unreadable",
}


def corpus_format(path: Path) -> str | None:
    """``wet`` or ``warc`` for a corpus file, else None."""
    name = path.name.lower()
    if name.endswith(WET_FORMATS):
        return "wet"
    if name.endswith(WARC_FORMATS):
        return "warc"
    return None


def our_host(url: str) -> bool:
    # a quick test of the text first: nearly every record of a shard is another site's
    if SITE_DOMAIN not in url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    return host == SITE_DOMAIN or host.endswith("." + SITE_DOMAIN)


def select_response(kind: str, url: str | None) -> str | None:
    """Keep a WARC response of a story or issue page; else the skip reason."""
    if kind != "response":
        return "skipped_type"
    if url is None or not our_host(url):
        return "skipped_host"
    if story_url(url) is None and parse_issue_url(url) is None:
        return "skipped_not_story"
    return None


def select_conversion(kind: str, url: str | None) -> str | None:
    """Keep a WET conversion of a story page (a text keeps no issue's cards' links)."""
    if kind != "conversion":
        return "skipped_type"
    if url is None or not our_host(url):
        return "skipped_host"
    if story_url(url) is None:
        return "skipped_not_story"
    return None


def select_for(filename: str) -> Select:
    """The records to keep of a file: WET conversions, or WARC responses."""
    return select_conversion if corpus_format(Path(filename)) == "wet" else select_response


def is_selection(path: Path) -> bool:
    """A URL-index selection (aggregator.corpus.cdx): CDXJ, or the columnar index's CSV."""
    return path.name.lower().endswith(SELECTIONS)


def warc_date(value: str | None) -> str:
    """``WARC-Date`` as the feeds write dates (UTC, seconds); now when it is missing or bad."""
    if value:
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return crawl_moment(parsed)
    return crawl_moment()


def broken(record: WarcRecord, bad: BadRecord) -> BrokenRecord:
    """A WET record the saved-text checks refuse (binary, bad UTF-8), at its offset."""
    return BrokenRecord(record.offset, bad.reason, bad.detail, record.url)


class CorpusExtractor:
    """Reads corpus files for a ``DumpsSpider`` (its counts, warnings, matcher, stats)."""

    def __init__(self, spider: DumpsSpider) -> None:
        self.spider = spider
        assert spider.crawler.stats is not None
        self.stats = spider.crawler.stats
        self.charset = CharsetRepairMiddleware(self.stats)

    def items(self, path: Path) -> Iterator[Any]:
        """The items of a WARC or WET file, or of an index selection's byte ranges."""
        skipped: Counter[str] = Counter()
        if is_selection(path):
            base = self.spider.settings.get("AGGREGATOR_CORPUS_BASE") or None
            logger.info("Reading the captures of index selection %s", path)
            records: Iterator[tuple[str, WarcRecord | BrokenRecord]] = read_selection(
                path, base, select_for, self.spider.max_record_bytes, skipped
            )
        else:
            kind = corpus_format(path) or "warc"
            logger.info("Reading %s file %s", kind.upper(), path)
            shard = read_warc(path, select_for(path.name), self.spider.max_record_bytes, skipped)
            records = ((str(path), record) for record in shard)
        try:
            for where, record in records:
                if isinstance(record, BrokenRecord):
                    self.refuse(where, record)
                elif record.type == "conversion":
                    yield from self.conversion(where, record)
                else:
                    yield from self.response(where, record)
        except OSError as error:  # the file itself cannot be read
            self.spider.accounting.start_failed()
            logger.error("Cannot read %s: %s", path, error)
        finally:
            self.stats.inc_value("aggregator/dumps/records", skipped["records"])
            self.stats.inc_value("aggregator/dumps/skipped_type", skipped["skipped_type"])
            self.stats.inc_value("aggregator/dumps/skipped_host", skipped["skipped_host"])
            self.stats.inc_value("aggregator/dumps/skipped_not_story", skipped["skipped_not_story"])
            self.charset.spider_closed()

    def refuse(self, path: str, record: BrokenRecord) -> None:
        self.stats.inc_value(MALFORMED_KEYS[record.reason])
        if record.url is not None and (
            story_url(record.url) is not None or parse_issue_url(record.url) is not None
        ):
            self.lose(path, record, record.reason, record.detail)
            return
        self.spider.read["malformed"] += 1
        self.spider.warnings.warn(
            "malformed records",
            "%s offset %d: malformed record skipped (%s) %s%s",
            path,
            record.offset,
            record.reason,
            record.detail,
            f" ({record.url})" if record.url else "",
        )

    def lose(self, path: str, record: WarcRecord | BrokenRecord, key: str, detail: str) -> None:
        assert record.url is not None
        self.spider.read["refused stories"] += 1
        self.spider.accounting.lose_story(
            record.url, Loss(key, f"{key}: {detail}"), f" at {path} offset {record.offset}"
        )

    def conversion(self, path: str, record: WarcRecord) -> Iterator[Any]:
        parsed = story_url(record.url)
        assert parsed is not None  # select_conversion kept only stories
        decoded = decode(record.offset, record.block, record.url)
        if isinstance(decoded, BadRecord):
            self.refuse(path, broken(record, decoded))
            return
        text, repaired = decoded
        checked = check_text(DumpRecord(record.offset, record.url, text, repaired))
        if isinstance(checked, BadRecord):
            self.refuse(path, broken(record, checked))
            return
        self.spider.read["stories"] += 1
        self.stats.inc_value("aggregator/dumps/stories/wet")
        yield from self.spider.text_items(checked, parsed, warc_date(record.date), "wet")

    def response(self, path: str, record: WarcRecord) -> Iterator[Any]:
        try:
            response = to_response(record.url, parse_block(record.block))
        except HttpBlockError as error:
            self.refuse(path, BrokenRecord(record.offset, "bad_http", str(error), record.url))
            return
        if response.status != 200:
            challenge = ChallengePage(response).reason()
            if challenge is not None:
                self.lose(path, record, "challenge_page", f"{challenge}, HTTP {response.status}")
            else:
                self.stats.inc_value("aggregator/dumps/skipped_status")
            return
        if not isinstance(response, TextResponse):
            kind = (response.headers.get("Content-Type") or b"").decode("latin-1") or "no type"
            self.lose(path, record, "not_text", f"not a text page ({kind})")
            return
        assert response.request is not None  # to_response gives every response one
        try:
            decoded = self.charset.process_response(response.request, response)
        except PageLost as lost:
            self.lose(path, record, lost.loss.key, lost.loss.detail)
            return
        assert isinstance(decoded, TextResponse)
        page_type = markup_page_type(decoded)
        if page_type is None:
            challenge = ChallengePage(decoded).reason()
            if challenge is not None:
                self.lose(path, record, "challenge_page", challenge)
                return
            page_type = url_page_type(decoded)
        crawled_at = warc_date(record.date)
        if page_type is PageType.STORY:
            page = StoryPage(decoded)
            article = page.article(crawled_at)
            if not article.body.strip():
                self.lose(path, record, "unreadable_markup", "no article text found")
                return
            article.source = "warc"
            self.spider.read["stories"] += 1
            self.stats.inc_value("aggregator/dumps/stories/warc")
            yield article
            yield from stamped(page.teasers(skip=self.spider.repeat_teaser), crawled_at)
        elif page_type is PageType.ISSUE:
            self.spider.read["issues"] += 1
            self.stats.inc_value("aggregator/dumps/issues/warc")
            yield from stamped(IssuePage(decoded).teasers(), crawled_at)
        elif story_url(record.url) is not None:
            self.lose(path, record, "unreadable_markup", "no page type found")
        else:
            self.stats.inc_value("aggregator/dumps/skipped_not_story")
