"""A scheduled crawl costs what changed: one chain of incremental runs over a generated
mirror (``benchmarks.mirror``, 240 story pages, two publications) served on 127.0.0.1 by a
server that records every request and answers conditional ones (``tests.servers.recording``).

1. a first run reads every page;
2. the same run again, nothing new: only the catalog and each publication page (archive
   page 1) are asked for; no run folder is published, ``runs/latest`` stays, the stats file
   says "nothing new";
3. a new issue: its page and its stories, plus the pages that lead to it (the catalog, the
   publication pages, and the archive page after the first, which still lists an issue not
   seen because page 1 lists the new one), and nothing else; the new folder holds exactly
   its items;
4. two stories edited, everything due (``AGGREGATOR_STATE_REFRESH_DAYS`` tiny): every story is
   asked conditionally, the server's ``304`` for each unchanged one is honoured, the two
   edited ones are read and published, nothing else;
5. ``AGGREGATOR_STATE_REFRESH=all``: every page read again, none conditionally; with
   ``AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED`` its empty folder is published, and
   ``AGGREGATOR_STATE_KEEP_RUNS=2`` prunes the older folders.

The server's port stays the same along the chain (``issue_url`` holds it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.mirror import Mirror, Plan, plan, write_mirror
from benchmarks.mirror_changes import Copy, add_issue, all_stories, edit_body, write_copy
from tests.servers.recording import RecordingServer, recording
from tests.state.runs import (
    Place,
    Run,
    article_ids,
    crawl,
    kind,
    read_ids,
    story_paths,
    teaser_ids,
)

STORY_PAGES = 240
SEED = 0
NEW_ISSUE_OF = 1  # the publication that gets a new issue (6 issues: 2 archive pages)
EDITED = (5, 100)  # stories whose body is edited in step 4
DUE_NOW = "AGGREGATOR_STATE_REFRESH_DAYS=0.000001"  # a tenth of a second: everything is due


@dataclass
class Site:
    mirror: Mirror
    base: Plan
    grown: Plan  # with the new issue
    new_issue: Copy
    edited: Copy  # the new issue and the edited stories
    edited_specs: list[str]  # their story page paths


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("scheduling")
    mirror = write_mirror(folder / "mirror", STORY_PAGES, SEED)
    grown = plan(STORY_PAGES, SEED)
    add_issue(grown, NEW_ISSUE_OF)
    new_issue = write_copy(mirror.root, grown, folder / "new-issue")
    edited_plan = plan(STORY_PAGES, SEED)
    add_issue(edited_plan, NEW_ISSUE_OF)
    specs = [all_stories(edited_plan)[n] for n in EDITED]
    for spec in specs:
        edit_body(spec)
    edited = write_copy(new_issue.root, edited_plan, folder / "edited")
    return Site(
        mirror,
        plan(STORY_PAGES, SEED),
        grown,
        new_issue,
        edited,
        sorted(story_paths(specs)),
    )


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[RecordingServer]:
    with recording(site.mirror.root) as running:
        yield running


@dataclass
class Chain:
    place: Place
    runs: dict[str, Run]
    folders: dict[str, list[str]]  # after each step
    newest: dict[str, tuple[set[str], set[str]]]  # ids of the newest folder after each step
    latest: dict[str, str | None]  # what runs/latest names after each step


@pytest.fixture(scope="module")
def chain(site: Site, server: RecordingServer, tmp_path_factory: pytest.TempPathFactory) -> Chain:
    """Every step, in order, whatever order the tests run in."""
    place = Place.fresh(tmp_path_factory.mktemp("chain"))
    chain = Chain(place, {}, {}, {}, {})
    steps: list[tuple[str, Path, tuple[str, ...]]] = [
        ("first", site.mirror.root, ()),
        ("nothing_new", site.mirror.root, ()),
        ("new_issue", site.new_issue.root, ()),
        ("edited_due", site.edited.root, (DUE_NOW,)),
        (
            "refresh_all",
            site.edited.root,
            (
                "AGGREGATOR_STATE_REFRESH=all",
                "AGGREGATOR_STATE_PUBLISH_EMPTY_ENABLED=1",
                "AGGREGATOR_STATE_KEEP_RUNS=2",
            ),
        ),
    ]
    for name, root, settings in steps:
        server.root = root
        chain.runs[name] = crawl(place, server, *settings)
        chain.folders[name] = place.folders()
        chain.latest[name] = place.latest()
        if chain.folders[name]:  # read now: a later step may prune it
            chain.newest[name] = read_ids(place.runs / chain.folders[name][-1])
    server.root = site.mirror.root
    return chain


def healthy(run: Run) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.summary.startswith("aggregator: healthy"), run.summary


def all_paths(root: Path) -> set[str]:
    return {f"/{p.relative_to(root).as_posix()}" for p in root.rglob("*.html")}


def test_the_first_run_reads_every_page(chain: Chain, site: Site) -> None:
    run = chain.runs["first"]
    healthy(run)
    assert set(run.paths()) == all_paths(site.mirror.root)
    assert set(run.paths().values()) == {1}  # each page once
    assert run.statuses("story") == {200: STORY_PAGES}
    assert sum(e.conditional for e in run.log) == 0  # the ledger knew nothing
    assert len(chain.folders["first"]) == 1
    articles, teasers = chain.newest["first"]
    assert articles == article_ids(all_stories(site.base))
    assert teasers == teaser_ids(all_stories(site.base))
    assert "0 stories skipped as published, 240 fetched" in run.summary


def test_a_run_with_nothing_new_asks_for_the_catalog_and_publication_pages_only(
    chain: Chain, site: Site
) -> None:
    run = chain.runs["nothing_new"]
    healthy(run)
    publications = {f"/{pub.archive_path(1)}" for pub in site.base.publications}
    assert run.paths() == {path: 1 for path in {"/index.html", *publications}}
    assert len(run.log) == 1 + len(site.base.publications)  # 3 of the first run's 281
    # asked with the validators the first run kept; each 304 read again from the ledger
    assert all(e.conditional and e.status == 304 for e in run.log), run.log
    assert run.stat("aggregator/state/not_modified_pages") == len(run.log)
    assert chain.folders["nothing_new"] == chain.folders["first"]  # no new folder
    assert run.stats["aggregator/state/nothing_new"] is True
    assert ": nothing new" in run.summary
    assert "no new run folder, runs/latest stays" in run.summary
    assert chain.latest["nothing_new"] == chain.latest["first"] == chain.folders["first"][0]
    assert "240 stories skipped as published, 0 fetched" in run.summary
    skipped = {
        key: run.stat(f"aggregator/state/skipped/{key}")
        for key in ("story", "issue", "archive_pages", "not_modified")
    }
    issues = sum(len(v) for v in site.base.issues.values())
    assert skipped == {
        "story": STORY_PAGES,
        "issue": issues,
        "archive_pages": len(site.base.publications),  # each publication's page 2
        "not_modified": 0,
    }
    assert run.stat("aggregator/state/fetched/story") == 0


def test_a_new_issue_costs_its_page_its_stories_and_the_pages_that_lead_to_it(
    chain: Chain, site: Site
) -> None:
    run = chain.runs["new_issue"]
    healthy(run)
    pub = site.grown.publications[NEW_ISSUE_OF]
    issue = site.grown.issues[pub.slug][-1]
    stories = site.grown.stories[issue.path]
    expected = {
        "/index.html",
        *(f"/{p.archive_path(1)}" for p in site.grown.publications),
        f"/{pub.archive_path(2)}",  # still lists an issue page 1 no longer does
        f"/{issue.path}",
        *story_paths(stories),
    }
    assert run.paths() == {path: 1 for path in expected}
    # unchanged catalog and other publication page: 304; what the new issue changed: 200
    unchanged = {"/index.html"} | {
        f"/{p.archive_path(1)}" for p in site.grown.publications if p is not pub
    }
    assert {e.path: e.status for e in run.log} == {
        path: 304 if path in unchanged else 200 for path in expected
    }
    assert {e.path for e in run.log if e.conditional} == {
        "/index.html",
        *(f"/{p.archive_path(1)}" for p in site.grown.publications),
        f"/{pub.archive_path(2)}",
    }
    assert chain.folders["new_issue"][:-1] == chain.folders["first"]
    assert chain.newest["new_issue"] == (article_ids(stories), teaser_ids(stories))
    assert f"{STORY_PAGES:,} stories skipped as published, {len(stories)} fetched" in run.summary


def test_edited_stories_that_are_due_are_asked_conditionally_and_304_is_honoured(
    chain: Chain, site: Site
) -> None:
    assert site.edited.written == {path.lstrip("/") for path in site.edited_specs}
    run = chain.runs["edited_due"]
    healthy(run)
    stories = run.paths("story")
    total = STORY_PAGES + len(
        site.grown.stories[site.grown.issues[site.grown.publications[NEW_ISSUE_OF].slug][-1].path]
    )
    assert len(stories) == total and set(stories.values()) == {1}
    assert run.conditional("story") == total  # every story known: asked with validators
    read = {e.path for e in run.log if kind(e.path) == "story" and e.status == 200}
    assert sorted(read) == site.edited_specs
    assert run.statuses("story") == {304: total - len(EDITED), 200: len(EDITED)}
    assert run.stat("aggregator/state/skipped/not_modified") == total - len(EDITED)
    articles, teasers = chain.newest["edited_due"]
    edited = [all_stories(site.grown)[n] for n in EDITED]
    assert (articles, teasers) == (article_ids(edited), set())
    assert f"({total - len(EDITED)} not modified)" in run.summary


def test_refresh_all_reads_everything_again_and_retention_keeps_two_folders(
    chain: Chain, site: Site
) -> None:
    run = chain.runs["refresh_all"]
    healthy(run)
    assert set(run.paths()) == all_paths(site.edited.root)
    assert set(run.paths().values()) == {1}
    assert sum(e.conditional for e in run.log) == 0
    assert all(e.status == 200 for e in run.log)
    before = chain.folders["edited_due"]
    after = chain.folders["refresh_all"]
    assert len(before) == 3 and len(after) == 2, (before, after)
    assert after[0] == before[-1]  # the newest two
    assert chain.latest["refresh_all"] == after[-1]
    assert chain.newest["refresh_all"] == (set(), set())  # asked: an empty folder published
    assert run.stat("aggregator/state/pruned_runs") == 2
    assert "0 stories skipped as published" in run.summary
