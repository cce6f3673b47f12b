"""What dead runs leave in a runs folder, removed when the next run opens (``StateRun``,
``remove_leftovers``) on a real state file and real folders: ``.<run-id>.partial`` folders and
the ``.latest-<pid>`` links of processes gone; run folders, ``latest``, and a live process's
link stay. And a run announced but refused (its worker taken for dead) is not published."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from aggregator.state.ledger import Ledger
from aggregator.state.run import StateRun, point_latest

PUBLISHED = "20250101T000000Z"


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def test_the_next_run_removes_what_dead_runs_left(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    (runs / PUBLISHED).mkdir(parents=True)
    (runs / PUBLISHED / "articles.jsonl").write_text("{}\n", encoding="utf-8")
    (runs / "latest").symlink_to(PUBLISHED)
    partial = runs / ".20250102T000000Z.partial"
    partial.mkdir()
    (partial / "articles.jsonl").write_text("{}\n", encoding="utf-8")
    dead, live = f".latest-{dead_pid()}", f".latest-{os.getppid()}"
    (runs / dead).symlink_to(PUBLISHED)
    (runs / live).symlink_to(PUBLISHED)
    ledger = Ledger(tmp_path / "state.sqlite")
    try:
        run = StateRun(ledger, runs)
    finally:
        ledger.close()
    assert run.leftovers == [".20250102T000000Z.partial", dead]
    assert sorted(p.name for p in runs.iterdir()) == sorted([PUBLISHED, "latest", live])
    assert os.readlink(runs / "latest") == PUBLISHED


def test_a_refused_announcement_publishes_nothing(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    ledger = Ledger(tmp_path / "state.sqlite")
    try:
        run = StateRun(ledger, runs)
        ledger.stage(run.run_id, "article", {"id": "a1", "title": "A"})
        seen: list[tuple[str, str]] = []

        def refuse(partial: Path, final: Path) -> bool:
            seen.append((partial.name, final.name))
            assert (partial / "articles.jsonl").read_text("utf-8").count("\n") == 1
            return False

        assert run.publish({}, refuse) is None
        assert seen == [(f".{run.run_id}.partial", run.run_id)]
        assert list(runs.iterdir()) == []  # no folder, no partial left
        assert ledger.publishing_run() is None
        assert list(ledger.staged(run.run_id, "article"))  # still staged, for a resume
        assert ledger.open_run() == (run.run_id, True)
    finally:
        ledger.close()


def test_latest_is_not_pointed_back_to_an_older_run(tmp_path: Path) -> None:
    for name in (PUBLISHED, "20250103T000000Z"):
        (tmp_path / name).mkdir()
    point_latest(tmp_path, "20250103T000000Z")
    point_latest(tmp_path, PUBLISHED)  # a settled run older than the newest: latest stays
    assert os.readlink(tmp_path / "latest") == "20250103T000000Z"
