"""A worker killed while publishing (its marker recorded, its feeds moved into place or not
yet, its leases not acknowledged): the next worker settles its leases on the marker instead of
reading its pages again, so no id is published twice and every story is read once."""

from __future__ import annotations

import time

import pytest

from aggregator.state.run import CRASH_STATUS
from tests.frontier.conftest import STORY_PAGES, Single, Site, frontier_of
from tests.frontier.test_workers import (
    SLOW,
    assert_every_story_once,
    assert_over,
    assert_same_as_single,
)
from tests.frontier.workers import Crawl
from tests.servers.slow import SlowServer


@pytest.mark.parametrize("point", ["feeds_marked", "feeds_moved"])
def test_a_worker_killed_while_publishing_is_settled_not_read_again(
    crawl: Crawl, point: str, single: Single, site: Site, web: SlowServer
) -> None:
    before = web.story_pages
    victim = crawl.start(*SLOW, env={"AGGREGATOR_CRASH_AT": point})
    other = crawl.start(*SLOW)
    assert victim.wait() == CRASH_STATUS, victim.tail()
    assert other.wait() == 0, other.tail()
    # a worker starts once the victim is dead to the server (its heartbeat expired): without
    # the marker, it would take the victim's leases and read its pages again
    frontier = frontier_of(crawl)
    deadline = time.monotonic() + 60
    while frontier.client.exists(frontier.keys.alive(victim.name)):
        assert time.monotonic() < deadline, "the victim's heartbeat never expired"
        time.sleep(0.1)
    late = crawl.start(*SLOW)
    assert late.wait() == 0, late.tail()
    assert late.stats.get("aggregator/frontier/leased", 0) == 0, "pages read again"
    assert web.story_pages - before == STORY_PAGES, "a story page was read twice"
    # settled by the other worker (still waiting for the end when the victim died) or by the
    # late one: its leases done, its feeds in place (moved there when it died before)
    settled = sum(w.stats.get("aggregator/frontier/settled_done", 0) for w in (other, late))
    assert settled > 0
    assert frontier.status().counts["settled"] == settled
    assert victim.records("articles"), "the victim's feeds are not in place"
    assert_same_as_single([victim, other, late], single)
    assert_every_story_once([victim, other, late], site, web)
    assert_over(crawl)
