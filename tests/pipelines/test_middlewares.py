"""Repeat teasers are dropped at the spider's output, counted, and articles pass untouched;
story pages skip the repeats the middleware recognises by their links."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import HtmlResponse
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article, Teaser
from aggregator.pages import StoryPage
from aggregator.pages.cards import RepeatCheck
from aggregator.spidermiddlewares.repeats import BATCH, RepeatTeasersMiddleware
from aggregator.utils.signals import repeat_check_ready
from tests.support.golden import response_for
from tests.support.paths import SAMPLES


def test_repeat_teasers_dropped_and_counted(crawler: Crawler, stats: StatsCollector) -> None:
    middleware = RepeatTeasersMiddleware.from_crawler(crawler)
    card = Teaser(id="t1", title="NIGHT SHIFT", source_url="https://x/issue", position=1)
    same_card_elsewhere = Teaser(
        id="t1", title="NIGHT SHIFT", source_url="https://x/story", position=1
    )
    other = Teaser(id="t2", title="HARBOUR LIGHTS", source_url="https://x/story", position=1)
    article = Article(
        id="t1", url="https://x/story", body="Text.", crawled_at="t"
    )  # ids are per type
    kept = [
        middleware.get_processed_item(item, None)
        for item in (card, same_card_elsewhere, other, article, article)
    ]
    assert kept == [card, None, other, article, article]
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert stats.get_value("aggregator/dedupe/teaser_repeats") == 1


def test_repeats_reach_the_stats_in_batches_and_all_at_close(
    crawler: Crawler, stats: StatsCollector
) -> None:
    middleware = RepeatTeasersMiddleware.from_crawler(crawler)
    card = Teaser(id="t1", title="NIGHT SHIFT", source_url="https://x/issue", position=1)
    for _ in range(BATCH + 3):  # the first passes, the others are repeats
        middleware.get_processed_item(card, None)
    assert stats.get_value("aggregator/dedupe/teaser_repeats") == BATCH
    crawler.signals.send_catch_log(signals.spider_closed, spider=None, reason="finished")
    assert stats.get_value("aggregator/dedupe/teaser_repeats") == BATCH + 2


def _story_pages() -> list[HtmlResponse]:
    """The story pages of samples/ in every layout, generic included."""
    responses = [
        response_for(path, path.relative_to(SAMPLES).as_posix())
        for path in sorted(SAMPLES.glob("**/stories/**/*.html"))
    ]
    return [r for r in responses if len(StoryPage(r).teasers()) >= 3]


def test_repeat_cards_are_skipped_by_link_before_being_read(
    crawler: Crawler, stats: StatsCollector
) -> None:
    """The middleware sends its check (repeat_check_ready) and the spider hands it to the
    page: a card whose teaser passed already is not built, the others keep their positions,
    and the repeats are counted as if the middleware had dropped them."""
    received: list[RepeatCheck] = []

    def ready(check: RepeatCheck) -> None:
        received.append(check)

    crawler.signals.connect(ready, signal=repeat_check_ready)
    sender = RepeatTeasersMiddleware.from_crawler(crawler)
    sender.spider_opened(SimpleNamespace())  # type: ignore[arg-type]
    assert received == [sender.is_repeat]
    layouts = set()
    for response in _story_pages():
        middleware = RepeatTeasersMiddleware.from_crawler(crawler)  # nothing seen yet
        page = StoryPage(response)
        layouts.add(page.layout.name if page.layout else "generic")
        every = page.teasers()
        first, *rest = every
        assert middleware.get_processed_item(first, None) is first  # now seen
        before = stats.get_value("aggregator/dedupe/teaser_repeats", 0)
        kept = page.teasers(skip=middleware.is_repeat)
        assert kept == rest  # the same teasers, positions included
        middleware.flush()
        assert stats.get_value("aggregator/dedupe/teaser_repeats") == before + 1
        for teaser in rest:
            middleware.get_processed_item(teaser, None)
        assert page.teasers(skip=middleware.is_repeat) == []
    assert {"classic", "reader", "generic"} <= layouts
