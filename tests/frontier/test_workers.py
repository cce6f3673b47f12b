"""Many ``scrapy crawl issues`` processes, one crawl, on a real Valkey server: they split the
mirror between them and publish together what one process publishes alone, none twice; one
killed mid-crawl leaves its pages to the others; one started late joins; all end and exit 0."""

from __future__ import annotations

import re
import signal
from collections import Counter

import pytest

from tests.frontier.conftest import BROKEN, STORY_PAGES, Single, Site, frontier_of
from tests.frontier.workers import WHERE_FOUND, Crawl, Worker, by_id, ids_twice
from tests.servers.slow import SlowServer

# a worker reads two pages at a time: the crawl lasts a few seconds, spread over the workers
SLOW = ("CONCURRENT_REQUESTS=2",)


def assert_same_as_single(workers: list[Worker], single: Single) -> None:
    """The union of the workers' feeds is the single crawl's, with no id in two feeds."""
    for feed in ("articles", "teasers"):
        assert ids_twice(workers, feed) == [], f"{feed} published twice"
    articles = [r for w in workers for r in w.records("articles")]
    teasers = [r for w in workers for r in w.records("teasers")]
    assert len(single.articles) == STORY_PAGES - BROKEN
    assert by_id(articles) == by_id(single.articles)
    got, want = by_id(teasers, WHERE_FOUND), by_id(single.teasers, WHERE_FOUND)
    assert got.keys() == want.keys()
    differing = {
        (key, name, str(value), str(want[key].get(name)))
        for key, record in got.items()
        for name, value in record.items()
        if value != want[key].get(name)
    }
    assert not differing, sorted(differing)[:6]


def assert_every_story_once(workers: list[Worker], site: Site, web: SlowServer) -> None:
    """Every story page ends as an article or a named loss, once, over all the workers."""
    outcomes = Counter(r["url"] for w in workers for r in w.records("articles"))
    outcomes.update(url for w in workers for url in w.lost_stories)
    assert outcomes == Counter(web.url_for(path) for path in site.story_paths)
    assert sum(len(w.lost_stories) for w in workers) == BROKEN


def assert_over(crawl: Crawl) -> None:
    status = frontier_of(crawl).status()
    assert (status.queued, status.leased, status.workers) == (0, 0, {})


@pytest.mark.parametrize("count", [2, 3])
def test_workers_split_the_crawl(
    crawl: Crawl, count: int, single: Single, site: Site, web: SlowServer
) -> None:
    for _ in range(count):
        crawl.start(*SLOW)
    assert crawl.wait() == [0] * count, "\n\n".join(w.tail() for w in crawl.workers)
    assert_same_as_single(crawl.workers, single)
    assert_every_story_once(crawl.workers, site, web)
    # the work was shared: every worker leased pages, at least two read stories
    assert all(w.stats.get("aggregator/frontier/leased", 0) > 0 for w in crawl.workers)
    assert sum(1 for w in crawl.workers if w.records("articles")) >= 2
    # every page was queued once, by one of them (the start URL by the first): as many as
    # the single process scheduled
    pushed = sum(w.stats.get("aggregator/frontier/pushed", 0) for w in crawl.workers)
    assert pushed == single.scheduled
    assert_over(crawl)
    counts = frontier_of(crawl).status().counts
    assert counts["articles"] == STORY_PAGES - BROKEN
    assert counts["stories_lost"] == BROKEN


def test_a_killed_worker_leaves_its_pages_to_the_others(
    crawl: Crawl, single: Single, site: Site, web: SlowServer
) -> None:
    victim = crawl.start(*SLOW)
    others = [crawl.start(*SLOW) for _ in range(2)]
    before = web.story_pages
    assert web.wait_for_story_pages(before + STORY_PAGES // 3, timeout=120)
    assert victim.process.poll() is None, "the crawl ended before the kill"
    victim.kill()  # SIGKILL: no close, no publishing, its leases left to expire
    assert [w.wait() for w in others] == [0, 0], "\n\n".join(w.tail() for w in others)
    assert victim.records("articles") == [], "a killed worker published"
    assert_same_as_single(others, single)
    assert_every_story_once(others, site, web)
    assert frontier_of(crawl).status().counts.get("reclaimed", 0) > 0
    assert_over(crawl)


def test_a_late_worker_joins(crawl: Crawl, single: Single, site: Site, web: SlowServer) -> None:
    first = crawl.start(*SLOW)
    before = web.story_pages
    assert web.wait_for_story_pages(before + 20, timeout=120)
    assert first.process.poll() is None, "the crawl ended before the second worker started"
    late = crawl.start(*SLOW)
    assert crawl.wait() == [0, 0], "\n\n".join(w.tail() for w in crawl.workers)
    assert late.stats["aggregator/frontier/leased"] > 0
    assert late.records("articles"), "the late worker read no story"
    assert_same_as_single(crawl.workers, single)
    assert_every_story_once(crawl.workers, site, web)
    assert_over(crawl)


def test_a_worker_stopped_gives_its_leases_back(
    crawl: Crawl, single: Single, site: Site, web: SlowServer
) -> None:
    """Ctrl-C: the worker stops unfinished (exit 1, nothing published) and its leases go
    back at once, without waiting for them to expire; the other worker reads them."""
    stopped = crawl.start(*SLOW)
    other = crawl.start(*SLOW)
    before = web.story_pages
    assert web.wait_for_story_pages(before + STORY_PAGES // 3, timeout=120)
    stopped.process.send_signal(signal.SIGINT)
    assert stopped.wait() == 1
    assert other.wait() == 0, other.tail()
    assert stopped.records("articles") == []
    given_back = r"Frontier: [1-9]\d* leased requests given back \(shutdown\)"
    assert re.search(given_back, stopped.log_text)
    assert_same_as_single([other], single)
    assert_every_story_once([other], site, web)
    assert frontier_of(crawl).status().counts["released"] > 0
    assert_over(crawl)
