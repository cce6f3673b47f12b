"""End to end: ``scrapy corpus run`` over several shards: one task a shard, the merged feeds
deduplicated by id (the newest capture wins), the same output from one worker or two, and
exactly once after a worker or the whole run is killed with SIGKILL and run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.shards import SITE, Page, fixture_texts, sample_pages, write_warc, write_wet
from tests.support.crawl import ROOT, scrapy_command
from tests.support.paths import SAMPLES, SHAPES
from tests.support.records import manifest

LATER = "2026-11-27T08:30:00Z"
CHANGED = " (corrected)"  # what the later capture adds to a re-captured story's first paragraph


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three shards: samples/ captured once, some of its stories captured again a week
    later with a corrected headline, and the saved-text fixtures as a WET."""
    folder = tmp_path_factory.mktemp("corpus")
    pages = sample_pages()
    write_warc(folder / "CC-1.warc.gz", pages, noise=30)
    again: list[Page] = []
    for story in manifest()["stories"]:
        html = (SAMPLES / story["path"]).read_text("utf-8")
        first = story["paragraphs"][0]
        if story["locale"] is None and first in html and len(again) < 5:
            body = html.replace(first, first + CHANGED, 1).encode("utf-8")
            again.append(Page(SITE + story["path"].removesuffix(".html"), body))
    write_warc(folder / "CC-2.warc.gz", again, noise=30, date=LATER)
    write_wet(folder / "CC-3.warc.wet.gz", fixture_texts(SHAPES), noise=10)
    return folder


def corpus_run(output: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        scrapy_command("corpus", "run", *arguments, "-s", f"OUTPUT_DIR={output}"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the whole run can be killed
    )


def finish(run: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = run.communicate(timeout=600)
    return run.returncode, stdout, stderr


def merged(output: Path) -> tuple[bytes, bytes]:
    return (output / "articles.jsonl").read_bytes(), (output / "teasers.jsonl").read_bytes()


def records(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.splitlines()]


@pytest.fixture(scope="module")
def clean_run(shards: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("clean")
    code, stdout, stderr = finish(corpus_run(output, str(shards), "--workers", "2"))
    assert code == 0, stderr[-3000:] + stdout
    return output


def test_merged_feeds_deduplicated_by_id_newest_capture_wins(clean_run: Path) -> None:
    articles, teasers = (records(feed) for feed in merged(clean_run))
    assert len(articles) == len({a["id"] for a in articles})
    assert len(teasers) == len({t["id"] for t in teasers})
    corrected = [a for a in articles if CHANGED in a["body"]]
    assert len(corrected) == 5
    assert {a["crawled_at"] for a in corrected} == {"2026-11-27T08:30:00+00:00"}
    tasks = sorted(p.name for p in (clean_run / "tasks").iterdir())
    assert len(tasks) == 3 and not [t for t in tasks if t.startswith(".")]


def test_stats_per_task_and_in_total(clean_run: Path) -> None:
    stats = json.loads((clean_run / "stats.json").read_text("utf-8"))
    tasks = stats["tasks"].values()
    assert len(tasks) == 3
    for name in ("records", "skipped", "refused", "articles", "teasers"):
        assert stats["total"][name] == sum(t["counts"][name] for t in tasks), name
    assert stats["total"]["skipped"] >= 70  # the other sites' pages and the request records
    assert stats["merged"]["articles"] == len(records(merged(clean_run)[0]))
    assert stats["merged"]["article_repeats"] == 5
    assert stats["failed"] == {}


def test_one_worker_gives_the_same_merged_feeds(
    shards: Path, clean_run: Path, tmp_path: Path
) -> None:
    code, _, stderr = finish(corpus_run(tmp_path, str(shards / "*.gz"), "--workers", "1"))
    assert code == 0, stderr[-3000:]
    assert merged(tmp_path) == merged(clean_run)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def wait_for(condition: Any, what: str) -> Any:
    for _ in range(1200):
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"never saw {what}")


def test_a_worker_killed_then_a_rerun(shards: Path, clean_run: Path, tmp_path: Path) -> None:
    run = corpus_run(tmp_path, str(shards), "--workers", "1", "--retries", "0")
    worker = wait_for(lambda: children(run.pid), "a task's worker")[0]
    os.kill(worker, signal.SIGKILL)
    code, stdout, _ = finish(run)
    assert code == 1
    assert "killed by signal 9" in stdout and "merged feeds not written" in stdout
    assert not (tmp_path / "articles.jsonl").exists()
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    assert len(stats["failed"]) == 1
    # the rerun runs only what did not complete, and the merged feeds are the clean run's
    code, stdout, stderr = finish(corpus_run(tmp_path, str(shards), "--workers", "2"))
    assert code == 0, stderr[-3000:]
    stats = json.loads((tmp_path / "stats.json").read_text("utf-8"))
    assert stats["ran"] + stats["done_before"] == 3
    assert stats["ran"] == 3 - stats["done_before"] >= 1
    assert merged(tmp_path) == merged(clean_run)


def test_a_killed_worker_is_tried_again(shards: Path, clean_run: Path, tmp_path: Path) -> None:
    run = corpus_run(tmp_path, str(shards), "--workers", "2")  # --retries 1, the default
    worker = wait_for(lambda: children(run.pid), "a task's worker")[0]
    os.kill(worker, signal.SIGKILL)
    code, stdout, stderr = finish(run)
    assert code == 0, stderr[-3000:]
    assert "(try 2; before: killed by signal 9)" in stdout
    assert merged(tmp_path) == merged(clean_run)


def completed(tasks: Path) -> list[Path]:
    """The tasks folders a rerun counts as done: ``<id>/done.json``. A ``.<id>.partial-<pid>``
    folder holds its ``done.json`` for a moment before its rename (pathlib's ``*`` matches a
    leading dot), and a kill in that moment leaves it not done."""
    return [path for path in tasks.glob("*/done.json") if not path.parent.name.startswith(".")]


def test_the_whole_run_killed_then_a_rerun(shards: Path, clean_run: Path, tmp_path: Path) -> None:
    run = corpus_run(tmp_path, str(shards), "--workers", "1")
    tasks = tmp_path / "tasks"
    wait_for(lambda: tasks.is_dir() and bool(completed(tasks)), "a completed task")
    os.killpg(run.pid, signal.SIGKILL)  # the runner and its workers at once
    finish(run)
    done_before = len(completed(tasks))
    code, stdout, stderr = finish(corpus_run(tmp_path, str(shards), "--workers", "2"))
    assert code == 0, stderr[-3000:]
    assert f"({done_before} completed before)" in stdout
    assert merged(tmp_path) == merged(clean_run)
    assert not [p for p in tasks.iterdir() if p.name.startswith(".")]  # no partial left


def test_a_local_ray_cluster_gives_the_same_merged_feeds(
    shards: Path, clean_run: Path, tmp_path: Path
) -> None:
    pytest.importorskip("ray", reason="Ray is not installed (the optional extra aggregator[ray])")
    code, _, stderr = finish(corpus_run(tmp_path, str(shards), "--engine", "ray", "--workers", "2"))
    assert code == 0, stderr[-3000:]
    assert merged(tmp_path) == merged(clean_run)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("/no/such/shard.warc.gz",), "bad input /no/such/shard.warc.gz: no such file"),
        (("--workers", "0", "x.warc.gz"), "bad argument --workers=0"),
        (("--engine", "slurm", "x.warc.gz"), "--engine slurm is not available"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    code, _, stderr = finish(corpus_run(tmp_path, *arguments))
    assert code == 2
    assert message in stderr and len(stderr.strip().splitlines()) == 1
