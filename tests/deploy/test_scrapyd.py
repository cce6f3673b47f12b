"""The project under scrapyd, end to end, as deploy/README.md describes it.

The project's egg is built by deploy/scrapyd_deploy.py (scrapyd-deploy on a staged copy) and
deployed (``addversion.json``) to a scrapyd on 127.0.0.1 with its own config in a temporary
folder (``items_dir`` empty: scrapyd#497); ``issues`` is scheduled (``schedule.json``) as an
incremental run over the checkout's samples/ (the egg holds no samples/: the default start
page would point into the egg) and polled (``listjobs.json``) until it is finished. scrapyd
runs from its own venv (tests/servers/scrapyd.py: made once, cached in tests/.scrapyd-venv; the
tests skip when pip cannot reach a registry).
"""

from __future__ import annotations

import configparser
import json
import subprocess
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.servers.scrapyd import Scrapyd, running, scrapyd_python
from tests.support.crawl import ROOT, file_url, run_crawl

PROJECT = "aggregator"
START = file_url(ROOT / "samples" / "index.html")
JOB_TIMEOUT = 120  # seconds for the job to finish (it takes a few)
ARTICLES, TEASERS = 45, 69
HEALTHY = f"aggregator: healthy: {ARTICLES} articles, {TEASERS} teasers published"


@dataclass
class Job:
    """What one scheduled ``issues`` job left behind."""

    egg: Path
    added: dict[str, Any]
    spiders: list[str]
    entry: dict[str, Any]  # its entry under listjobs.json's "finished"
    log: str  # the job's log file (scrapyd's logs_dir)
    scrapyd_log: str  # scrapyd's own output
    server_folder: Path
    output_dir: Path
    state: Path
    timings: dict[str, float]

    def records(self, feed: str) -> list[dict[str, Any]]:
        path = self.output_dir / "runs" / "latest" / f"{feed}.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    @property
    def stats(self) -> dict[str, Any]:
        path = self.output_dir / "runs" / "latest" / "stats.json"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data


def build_egg(python: Path, egg: Path) -> Path:
    """deploy/scrapyd_deploy.py --build-egg, run by the scrapyd venv's Python."""
    done = subprocess.run(
        [str(python), str(ROOT / "deploy" / "scrapyd_deploy.py"), "--build-egg", str(egg)],
        cwd=egg.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return egg


def wait_finished(server: Scrapyd, job: str, timeout: float) -> dict[str, Any]:
    """The job's entry in listjobs.json once it is finished."""
    deadline = time.monotonic() + timeout
    jobs: dict[str, Any] = {}
    while time.monotonic() < deadline:
        jobs = server.get("listjobs.json", project=PROJECT)
        for entry in jobs["finished"]:
            if entry["id"] == job:
                found: dict[str, Any] = entry
                return found
        time.sleep(0.3)
    raise AssertionError(
        f"job {job} not finished after {timeout} s: {jobs}\n--- scrapyd:\n{server.log()}"
    )


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> Job:
    timings: dict[str, float] = {}
    began = time.monotonic()
    python = scrapyd_python()
    timings["venv"] = time.monotonic() - began
    folder = tmp_path_factory.mktemp("scrapyd")
    began = time.monotonic()
    egg = build_egg(python, folder / "aggregator.egg")
    timings["egg"] = time.monotonic() - began
    output_dir, state = folder / "output", folder / "state" / "aggregator.sqlite"
    server_folder = folder / "server"
    server_folder.mkdir()
    began = time.monotonic()
    with running(python, server_folder) as server:
        timings["start"] = time.monotonic() - began
        added = server.post(
            "addversion.json",
            [("project", PROJECT), ("version", str(int(time.time())))],
            {"egg": ("aggregator.egg", egg.read_bytes())},
        )
        assert added.get("status") == "ok", added
        spiders = server.get("listspiders.json", project=PROJECT)
        assert spiders.get("status") == "ok", spiders
        began = time.monotonic()
        scheduled = server.post(
            "schedule.json",
            [
                ("project", PROJECT),
                ("spider", "issues"),
                ("setting", f"AGGREGATOR_STATE={state}"),
                ("setting", f"OUTPUT_DIR={output_dir}"),
                ("start_urls", START),
            ],
        )
        assert scheduled.get("status") == "ok", scheduled
        entry = wait_finished(server, scheduled["jobid"], JOB_TIMEOUT)
        timings["job"] = time.monotonic() - began
        log_file = server_folder / "logs" / PROJECT / "issues" / f"{entry['id']}.log"
        log = log_file.read_text(encoding="utf-8")
    return Job(
        egg=egg,
        added=added,
        spiders=spiders["spiders"],
        entry=entry,
        log=log,
        scrapyd_log=server.log(),
        server_folder=server_folder,
        output_dir=output_dir,
        state=state,
        timings=timings,
    )


def test_scrapy_cfg_deploy_target() -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "scrapy.cfg", encoding="utf-8")
    assert config.get("deploy", "url") == "http://127.0.0.1:6800/"
    assert config.get("deploy", "project") == PROJECT
    assert config.get("settings", "default") == "aggregator.settings"


def test_egg_holds_the_package_its_catalogs_and_the_entry_point(job: Job) -> None:
    with zipfile.ZipFile(job.egg) as egg:
        names = set(egg.namelist())
        entry_points = egg.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points
    assert "settings = aggregator.settings" in entry_points
    catalogs = sorted((ROOT / "aggregator" / "prompts" / "strings").glob("*.toml"))
    assert catalogs, "the checkout has prompt catalogs"
    for path in catalogs:
        assert path.relative_to(ROOT).as_posix() in names
    assert "aggregator/settings.py" in names
    assert not any(name.startswith(("samples/", "tests/")) for name in names)
    # the egg was deployed, and scrapyd found the project's spiders in it
    assert job.added["project"] == PROJECT
    assert job.spiders == ["dumps", "issues"]


def test_the_job_publishes_a_run_folder_and_ends_healthy(job: Job) -> None:
    assert len(job.records("articles")) == ARTICLES
    assert len(job.records("teasers")) == TEASERS
    assert job.stats["aggregator/health/verdict"] == "healthy"
    latest = job.output_dir / "runs" / "latest"
    assert latest.is_symlink()
    assert job.stats["aggregator/state/run_id"] == latest.resolve().name
    assert job.state.is_file()
    lines = [line for line in job.log.splitlines() if line.strip()]
    assert HEALTHY in lines[-1], lines[-3:]
    assert lines[-1].endswith("; 0 stories lost"), lines[-1]
    # exit status 0: scrapyd says "Process finished" (a non-zero one: "Process died")
    ended = [line for line in job.scrapyd_log.splitlines() if f"job={job.entry['id']}" in line]
    assert any("Process finished" in line for line in ended), job.scrapyd_log[-3000:]
    assert not any("Process died" in line for line in ended), job.scrapyd_log[-3000:]


def test_scrapyd_passes_no_feeds_of_its_own(job: Job) -> None:
    # items_dir is empty: scrapyd adds no FEEDS; an incremental run writes no top-level feeds
    assert not (job.server_folder / "items").exists()
    assert job.entry.get("items_url") is None
    started = [line for line in job.scrapyd_log.splitlines() if "Process started" in line]
    assert len(started) == 1, started
    assert "LOG_FILE=" in started[0]
    assert "FEEDS=" not in started[0]
    assert not (job.output_dir / "articles.jsonl").exists()
    assert not (job.output_dir / "teasers.jsonl").exists()


def test_the_egg_cleans_like_the_checkout(job: Job, tmp_path: Path) -> None:
    direct = run_crawl(
        "issues",
        tmp_path / "output",
        "-a",
        f"start_urls={START}",
        "-s",
        f"AGGREGATOR_STATE={tmp_path / 'state.sqlite'}",
    )
    assert direct.returncode == 0, direct.stderr[-3000:]
    latest = tmp_path / "output" / "runs" / "latest"
    want_stats = json.loads((latest / "stats.json").read_text(encoding="utf-8"))

    def removed(stats: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in stats.items() if k.startswith("aggregator/prompts/removed/")}

    assert removed(want_stats), "the checkout's run removed no prompt: nothing compared"
    assert removed(job.stats) == removed(want_stats)
    for feed in ("articles", "teasers"):
        lines = (latest / f"{feed}.jsonl").read_text(encoding="utf-8").splitlines()
        want = {r["id"]: r for r in map(json.loads, lines)}
        got = {r["id"]: r for r in job.records(feed)}
        assert got.keys() == want.keys()
        for key, record in got.items():
            record.pop("crawled_at", None)
            want[key].pop("crawled_at", None)
            assert record == want[key], key
