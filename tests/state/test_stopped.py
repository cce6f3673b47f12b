"""A run that skips, stopped dead (``os._exit`` at a counted staged item, as ``kill -9``
would: no cleanup), then the same command: nothing lost, nothing published twice, and what
the stopped run read counts (the next run asks for nothing it read).

Over a generated mirror (240 story pages) and a copy with one new issue, served on 127.0.0.1
by the recording server (``tests.servers.recording``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.mirror import plan, write_mirror
from benchmarks.mirror_changes import add_issue, write_copy
from tests.servers.recording import recording
from tests.state.runs import (
    Place,
    article_ids,
    crawl,
    read_ids,
    story_paths,
    teaser_ids,
)

STORY_PAGES = 240
NEW_ISSUE_OF = 0
CRASH_STATUS = 70
STOP_AT = "staged:12"  # of the 16 items of the new issue: its 8 teasers, then articles


def test_a_run_that_skips_stopped_dead_then_rerun_loses_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    mirror = write_mirror(tmp_path / "mirror", STORY_PAGES, 0)
    grown = plan(STORY_PAGES, 0)
    issue = add_issue(grown, NEW_ISSUE_OF)
    stories = grown.stories[issue.path]
    copy = write_copy(mirror.root, grown, tmp_path / "grown")
    place = Place.fresh(tmp_path / "place")
    with recording(mirror.root) as server:
        first = crawl(place, server)
        assert first.returncode == 0, first.stderr[-3000:]
        before = place.folders()
        server.root = copy.root
        stopped = crawl(place, server, env={"AGGREGATOR_CRASH_AT": STOP_AT})
        assert stopped.returncode == CRASH_STATUS, stopped.stderr[-3000:]
        assert place.folders() == before  # a stopped run publishes nothing
        assert stopped.paths("issue") == {f"/{issue.path}": 1}  # it skipped the others
        rerun = crawl(place, server)
        after = crawl(place, server)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert rerun.summary.startswith("aggregator: healthy"), rerun.summary
    assert "; 0 stories lost" in rerun.summary
    new = [name for name in place.folders() if name not in before]
    assert len(new) == 1
    assert read_ids(place.runs / new[0]) == (article_ids(stories), teaser_ids(stories))
    # every story of the new issue read once or taken from the stopped run, none twice
    resumed = rerun.stat("aggregator/state/resumed_pages")
    fetched = rerun.stat("aggregator/state/fetched/story")
    assert resumed > 0 and resumed + fetched == len(stories), (resumed, fetched)
    both = Counter(stopped.paths("story")) + Counter(rerun.paths("story"))
    assert set(both) == story_paths(stories)
    # the rerun published the stopped run's reads with its own: the next run asks for none
    assert after.returncode == 0, after.stderr[-3000:]
    assert after.paths("story") == {} and after.paths("issue") == {}
    assert place.folders() == [*before, *new]
