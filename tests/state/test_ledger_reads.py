"""The state file's schema version 2 and its migration from version 1, what the ledger
remembers of the pages published runs read, and the retention of run folders: on real
SQLite files and real folders."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from aggregator.state.freshness import ISSUE, MISSING, STORY, Freshness
from aggregator.state.ledger import Ledger
from aggregator.state.retention import prune, run_folders
from aggregator.state.schema import TABLES_V1, VERSION, SchemaError

STORY_URL = "http://127.0.0.1:1/en/stories/news/Pub/a-story.html"


def version_1_file(path: Path) -> None:
    """A state file as the first incremental runs left it: no version, one published run."""
    db = sqlite3.connect(path)
    db.executescript(TABLES_V1)
    db.execute("INSERT INTO runs VALUES ('20260101T000000Z', 'published', '2026-01-01')")
    db.execute("INSERT INTO published VALUES ('article', 'a1', 'h1', '20260101T000000Z')")
    db.commit()
    db.close()


def test_a_version_1_state_file_is_migrated_in_place_and_keeps_what_it_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.sqlite"
    version_1_file(path)
    ledger = Ledger(path)
    try:
        version = ledger.db.execute("PRAGMA user_version").fetchone()[0]
        assert version == VERSION == 2
        run_id, resumed = ledger.open_run()
        assert not resumed and run_id != "20260101T000000Z"
        assert ledger.stage(run_id, "article", {"id": "a1", "title": "x"}) == "changed"
        assert ledger.seen(STORY, STORY_URL) is None  # the new tables, empty
    finally:
        ledger.close()
    Ledger(path).close()  # a second open finds version 2: nothing to do


def test_a_file_of_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    version_1_file(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 3")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError, match="schema version 3; this crawler reads version 2"):
        Ledger(path)
    assert path.read_bytes() == before


def test_reads_become_seen_only_when_their_run_is_published(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state.sqlite")
    try:
        run_id, _ = ledger.open_run()
        ledger.record_read(run_id, STORY, STORY_URL, '"e1"', "Mon, 07 Dec 2026 10:00:00 GMT")
        assert ledger.read_in_run(run_id, STORY, STORY_URL)
        assert ledger.seen(STORY, STORY_URL) is None  # a stopped run skips nothing it read
        ledger.mark_published(run_id)
        seen = ledger.seen(STORY, STORY_URL)
        assert seen is not None and seen[1:] == ('"e1"', "Mon, 07 Dec 2026 10:00:00 GMT")
        assert not ledger.read_in_run(run_id, STORY, STORY_URL)
        assert ledger.count_seen(STORY) == 1 and ledger.count_seen(ISSUE) == 0
    finally:
        ledger.close()


def test_a_story_is_skipped_until_due_then_asked_with_its_validators(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state.sqlite")
    try:
        run_id, _ = ledger.open_run()
        ledger.record_read(run_id, STORY, STORY_URL, '"e1"', None)
        ledger.mark_published(run_id)
        now = datetime.now(UTC)
        fresh = Freshness(ledger, "next", refresh_days=2, now=now)
        assert fresh.decide(STORY, STORY_URL).skip
        assert not fresh.decide(STORY, STORY_URL + "x").known  # never read: fetched
        later = Freshness(ledger, "next", refresh_days=2, now=now + timedelta(days=3))
        due = later.decide(STORY, STORY_URL)
        assert not due.skip and due.known and due.conditional and due.etag == '"e1"'
        never = Freshness(ledger, "next", refresh_days=0, now=now + timedelta(days=3000))
        assert never.decide(STORY, STORY_URL).skip  # 0: never due
        full = Freshness(ledger, "next", refresh_all=True, now=now)
        again = full.decide(STORY, STORY_URL)
        assert not again.skip and not again.conditional and again.known
    finally:
        ledger.close()


def test_retention_keeps_the_newest_and_never_the_folder_latest_names(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    names = [f"2026120{n}T000000Z" for n in range(1, 6)]
    for name in names:
        (runs / name).mkdir(parents=True)
        (runs / name / "articles.jsonl").write_text("")
    (runs / ".20261206T000000Z.partial").mkdir()  # a run still writing: not touched
    (runs / "latest").symlink_to(names[1])  # an older folder, left so by a crash
    assert prune(runs, 0) == []
    assert prune(runs, 2) == [names[0], names[2]]
    assert run_folders(runs) == [names[1], *names[3:]]
    assert (runs / ".20261206T000000Z.partial").is_dir()
    assert (runs / "latest").resolve().name == names[1]


def test_an_issue_is_seen_in_full_once_each_story_is_read_or_missing(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "state.sqlite")
    try:
        earlier, _ = ledger.open_run()
        ledger.record_read(earlier, STORY, "s1", None, None)
        ledger.mark_published(earlier)  # s1: read by a published run
        run_id, _ = ledger.open_run()
        fresh = Freshness(ledger, run_id)
        fresh.list_issue("full", ["s1", "s2", "s3"])
        fresh.list_issue("lossy", ["s1", "s4"])
        fresh.read(STORY, "s2", None, None)
        fresh.read(MISSING, "s3", None, None)  # a 404: settled
        # s4: never read (lost): its issue is fetched again next time
        assert fresh.settle_issues() == 1
        ledger.mark_published(run_id)
        assert ledger.seen(ISSUE, "full") is not None
        assert ledger.seen(ISSUE, "lossy") is None
        assert ledger.seen(STORY, "s3") is None  # a missing story is no story read
        assert ledger.db.execute("SELECT COUNT(*) FROM listed").fetchone()[0] == 0
    finally:
        ledger.close()
