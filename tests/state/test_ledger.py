"""The state file of incremental runs, unit by unit on a real SQLite file: ``Ledger`` (a run's
life: open, stage, publish) and ``StateRun``'s recovery when a process died between two steps
of the commit order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aggregator.items import Article
from aggregator.state import run as run_module
from aggregator.state.ledger import Ledger
from aggregator.state.run import StateRun

NOON = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)


def article(item_id: str, body: str = "Harbour news.", **fields: Any) -> dict[str, Any]:
    return {"id": item_id, "title": "Harbour", "body": body, "crawled_at": "2026-12-01", **fields}


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    ledger = Ledger(tmp_path / "state" / "state.sqlite")
    yield ledger
    ledger.close()


def runs_of(path: Path) -> list[tuple[str, str]]:
    """The ``runs`` table as another process sees it: committed rows only."""
    with sqlite3.connect(path) as db:
        return [(str(i), str(s)) for i, s in db.execute("SELECT id, state FROM runs ORDER BY id")]


def test_a_run_is_opened_once_and_resumed_until_published(ledger: Ledger) -> None:
    assert ledger.path.parent.is_dir()  # the state's folder is made
    run_id, resumed = ledger.open_run(NOON)
    assert (run_id, resumed) == ("20261201T120000Z", False)
    assert ledger.open_run(NOON) == (run_id, True)  # a stop left it open
    ledger.begin_publishing(run_id)
    assert ledger.publishing_run() == run_id
    ledger.mark_published(run_id)
    assert ledger.publishing_run() is None
    # a second run in the same second gets its own id, sorting after the first
    second, resumed = ledger.open_run(NOON)
    assert (second, resumed) == ("20261201T120000Z-2", False)
    assert runs_of(ledger.path) == [(run_id, "published"), (second, "open")]


def test_staging_says_new_seen_changed_unchanged(ledger: Ledger) -> None:
    first, _ = ledger.open_run(NOON)
    assert ledger.stage(first, "article", article("a1")) == "new"
    assert ledger.stage(first, "article", article("a1", body="Another copy.")) == "seen"
    assert ledger.stage(first, "teaser", {"id": "a1", "title": "Harbour"}) == "new"  # by kind
    assert ledger.staged_counts(first) == {"article/new": 1, "teaser/new": 1}
    # the first copy is kept
    assert [json.loads(r)["body"] for r in ledger.staged(first, "article")] == ["Harbour news."]
    ledger.begin_publishing(first)
    ledger.mark_published(first)
    assert list(ledger.staged(first, "article")) == []  # staged rows became the published ones

    second, _ = ledger.open_run(NOON)
    # crawled_at, url, locale and prompt_language are no content
    same = article("a1", crawled_at="2026-12-02", url="file:///m/a1", locale="nb")
    assert ledger.stage(second, "article", same) == "unchanged"
    assert ledger.stage(second, "article", article("a1", body="Corrected.")) == "changed"
    assert ledger.stage(second, "article", article("a0")) == "new"
    assert ledger.staged_counts(second) == {"article/changed": 1, "article/new": 1}
    assert [json.loads(r)["id"] for r in ledger.staged(second, "article")] == ["a0", "a1"]


def test_done_pages_belong_to_their_run_until_it_is_published(ledger: Ledger) -> None:
    run_id, _ = ledger.open_run(NOON)
    ledger.page_done(run_id, "https://x/stories/a/B/C")
    ledger.page_done(run_id, "https://x/stories/a/B/C")  # twice: once
    ledger.page_done(run_id, "https://x/stories/a/B/D")
    assert sorted(ledger.done_pages(run_id)) == [
        "https://x/stories/a/B/C",
        "https://x/stories/a/B/D",
    ]
    ledger.close()

    again = Ledger(ledger.path)  # the next process
    try:
        assert again.open_run(NOON) == (run_id, True)
        assert len(list(again.done_pages(run_id))) == 2
        again.begin_publishing(run_id)
        again.mark_published(run_id)
        assert list(again.done_pages(run_id)) == []
    finally:
        again.close()


def test_mark_published_is_one_transaction(ledger: Ledger) -> None:
    """A failure inside it leaves every table as it was: the run still publishing."""
    run_id, _ = ledger.open_run(NOON)
    ledger.stage(run_id, "article", article("a1"))
    ledger.begin_publishing(run_id)
    # a trigger makes the last statement fail, after the others have run
    ledger.db.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE ON runs WHEN NEW.state = 'published' "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        ledger.mark_published(run_id)
    assert runs_of(ledger.path) == [(run_id, "publishing")]
    assert len(list(ledger.staged(run_id, "article"))) == 1
    with sqlite3.connect(ledger.path) as db:
        assert db.execute("SELECT COUNT(*) FROM published").fetchone() == (0,)


# -- a crash between two steps of the commit order ------------------------------------------


class Crash(Exception):
    """Stands for ``os._exit`` at a crash point: nothing after it runs."""


def crash_at(monkeypatch: pytest.MonkeyPatch, wanted: str) -> None:
    def crash_point(name: str, count: int | None = None) -> None:
        point = name if count is None else f"{name}:{count}"
        if point == wanted:
            raise Crash(point)

    monkeypatch.setattr(run_module, "crash_point", crash_point)


def a_run(state: Path, runs: Path) -> StateRun:
    return StateRun(Ledger(state), runs)


def story(item_id: str, body: str) -> Article:
    return Article(
        id=item_id, url=f"file:///m/{item_id}", body=body, crawled_at="2026-12-01T12:00:00+00:00"
    )


def staged_run(state: Path, runs: Path) -> StateRun:
    run = a_run(state, runs)
    run.stage(story("a1", "Harbour news."))
    run.stage(story("a2", "Ferry news."))
    return run


def ids(folder: Path) -> list[str]:
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["id"] for line in lines]


@pytest.mark.parametrize("point", ["folder_written"])
def test_a_crash_before_the_folder_is_in_place_resumes_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    state, runs = tmp_path / "state.sqlite", tmp_path / "runs"
    run = staged_run(state, runs)
    crash_at(monkeypatch, point)
    with pytest.raises(Crash):
        run.publish({"finish_reason": "finished"})
    assert (runs / f".{run.run_id}.partial").is_dir() and not (runs / run.run_id).exists()
    # the process is gone: the next one opens the same file
    monkeypatch.undo()
    after = a_run(state, runs)
    try:
        assert (after.run_id, after.resumed) == (run.run_id, True)
        assert not (runs / f".{run.run_id}.partial").exists()  # the half-written folder
        assert after.ledger.staged_counts(after.run_id) == {"article/new": 2}
        folder = after.publish({"finish_reason": "finished"})
        assert folder is not None
        assert ids(folder) == ["a1", "a2"]  # every item once
        assert (runs / "latest").resolve() == folder.resolve()
    finally:
        after.ledger.close()
        run.ledger.close()


@pytest.mark.parametrize("point", ["folder_renamed", "latest_updated", "published"])
def test_a_crash_after_the_folder_is_in_place_finishes_the_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    state, runs = tmp_path / "state.sqlite", tmp_path / "runs"
    run = staged_run(state, runs)
    crash_at(monkeypatch, point)
    with pytest.raises(Crash):
        run.publish({"finish_reason": "finished"})
    assert ids(runs / run.run_id) == ["a1", "a2"]
    monkeypatch.undo()
    after = a_run(state, runs)
    try:
        assert after.run_id != run.run_id and not after.resumed  # a new run
        assert (runs / "latest").resolve() == (runs / run.run_id).resolve()
        assert runs_of(state)[0] == (run.run_id, "published")
        # what the crashed run published counts as published: nothing new the second time
        after.stage(story("a1", "Harbour news."))
        assert after.counts == {"unchanged": 1}
    finally:
        after.ledger.close()
        run.ledger.close()


def test_a_crash_while_staging_resumes_with_what_was_staged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, runs = tmp_path / "state.sqlite", tmp_path / "runs"
    run = a_run(state, runs)
    crash_at(monkeypatch, "staged:2")
    run.stage(story("a1", "Harbour news."))
    with pytest.raises(Crash):
        run.stage(story("a2", "Ferry news."))
    monkeypatch.undo()
    after = a_run(state, runs)
    try:
        assert (after.run_id, after.resumed) == (run.run_id, True)
        # each staged item was its own transaction: both survived the crash
        assert after.ledger.staged_counts(after.run_id) == {"article/new": 2}
        assert not runs.exists()  # nothing published
    finally:
        after.ledger.close()
        run.ledger.close()
