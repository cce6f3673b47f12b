"""Scheduled runs: what an incremental run costs when little or nothing changed.

For each mirror size (story pages; ``benchmarks.mirror``), three ``scrapy crawl issues`` runs
on one state file, over a loopback server (``benchmarks.server``) whose folder is a symlink
swapped between runs (the URLs stay the same):

- ``first``: a fresh state file, the whole mirror read;
- ``no_change``: the same command again;
- ``new_issue``: over a copy with one new issue of eight stories
  (``benchmarks.mirror_changes``).

Each gives ``requests`` (Scrapy's ``downloader/request_count``) and ``cpu_s`` (user + system
seconds of the crawl process). Derived: ``no_change_share`` (no-change requests over the
first run's; the target is at most 2% at the largest size) and ``change_requests`` (the
new-issue run's requests over the no-change run's: what the change itself cost, which must
not grow with the archive). A no-change run asks for the catalog and each publication's
first archive page, so its own requests grow with the number of publications, not with
their archives.

Results go into results.json under ``incremental.<size>.*``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.measure import log, now
from benchmarks.mirror import plan, write_mirror
from benchmarks.mirror_changes import add_issue, write_copy
from benchmarks.process import ROOT
from benchmarks.server import serve

SIZES = (1_000, 10_000)
QUICK_SIZES = (240, 1_000)
NEW_ISSUE_OF = 0
NO_CHANGE_SHARE_MAX = 0.02
CRAWL_TIMEOUT = 3_600.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _crawl(url: str, folder: Path) -> dict[str, Any]:
    """One incremental run: its requests and CPU seconds."""
    stats_file = folder / "stats.json"
    stats_file.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m", "scrapy", "crawl", "issues",
        "-a", f"start_urls={url}/index.html",
        "-s", f"OUTPUT_DIR={folder / 'out'}",
        "-s", f"AGGREGATOR_STATE={folder / 'state.sqlite'}",
        "-s", f"AGGREGATOR_STATS_FILE={stats_file}",
        "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip
    before = _children_cpu()
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )
    cpu = _children_cpu() - before
    if done.returncode != 0:
        raise RuntimeError(f"incremental run failed ({done.returncode}): {done.stderr[-2000:]}")
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return {
        "requests": int(stats.get("downloader/request_count", 0)),
        "cpu_s": round(cpu, 2),
        "summary": stats.get("aggregator/health/summary"),
    }


def _swap(link: Path, target: Path) -> None:
    temporary = link.with_name(f".{link.name}-next")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


def measure_size(story_pages: int, work: Path) -> dict[str, Any]:
    mirror = write_mirror(work / f"mirror-{story_pages}", story_pages)
    grown = plan(story_pages)
    add_issue(grown, NEW_ISSUE_OF)
    copy = write_copy(mirror.root, grown, work / f"grown-{story_pages}")
    folder = work / f"runs-{story_pages}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # the server resolves its root once: the symlink swapped is a folder inside it
    served = work / f"served-{story_pages}"
    served.mkdir(exist_ok=True)
    link = served / "site"
    _swap(link, mirror.root)
    section: dict[str, Any] = {"story_pages": story_pages, "publications": mirror.publications}
    with serve(served) as server:
        for name in ("first", "no_change", "new_issue"):
            if name == "new_issue":
                _swap(link, copy.root)
            section[name] = _crawl(f"{server.url}/site", folder)
            log(f"incremental {story_pages}: {name} {section[name]}")
    first, unchanged = section["first"]["requests"], section["no_change"]["requests"]
    section["no_change_share"] = round(unchanged / first, 4) if first else None
    section["change_requests"] = section["new_issue"]["requests"] - unchanged
    return section


def measure(sizes: tuple[int, ...]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as temporary:
        work = Path(temporary)
        result: dict[str, Any] = {str(size): measure_size(size, work) for size in sizes}
    largest = result[str(max(sizes))]
    changes = {result[str(size)]["change_requests"] for size in sizes}
    result["targets"] = {
        "no_change_share_at_most_2pct": largest["no_change_share"] <= NO_CHANGE_SHARE_MAX,
        "change_cost_flat": len(changes) == 1,
    }
    result["measured_at"] = now()
    return result


def measure_scale(scale: str) -> dict[str, Any]:
    """The section at ``make bench`` (1,000 and 10,000 stories) or ``make bench-quick``."""
    return measure(QUICK_SIZES if scale == "quick" else SIZES)


BEGIN = "<!-- benchmarks:incremental:begin (written by `make bench`) -->"
END = "<!-- benchmarks:incremental:end -->"


def table(section: dict[str, Any]) -> str:
    rows = [
        "| stories | publications | first run | no change | share | new issue | the change "
        "| CPU s: first / no change / new issue |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    sizes = sorted(int(key) for key in section if key.isdigit())
    for size in sizes:
        s = section[str(size)]
        rows.append(
            f"| {size:,} | {s['publications']} | {s['first']['requests']:,} | "
            f"{s['no_change']['requests']:,} | {s['no_change_share']:.1%} | "
            f"{s['new_issue']['requests']:,} | {s['change_requests']:,} | "
            f"{s['first']['cpu_s']:.1f} / {s['no_change']['cpu_s']:.1f} / "
            f"{s['new_issue']['cpu_s']:.1f} |"
        )
    return "\n".join(rows)


def write_markdown(path: Path, results: dict[str, Any]) -> None:
    """The incremental table of BENCHMARKS.md, between its own markers."""
    if "incremental" not in results or not path.is_file():
        return
    section = results["incremental"]
    block = (
        f"{BEGIN}\nRequests of an incremental run ({section['measured_at']}; keys "
        "`incremental.<stories>.*` in `benchmarks/results.json`): the first run, the same "
        "run with nothing new, a run with one new issue of eight stories; the change: the "
        f"new-issue run's requests over the no-change run's.\n\n{table(section)}\n{END}"
    )
    report.replace_block(path, BEGIN, END, block, "Scheduled runs (incremental)")
