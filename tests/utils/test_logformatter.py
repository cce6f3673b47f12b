"""``QuietItemLogFormatter``: Scrapy's per-item records are not built when ``LOG_LEVEL`` would
hide them (Scrapy skips a record whose formatter method returns ``None``); records the level
shows are Scrapy's own, unchanged."""

from __future__ import annotations

import logging

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.logformatter import LogFormatter
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.test import get_crawler

from aggregator.items import Teaser
from aggregator.utils.logformatter import QuietItemLogFormatter, log_level
from tests.support.crawlers import project_settings

PAGE = "https://www.magzter.com/stories/food/Brunch/A"


class Spider_(Spider):
    name = "quiet"


def formatter_and_spider(level: str) -> tuple[QuietItemLogFormatter, Spider]:
    """The project's ``LOG_FORMATTER`` as Scrapy builds it, for a crawl at ``level``."""
    formatter_path = project_settings()["LOG_FORMATTER"]  # as aggregator/settings.py names it
    crawler = get_crawler(
        Spider_, settings_dict={"LOG_FORMATTER": formatter_path, "LOG_LEVEL": level}
    )
    formatter = build_from_crawler(load_object(crawler.settings["LOG_FORMATTER"]), crawler)
    assert isinstance(formatter, QuietItemLogFormatter)
    return formatter, Spider_.from_crawler(crawler)


def teaser() -> Teaser:
    return Teaser(id="t1", title="Harbour", source_url=PAGE, position=1)


def response() -> HtmlResponse:
    return HtmlResponse(PAGE, body=b"<html></html>")


def test_log_levels_are_read_in_every_form() -> None:
    assert [log_level(v) for v in ("INFO", "info", " warning ", 20, "20")] == [20, 20, 30, 20, 20]
    assert log_level("LOUD") == logging.DEBUG  # unknown: hide nothing


@pytest.mark.parametrize("level", ["INFO", "WARNING"])
def test_above_debug_no_record_is_built_for_a_scraped_item_or_a_quiet_drop(level: str) -> None:
    formatter, spider = formatter_and_spider(level)
    assert formatter.level == logging.getLevelName(level)
    assert formatter.scraped(teaser(), response(), spider) is None
    repeat = DropItem("repeat of article a1", log_level="DEBUG")  # dedupe's drops
    assert formatter.dropped(teaser(), repeat, response(), spider) is None


def test_a_drop_the_level_shows_is_scrapys_record() -> None:
    formatter, spider = formatter_and_spider("WARNING")
    invalid = DropItem("teaser from x dropped: teaser_missing_title")  # validate's drops
    shown = formatter.dropped(teaser(), invalid, response(), spider)
    expected = LogFormatter().dropped(teaser(), invalid, response(), spider)
    assert shown == expected and shown is not None
    assert shown["level"] == logging.WARNING  # DEFAULT_DROPITEM_LOG_LEVEL
    # item errors are not the formatter's to hide
    error = formatter.item_error(teaser(), ValueError("boom"), response(), spider)
    assert error["level"] == logging.ERROR


def test_at_debug_every_record_is_built() -> None:
    formatter, spider = formatter_and_spider("DEBUG")
    scraped = formatter.scraped(teaser(), response(), spider)
    assert scraped is not None and scraped["level"] == logging.DEBUG
    args = scraped["args"]
    assert isinstance(args, dict) and args["item"] == teaser() and args["src"].url == PAGE
    dropped = formatter.dropped(teaser(), DropItem("repeat", log_level="DEBUG"), None, spider)
    assert dropped is not None and dropped["level"] == logging.DEBUG
