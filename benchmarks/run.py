"""Run the benchmarks and write the results.

    python -m benchmarks.run            # default scale: benchmarks/results.json + BENCHMARKS.md
    python -m benchmarks.run --quick    # small scale, < 1 min: benchmarks/out/results-quick.json

Measurements (each the median of ``--repeats`` runs unless said otherwise):

1. crawl: bare Scrapy (``benchmarks.bare``) and ``scrapy crawl issues`` (every pipeline, both
   feeds) over the same loopback mirror, alternating bare / full within the run; pages/s,
   items/s, their ratio. Rates are over Scrapy's own elapsed time (spider opened to closed);
   wall-clock times (process start-up included) are reported beside them.
2. memory: peak RSS of ``scrapy crawl issues`` at a small and a large mirror, and the ratio.
3. strip: MB/s of ``PromptMatcher.clean`` with one catalog language and with all.
4. dumps: records/s of ``scrapy crawl dumps`` over a generated JSON Lines corpus.

Everything runs on 127.0.0.1; generated mirrors and corpora are cached in benchmarks/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import strip
from benchmarks.mirror import Mirror, write_mirror
from benchmarks.process import ROOT, CrawlRun, cpu_seconds, run_measured, scrapy_command
from benchmarks.server import serve
from benchmarks.texts import bodies, write_dump

OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "results.json"
QUICK_RESULTS = OUT / "results-quick.json"
MARKDOWN = ROOT / "BENCHMARKS.md"
BEGIN = "<!-- benchmarks:results:begin (written by `make bench`) -->"
END = "<!-- benchmarks:results:end -->"

TARGETS = {
    "crawl.ratio": (">=", 0.9),
    "memory.ratio": ("<=", 1.2),
    "strip.mb_per_s_one_language": (">=", 50.0),
    "strip.mb_per_s_all_languages": (">=", 50.0),
    "strip.one_vs_all_difference": ("<=", 0.2),
    "dumps.records_per_s": (">=", 2000.0),
}


# Stripping passes take a fraction of a second each: more of them for a stable median.
STRIP_PASSES = 5


@dataclass(frozen=True)
class Scale:
    name: str
    crawl_pages: int  # story pages of the crawl mirror (more pages: issues, archives)
    memory_small: int  # story pages; the crawl runs are reused when equal to crawl_pages
    memory_large: int
    memory_large_runs: int
    strip_bodies: int
    dump_records: int
    dump_runs: int
    repeats: int = 3


DEFAULT = Scale(
    name="default",
    crawl_pages=1_000,
    memory_small=1_000,
    memory_large=20_000,
    memory_large_runs=1,
    strip_bodies=8_000,
    dump_records=50_000,
    dump_runs=1,
)
QUICK = Scale(
    name="quick",
    crawl_pages=150,
    memory_small=150,
    memory_large=500,
    memory_large_runs=1,
    strip_bodies=400,
    dump_records=500,
    dump_runs=1,
)


_RUNS: list[Path] = []


def runs_dir() -> Path:
    """Where this invocation's crawls write feeds, stats and logs (one folder per scale, so
    that a quick run does not overwrite a default run's files)."""
    return _RUNS[0] if _RUNS else OUT / "runs"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- crawls -------------------------------------------------------------------------------------


def crawl_timeout(pages: int) -> float:
    return 120 + pages * 0.1  # ten pages a second at the very least


def bare_crawl(base: str, work: Path, pages: int, label: str) -> CrawlRun:
    work.mkdir(parents=True, exist_ok=True)
    stats = work / "stats.json"
    command = scrapy_command(
        "bare",
        "-s",
        "SPIDER_MODULES=benchmarks.bare",
        "-a",
        f"start_url={base}/index.html",
        "-s",
        f"BENCH_STATS_FILE={stats}",
        "-s",
        "LOG_LEVEL=WARNING",
    )
    return run_measured(label, command, stats, crawl_timeout(pages), work / "log.txt")


def full_crawl(base: str, work: Path, pages: int, label: str) -> CrawlRun:
    work.mkdir(parents=True, exist_ok=True)
    stats = work / "stats.json"
    command = scrapy_command(
        "issues",
        "-a",
        f"start_urls={base}/index.html",
        "-s",
        f"OUTPUT_DIR={work}",
        "-s",
        f"AGGREGATOR_STATS_FILE={stats}",
        "-s",
        "LOG_LEVEL=WARNING",
    )
    return run_measured(label, command, stats, crawl_timeout(pages), work / "log.txt")


def dumps_crawl(path: Path, work: Path, records: int, label: str) -> CrawlRun:
    work.mkdir(parents=True, exist_ok=True)
    stats = work / "stats.json"
    command = scrapy_command(
        "dumps",
        "-a",
        f"path={path}",
        "-s",
        f"OUTPUT_DIR={work}",
        "-s",
        f"AGGREGATOR_STATS_FILE={stats}",
        "-s",
        "LOG_LEVEL=WARNING",
    )
    return run_measured(label, command, stats, 120 + records * 0.05, work / "log.txt")


def bare_dumps_crawl(path: Path, work: Path, records: int, per_record: int) -> CrawlRun:
    work.mkdir(parents=True, exist_ok=True)
    stats = work / "stats.json"
    feeds = json.dumps({str(work / "items.jsonl"): {"format": "jsonlines", "overwrite": True}})
    command = scrapy_command(
        "bare_dumps",
        "-s",
        "SPIDER_MODULES=benchmarks.bare",
        "-a",
        f"path={path}",
        "-a",
        f"items_per_record={per_record}",
        "-s",
        f"FEEDS={feeds}",
        "-s",
        f"BENCH_STATS_FILE={stats}",
        "-s",
        "LOG_LEVEL=WARNING",
    )
    return run_measured("bare dumps", command, stats, 120 + records * 0.05, work / "log.txt")


def median(runs: Sequence[CrawlRun], value: Callable[[CrawlRun], float]) -> float:
    return statistics.median(value(run) for run in runs)


def run_summary(run: CrawlRun) -> dict[str, Any]:
    return {
        "pages": run.pages,
        "items": run.items,
        "elapsed_s": round(run.elapsed_s, 3),
        "wall_s": round(run.wall_s, 3),
        "cpu_s": round(run.cpu_s, 3),
        "max_rss_mb": round(run.max_rss_mb, 1),
        "pages_per_s": round(run.pages_per_s, 1),
        "items_per_s": round(run.items_per_s, 1),
        "load_average": [round(x, 2) for x in run.load],
    }


def mirror(story_pages: int) -> Mirror:
    started = time.perf_counter()
    made = write_mirror(OUT / f"mirror-{story_pages}", story_pages)
    log(
        f"mirror of {made.story_pages} story pages ({made.pages} pages, "
        f"{made.bytes / 1e6:.0f} MB) ready in {time.perf_counter() - started:.1f} s"
    )
    return made


def measure_crawl(scale: Scale) -> tuple[dict[str, Any], list[CrawlRun]]:
    site = mirror(scale.crawl_pages)
    bare: list[CrawlRun] = []
    full: list[CrawlRun] = []
    server_cpu: list[float] = []
    lifetime = 2 * scale.repeats * crawl_timeout(site.pages) + 60
    with serve(site.root, lifetime) as server:
        base = server.url
        for n in range(1, scale.repeats + 1):
            for kind, runs, crawl in (("bare", bare, bare_crawl), ("full", full, full_crawl)):
                before = cpu_seconds(server.pid)
                run = crawl(base, runs_dir() / f"crawl-{kind}-{n}", site.pages, kind)
                after = cpu_seconds(server.pid)
                if before is not None and after is not None:
                    server_cpu.append(after - before)
                runs.append(run)
                log(
                    f"crawl {kind} {n}/{scale.repeats}: {run.pages} pages in "
                    f"{run.elapsed_s:.1f} s ({run.pages_per_s:.0f} pages/s, "
                    f"{run.items} items), {run.max_rss_mb:.0f} MB"
                )
    if {r.pages for r in bare} != {r.pages for r in full}:
        log("warning: the two crawls did not fetch the same number of pages")
    bare_rate = median(bare, lambda r: r.pages_per_s)
    full_rate = median(full, lambda r: r.pages_per_s)
    bare_wall = median(bare, lambda r: r.wall_s)
    full_wall = median(full, lambda r: r.wall_s)
    bare_cpu = median(bare, lambda r: r.cpu_s / r.pages)
    full_cpu = median(full, lambda r: r.cpu_s / r.pages)
    result = {
        "pages": int(median(full, lambda r: r.pages)),
        "story_pages": site.story_pages,
        "mirror_mb": round(site.bytes / 1e6, 1),
        "runs": scale.repeats,
        "bare_pages_per_s": round(bare_rate, 1),
        "full_pages_per_s": round(full_rate, 1),
        "full_items_per_s": round(median(full, lambda r: r.items_per_s), 1),
        "full_items": int(median(full, lambda r: r.items)),
        "ratio": round(full_rate / bare_rate, 3),
        "bare_wall_s": round(bare_wall, 2),
        "full_wall_s": round(full_wall, 2),
        "ratio_wall": round(bare_wall / full_wall, 3),
        "ratio_cpu": round(bare_cpu / full_cpu, 3),
        "bare_cpu_ms_per_page": round(1000 * bare_cpu, 2),
        "full_cpu_ms_per_page": round(1000 * full_cpu, 2),
        "server_cpu_s_per_run": round(statistics.median(server_cpu), 2) if server_cpu else None,
        "settings_bare": bare[0].stats.get("settings", {}),
        "bare_runs": [run_summary(r) for r in bare],
        "full_runs": [run_summary(r) for r in full],
    }
    return result, full


def measure_memory(scale: Scale, crawl_runs: list[CrawlRun]) -> dict[str, Any]:
    small_runs = crawl_runs if scale.memory_small == scale.crawl_pages else []
    small_site = mirror(scale.memory_small)
    if not small_runs:
        with serve(small_site.root, scale.repeats * crawl_timeout(small_site.pages) + 60) as server:
            for n in range(1, scale.repeats + 1):
                run = full_crawl(
                    server.url, runs_dir() / f"memory-small-{n}", small_site.pages, "small"
                )
                small_runs.append(run)
                log(f"memory small {n}/{scale.repeats}: {run.max_rss_mb:.0f} MB")
    large_site = mirror(scale.memory_large)
    large_runs: list[CrawlRun] = []
    lifetime = scale.memory_large_runs * crawl_timeout(large_site.pages) + 60
    with serve(large_site.root, lifetime) as server:
        for n in range(1, scale.memory_large_runs + 1):
            work = runs_dir() / f"memory-large-{n}"
            run = full_crawl(server.url, work, large_site.pages, "large")
            large_runs.append(run)
            log(
                f"memory large {n}/{scale.memory_large_runs}: {run.pages} pages in "
                f"{run.elapsed_s:.0f} s ({run.pages_per_s:.0f} pages/s), {run.max_rss_mb:.0f} MB"
            )
    small = median(small_runs, lambda r: r.max_rss_mb)
    large = median(large_runs, lambda r: r.max_rss_mb)
    return {
        "pages_small": small_site.story_pages,
        "pages_large": large_site.story_pages,
        "fetched_small": int(median(small_runs, lambda r: r.pages)),
        "fetched_large": int(median(large_runs, lambda r: r.pages)),
        "runs_small": len(small_runs),
        "runs_large": len(large_runs),
        "rss_mb_small": round(small, 1),
        "rss_mb_large": round(large, 1),
        "ratio": round(large / small, 3),
        "large_full_pages_per_s": round(median(large_runs, lambda r: r.pages_per_s), 1),
        "large_items": int(median(large_runs, lambda r: r.items)),
        "large_runs": [run_summary(r) for r in large_runs],
    }


def measure_strip(scale: Scale) -> dict[str, Any]:
    texts = bodies(scale.strip_bodies)
    one = strip.measure(texts, ["en"], STRIP_PASSES)
    every = strip.measure(texts, None, STRIP_PASSES)
    log(
        f"strip: {one.cold_mb_per_s:.1f} MB/s one language, {every.cold_mb_per_s:.1f} MB/s "
        f"all ({every.megabytes:.1f} MB); warm {one.warm_mb_per_s:.1f} / "
        f"{every.warm_mb_per_s:.1f} MB/s"
    )
    low, high = sorted((one.cold_mb_per_s, every.cold_mb_per_s))
    return {
        "megabytes": one.megabytes,
        "bodies": one.bodies,
        "runs": STRIP_PASSES,
        "catalog_languages": list(every.catalog_languages),
        "mb_per_s_one_language": round(one.cold_mb_per_s, 2),
        "mb_per_s_all_languages": round(every.cold_mb_per_s, 2),
        "one_vs_all_difference": round((high - low) / high, 3),
        "warm_mb_per_s_one_language": round(one.warm_mb_per_s, 2),
        "warm_mb_per_s_all_languages": round(every.warm_mb_per_s, 2),
        "bodies_with_prompt_removed_one_language": round(one.removed_share, 3),
        "bodies_with_prompt_removed_all_languages": round(every.removed_share, 3),
    }


def measure_dumps(scale: Scale) -> dict[str, Any]:
    path = OUT / f"dump-{scale.dump_records}.jsonl"
    started = time.perf_counter()
    size = write_dump(path, scale.dump_records)
    log(
        f"dump of {scale.dump_records} records ({size / 1e6:.0f} MB) ready in "
        f"{time.perf_counter() - started:.1f} s"
    )
    runs = []
    for n in range(1, scale.dump_runs + 1):
        run = dumps_crawl(path, runs_dir() / f"dumps-{n}", scale.dump_records, "dumps")
        runs.append(run)
        records = int(run.stats.get("aggregator/dumps/records", 0))
        log(
            f"dumps {n}/{scale.dump_runs}: {records} records in {run.elapsed_s:.1f} s "
            f"({records / run.elapsed_s:.0f} records/s, {run.items} items)"
        )
    records = int(runs[0].stats.get("aggregator/dumps/records", 0)) or scale.dump_records
    per_record = max(1, round(median(runs, lambda r: r.items) / records))
    bare = bare_dumps_crawl(path, runs_dir() / "dumps-bare", records, per_record)
    log(
        f"bare dumps: {records} records, {bare.items} items in {bare.elapsed_s:.1f} s "
        f"({records / bare.elapsed_s:.0f} records/s, {bare.items_per_s:.0f} items/s)"
    )
    return {
        "records": records,
        "megabytes": round(size / 1e6, 1),
        "runs": len(runs),
        "records_per_s": round(median(runs, lambda r: records / r.elapsed_s), 1),
        "records_per_s_wall": round(median(runs, lambda r: records / r.wall_s), 1),
        "items": int(median(runs, lambda r: r.items)),
        "items_per_s": round(median(runs, lambda r: r.items_per_s), 1),
        "items_dropped": int(median(runs, lambda r: r.stats.get("item_dropped_count", 0))),
        "elapsed_s": round(median(runs, lambda r: r.elapsed_s), 2),
        "wall_s": round(median(runs, lambda r: r.wall_s), 2),
        "max_rss_mb": round(median(runs, lambda r: r.max_rss_mb), 1),
        "bare_items_per_record": per_record,
        "bare_records_per_s": round(records / bare.elapsed_s, 1),
        "bare_items_per_s": round(bare.items_per_s, 1),
        "ratio": round(median(runs, lambda r: records / r.elapsed_s) * bare.elapsed_s / records, 3),
        "load_average": [round(x, 2) for x in runs[0].load],
    }


# --- results ------------------------------------------------------------------------------------


def lookup(results: dict[str, Any], dotted: str) -> Any:
    value: Any = results
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def check_targets(results: dict[str, Any]) -> dict[str, Any]:
    checked = {}
    for key, (op, bound) in TARGETS.items():
        value = lookup(results, key)
        met = None
        if isinstance(value, int | float):
            met = value >= bound if op == ">=" else value <= bound
        checked[key] = {"target": f"{op} {bound:g}", "value": value, "met": met}
    return checked


def machine() -> dict[str, Any]:
    import scrapy
    import twisted

    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "scrapy": scrapy.__version__,
        "twisted": twisted.__version__,
        "platform": platform.platform(),
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _fmt(value: Any, digits: int = 1) -> str:
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "–" if value is None else str(value)


def _met(results: dict[str, Any], key: str) -> str:
    met = results["targets"][key]["met"]
    return "–" if met is None else ("met" if met else "**missed**")


def table(results: dict[str, Any]) -> str:
    c, m, s, d = (results[k] for k in ("crawl", "memory", "strip", "dumps"))
    t = results["targets"]
    rows = [
        ("measure", "result", "target", ""),
        ("---", "---:", "---:", "---"),
        (
            f"bare Scrapy crawl, {c['pages']:,} pages",
            f"{_fmt(c['bare_pages_per_s'])} pages/s",
            "ceiling",
            "",
        ),
        (
            "`scrapy crawl issues`, same mirror",
            f"{_fmt(c['full_pages_per_s'])} pages/s, {_fmt(c['full_items_per_s'])} items/s",
            "",
            "",
        ),
        (
            "crawl ratio full / bare",
            _fmt(c["ratio"], 2),
            t["crawl.ratio"]["target"],
            _met(results, "crawl.ratio"),
        ),
        (
            "crawl ratio by CPU time per page / wall clock",
            f"{_fmt(c['ratio_cpu'], 2)} / {_fmt(c['ratio_wall'], 2)}",
            "",
            "",
        ),
        (
            f"peak RSS at {m['pages_small']:,} / {m['pages_large']:,} story pages",
            f"{_fmt(m['rss_mb_small'], 0)} MB / {_fmt(m['rss_mb_large'], 0)} MB",
            "",
            "",
        ),
        (
            "memory ratio large / small",
            _fmt(m["ratio"], 2),
            t["memory.ratio"]["target"],
            _met(results, "memory.ratio"),
        ),
        (
            "prompt stripping, 1 language (`en`)",
            f"{_fmt(s['mb_per_s_one_language'])} MB/s "
            f"(warm {_fmt(s['warm_mb_per_s_one_language'])})",
            t["strip.mb_per_s_one_language"]["target"] + " MB/s",
            _met(results, "strip.mb_per_s_one_language"),
        ),
        (
            f"prompt stripping, all {len(s['catalog_languages'])} languages",
            f"{_fmt(s['mb_per_s_all_languages'])} MB/s "
            f"(warm {_fmt(s['warm_mb_per_s_all_languages'])})",
            t["strip.mb_per_s_all_languages"]["target"] + " MB/s",
            _met(results, "strip.mb_per_s_all_languages"),
        ),
        (
            "stripping, 1 vs all languages",
            f"{100 * s['one_vs_all_difference']:.0f}% apart",
            "≤ 20%",
            _met(results, "strip.one_vs_all_difference"),
        ),
        (
            f"`scrapy crawl dumps`, {d['records']:,} records",
            f"{_fmt(d['records_per_s'])} records/s, {_fmt(d['items_per_s'])} items/s",
            t["dumps.records_per_s"]["target"] + " records/s",
            _met(results, "dumps.records_per_s"),
        ),
        (
            f"bare Scrapy, same file, {d['bare_items_per_record']} items per record",
            f"{_fmt(d['bare_records_per_s'])} records/s, {_fmt(d['bare_items_per_s'])} items/s",
            "ceiling",
            "",
        ),
    ]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def markdown_section(results: dict[str, Any]) -> str:
    mach = results["machine"]
    lines = [
        BEGIN,
        f"Run of {results['date']} ({results['scale']} scale, {results['duration_s']:.0f} s) "
        f"on {mach['cpus']} CPUs ({mach['cpu']}), Python {mach['python']}, "
        f"Scrapy {mach['scrapy']}. Full numbers: `benchmarks/results.json`.",
    ]
    updated = results.get("updated")
    if updated:
        lines.append(
            f"Re-measured on {updated['date']}: {', '.join(updated['sections'])} "
            "(`python -m benchmarks.run --only ...`)."
        )
    return "\n".join([*lines, "", table(results), END])


def write_markdown(path: Path, results: dict[str, Any]) -> None:
    section = markdown_section(results)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + section + tail, encoding="utf-8")
            return
        path.write_text(text.rstrip("\n") + "\n\n## Results\n\n" + section + "\n", "utf-8")
        return
    path.write_text(f"# Benchmarks\n\n## Results\n\n{section}\n", encoding="utf-8")


def run(
    scale: Scale, only: set[str] | None = None, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Measure everything, or only the sections in ``only`` (the others are kept from
    ``previous``, a results file of the same scale)."""
    started = time.perf_counter()
    _RUNS[:] = [OUT / f"runs-{scale.name}"]
    results: dict[str, Any] = dict(previous or {})
    if previous is None:
        results.update({"date": _now(), "scale": scale.name, "machine": machine()})
    measured: dict[str, Callable[[], Any]] = {
        "strip": lambda: measure_strip(scale),
        "dumps": lambda: measure_dumps(scale),
    }
    if only is None or "crawl" in only or "memory" in only:
        results["crawl"], crawl_runs = measure_crawl(scale)
        results["crawl"]["measured_at"] = _now()
        if only is None or "memory" in only:
            results["memory"] = measure_memory(scale, crawl_runs)
            results["memory"]["measured_at"] = _now()
    for name, measure in measured.items():
        if only is None or name in only:
            results[name] = measure()
            results[name]["measured_at"] = _now()
    duration = round(time.perf_counter() - started, 1)
    if previous is None:
        results["duration_s"] = duration
    else:
        results["updated"] = {
            "date": _now(),
            "sections": sorted(only or ()),
            "duration_s": duration,
        }
    results["targets"] = check_targets(results)
    return results


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small scale, under a minute")
    parser.add_argument("--output", type=Path, help="results JSON (default by scale)")
    parser.add_argument(
        "--markdown",
        type=Path,
        help="update the results table in this file (default: BENCHMARKS.md at the default "
        "scale; none with --quick)",
    )
    parser.add_argument(
        "--only", action="append", choices=("crawl", "memory", "strip", "dumps"), help="repeatable"
    )
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else DEFAULT
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    previous = None
    if args.only and output.is_file():
        previous = json.loads(output.read_text(encoding="utf-8"))
        if previous.get("scale") != scale.name:
            previous = None
    results = run(scale, set(args.only) if args.only else None, previous)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {output} in {time.perf_counter() - started:.0f} s")
    complete = all(k in results for k in ("crawl", "memory", "strip", "dumps"))
    markdown = args.markdown or (None if args.quick else MARKDOWN)
    if complete:
        print(table(results))
        if markdown is not None:
            write_markdown(markdown, results)
            log(f"updated {markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
