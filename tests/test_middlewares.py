"""Repeat teasers are dropped at the spider's output, counted, and articles pass untouched."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article, Teaser
from aggregator.middlewares import RepeatTeasersMiddleware


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
    assert stats.get_value("aggregator/dedupe/teaser_repeats") == 1
