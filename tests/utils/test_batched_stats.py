"""``BatchedCounts``: counts reach Scrapy's stats every ``every`` events and at ``flush()``,
never lost, never twice, in the order they were first counted."""

from __future__ import annotations

from scrapy.statscollectors import StatsCollector

from aggregator.utils.batched_stats import BatchedCounts
from tests.support.crawlers import open_crawler


def stats() -> StatsCollector:
    crawler = open_crawler()
    assert crawler.stats is not None
    return crawler.stats


def ours(collector: StatsCollector) -> dict[str, object]:
    return {k: v for k, v in collector.get_stats().items() if k.startswith("aggregator/")}


def test_counts_wait_for_the_batch_then_arrive_whole() -> None:
    collector = stats()
    counts = BatchedCounts(collector, "aggregator/dumps/", every=3)
    counts.inc("records")
    counts.inc("malformed/binary")
    assert ours(collector) == {}  # two events: still pending
    counts.inc("records")  # the third: the batch goes in
    assert ours(collector) == {
        "aggregator/dumps/records": 2,
        "aggregator/dumps/malformed/binary": 1,
    }
    assert counts.pending == {} and counts.events == 0
    counts.inc("records", 5)  # one event of five
    assert ours(collector)["aggregator/dumps/records"] == 2
    counts.flush()
    assert ours(collector) == {
        "aggregator/dumps/records": 7,
        "aggregator/dumps/malformed/binary": 1,
    }
    counts.flush()  # nothing pending: nothing added twice
    assert ours(collector)["aggregator/dumps/records"] == 7


def test_keys_keep_the_order_they_were_first_counted() -> None:
    collector = stats()
    counts = BatchedCounts(collector, "aggregator/dumps/", every=100)
    for key in ("title/own_card", "records", "title/own_card", "header/classic"):
        counts.inc(key)
    counts.flush()
    assert list(ours(collector)) == [
        "aggregator/dumps/title/own_card",
        "aggregator/dumps/records",
        "aggregator/dumps/header/classic",
    ]


def test_a_whole_key_as_prefix_counts_under_itself() -> None:
    """``RepeatTeasersMiddleware``'s use: one key, no suffix."""
    collector = stats()
    repeats = BatchedCounts(collector, "aggregator/dedupe/teaser_repeats", every=200)
    for _ in range(450):
        repeats.inc()
    assert ours(collector) == {"aggregator/dedupe/teaser_repeats": 400}
    repeats.flush()
    assert ours(collector) == {"aggregator/dedupe/teaser_repeats": 450}
