"""The measurements, as typed results; ``benchmarks.report`` turns them into results.json and
the table of BENCHMARKS.md. Each is the median of ``Scale.repeats`` runs unless said otherwise:

1. crawl: bare Scrapy (``benchmarks.bare``: the same requests), ``scrapy crawl issues`` (every
   pipeline, both feeds) and bare plus the same items through the same feeds, over the same
   loopback mirror with site chrome of real weight, in rounds of the three; pages/s, items/s,
   the ratios, CPU time of the crawl phase (``benchmarks.clock``) and the time spent waiting
   for a CPU. Rates are over Scrapy's own elapsed time (spider opened to closed); wall-clock
   times (process start-up included) are reported beside them.
2. memory: peak RSS of ``scrapy crawl issues`` with the incremental state on, at a small and
   a large mirror (100,000 story pages at the default scale), and the ratio.
3. strip: MB/s of ``PromptMatcher.clean`` with one catalog language and with all.
4. dumps: records/s of ``scrapy crawl dumps`` over a generated JSON Lines corpus.

Everything runs on 127.0.0.1; generated mirrors and corpora are cached in ``out`` (by default
benchmarks/out/), each scale's crawls write to ``out/runs-<scale>/``.

A float field's ``Digits`` annotation is the number of decimals it is reported with.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from benchmarks import strip
from benchmarks.mirror import Mirror, write_mirror
from benchmarks.process import (
    BARE,
    BARE_DUMPS,
    BARE_ITEMS,
    DUMPS,
    ISSUES,
    ROOT,
    CrawlRun,
    crawl,
)
from benchmarks.server import Server, serve
from benchmarks.texts import bodies, write_dump

OUT = ROOT / "benchmarks" / "out"
SECTIONS = ("crawl", "memory", "strip", "dumps")
#: A crawl that waited for a CPU longer than this share of its crawl phase ran on a machine
#: too busy to measure on: its round is left out, and a run with no other is no result.
MAX_WAIT_SHARE = 0.05
# Stripping passes take a fraction of a second each: more of them for a stable median
# (paired rounds of one language and all: ``strip.measure_pair``).
STRIP_PASSES = 9


@dataclass(frozen=True)
class Scale:
    name: str
    crawl_pages: int  # story pages of the crawl mirror (more pages: issues, archives)
    memory_small: int  # story pages of the memory mirrors (no chrome; incremental state on)
    memory_large: int
    memory_large_runs: int
    strip_bodies: int
    dump_records: int
    dump_runs: int
    repeats: int = 3
    # paired rounds of the crawl section (bare, full, bare plus items): a crawl's CPU a page
    # swings from round to round on a shared machine, so the medians need many
    crawl_rounds: int = 9


DEFAULT = Scale(
    name="default",
    crawl_pages=1_000,
    memory_small=1_000,
    memory_large=100_000,
    memory_large_runs=1,
    strip_bodies=8_000,
    dump_records=50_000,
    dump_runs=3,  # rounds of ours then the bare ceiling: the ratio is paired by round
)
QUICK = replace(  # the same runs over smaller inputs, fewer crawl rounds
    DEFAULT,
    name="quick",
    crawl_rounds=3,
    crawl_pages=150,
    memory_small=150,
    memory_large=500,
    strip_bodies=400,
    dump_records=500,
)


@dataclass(frozen=True)
class Digits:
    """How many decimals a float is reported with."""

    places: int


OneDecimal = Annotated[float, Digits(1)]
TwoDecimals = Annotated[float, Digits(2)]
ThreeDecimals = Annotated[float, Digits(3)]


@dataclass(frozen=True)
class Machine:
    cpus: int | None
    cpu: str | None
    python: str
    scrapy: str
    twisted: str
    platform: str


@dataclass(frozen=True)
class CrawlResult:
    pages: int  # fetched by the full crawl
    story_pages: int
    mirror_mb: OneDecimal
    runs: int
    bare_pages_per_s: OneDecimal
    full_pages_per_s: OneDecimal
    full_items_per_s: OneDecimal
    full_items: int
    ratio: ThreeDecimals  # full / bare pages per second
    bare_wall_s: TwoDecimals
    full_wall_s: TwoDecimals
    ratio_wall: ThreeDecimals
    ratio_cpu: ThreeDecimals  # bare / full CPU time of the crawl phase, paired by round
    bare_cpu_ms_per_page: TwoDecimals  # crawl phase CPU per page fetched
    full_cpu_ms_per_page: TwoDecimals
    bare_items_pages_per_s: OneDecimal
    bare_items_cpu_ms_per_page: TwoDecimals
    ratio_vs_bare_items: ThreeDecimals  # full / bare_items pages per second, paired by round
    ratio_vs_bare_items_cpu: ThreeDecimals  # bare_items / full crawl CPU, paired by round
    project_cpu_ms_per_page: TwoDecimals  # (full - bare_items) crawl CPU per story page
    cpu_wait_share: ThreeDecimals  # share of the crawl phases spent waiting for a CPU
    # the rounds the paired figures are the medians of: those in which no crawl waited for a
    # CPU more than MAX_WAIT_SHARE of its crawl phase (all rounds when none is: ``contended``)
    rounds_counted: int
    rounds_contended: int  # rounds left out: a crawl in them waited longer
    contended: bool  # no round was quiet enough: the figures are no result
    max_wait_share: ThreeDecimals  # the longest wait of a crawl, as a share of its crawl phase
    # (lowest, highest) over the counted rounds, beside their medians
    project_cpu_ms_per_page_range: Annotated[tuple[float, float], Digits(2)]
    ratio_vs_bare_items_range: Annotated[tuple[float, float], Digits(3)]
    ratio_vs_bare_items_cpu_range: Annotated[tuple[float, float], Digits(3)]
    cpu_wait_s_per_run: TwoDecimals
    involuntary_switches_per_run: int
    mirror_story_page_kb: OneDecimal  # the mean story page, chrome included
    server_cpu_s_per_run: Annotated[float | None, Digits(2)]
    settings_bare: dict[str, Any]  # the concurrency settings the bare spider ran with
    bare_runs: list[CrawlRun]
    full_runs: list[CrawlRun]
    bare_items_runs: list[CrawlRun]
    measured_at: str


@dataclass(frozen=True)
class MemoryResult:
    pages_small: int  # story pages
    pages_large: int
    fetched_small: int  # pages
    fetched_large: int
    runs_small: int
    runs_large: int
    rss_mb_small: OneDecimal
    rss_mb_large: OneDecimal
    ratio: ThreeDecimals  # large / small
    rss_mb_100k: Annotated[float | None, Digits(1)]  # None unless the large size is 100,000
    large_wall_s: OneDecimal
    large_full_pages_per_s: OneDecimal
    large_items: int
    large_runs: list[CrawlRun]
    measured_at: str


@dataclass(frozen=True)
class StrippingResult:
    megabytes: float
    bodies: int
    runs: int
    catalog_languages: tuple[str, ...]
    mb_per_s_one_language: TwoDecimals
    mb_per_s_all_languages: TwoDecimals
    one_vs_all_difference: ThreeDecimals  # (fast - slow) / fast
    warm_mb_per_s_one_language: TwoDecimals
    warm_mb_per_s_all_languages: TwoDecimals
    bodies_with_prompt_removed_one_language: ThreeDecimals
    bodies_with_prompt_removed_all_languages: ThreeDecimals
    measured_at: str


@dataclass(frozen=True)
class DumpsResult:
    records: int
    megabytes: OneDecimal
    runs: int
    records_per_s: OneDecimal
    records_per_s_wall: OneDecimal
    items: int
    items_per_s: OneDecimal
    items_dropped: int
    elapsed_s: TwoDecimals
    wall_s: TwoDecimals
    max_rss_mb: OneDecimal
    bare_items_per_record: int
    bare_records_per_s: OneDecimal
    ceiling_records_per_s: OneDecimal  # the same: bare_dumps, after each of ours
    bare_items_per_s: OneDecimal
    ratio: ThreeDecimals  # records per second, ours / bare, paired by round (median)
    ratio_cpu: ThreeDecimals  # crawl phase CPU, bare / ours, paired by round (median)
    load_average: Annotated[tuple[float, float], Digits(2)]  # before and after the first run
    measured_at: str


@dataclass(frozen=True)
class Measurements:
    """One invocation: the sections measured (``None``: not asked for in ``only``)."""

    scale: str
    machine: Machine
    started_at: str
    finished_at: str
    duration_s: float
    only: frozenset[str] | None  # the sections asked for; None: all of them
    crawl: CrawlResult | None = None
    memory: MemoryResult | None = None
    strip: StrippingResult | None = None
    dumps: DumpsResult | None = None


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def measure(scale: Scale, only: Collection[str] | None = None, out: Path = OUT) -> Measurements:
    """Measure every section, or those in ``only``."""
    started = time.perf_counter()
    started_at = now()
    host = machine()
    out.mkdir(parents=True, exist_ok=True)
    runs = out / f"runs-{scale.name}"  # one folder per scale: quick does not overwrite default

    def wanted(section: str) -> bool:
        return only is None or section in only

    crawled: CrawlResult | None = None
    memory: MemoryResult | None = None
    if wanted("crawl") or wanted("memory"):
        crawled = measure_crawl(scale, out, runs) if wanted("crawl") else None
        if wanted("memory"):
            memory = measure_memory(scale, out, runs)
    stripping = measure_strip(scale) if wanted("strip") else None
    dumps = measure_dumps(scale, out, runs) if wanted("dumps") else None
    return Measurements(
        scale=scale.name,
        machine=host,
        crawl=crawled,
        memory=memory,
        strip=stripping,
        dumps=dumps,
        started_at=started_at,
        finished_at=now(),
        duration_s=time.perf_counter() - started,
        only=None if only is None else frozenset(only),
    )


# --- crawls -------------------------------------------------------------------------------------


def crawl_timeout(pages: int) -> float:
    return 120 + pages * 0.1  # ten pages a second at the very least


def dumps_timeout(records: int) -> float:
    return 120 + records * 0.05


def index_url(server: Server) -> str:
    return f"{server.url}/index.html"


def median(runs: Sequence[CrawlRun], value: Callable[[CrawlRun], float]) -> float:
    return statistics.median(value(run) for run in runs)


def mirror(out: Path, story_pages: int, *, with_chrome: bool = False) -> Mirror:
    started = time.perf_counter()
    name = f"mirror-{story_pages}" + ("-chrome" if with_chrome else "")
    made = write_mirror(out / name, story_pages, with_chrome=with_chrome)
    log(
        f"mirror of {made.story_pages} story pages ({made.pages} pages, "
        f"{made.bytes / 1e6:.0f} MB) ready in {time.perf_counter() - started:.1f} s"
    )
    return made


Round = tuple[CrawlRun, CrawlRun, CrawlRun]  # bare, full, bare plus items


def quiet_rounds(rounds: Sequence[Round]) -> list[Round]:
    """The rounds in which no crawl waited for a CPU longer than ``MAX_WAIT_SHARE`` of its
    crawl phase: a round's figures are paired, so one contended crawl spoils its round."""
    return [r for r in rounds if max(run.wait_share for run in r) <= MAX_WAIT_SHARE]


def measure_crawl(scale: Scale, out: Path, runs: Path) -> CrawlResult:
    """Rounds of bare, full, bare plus the items (the items of the first full run), each in a
    new process, over the realistic mirror (site chrome of real weight)."""
    site = mirror(out, scale.crawl_pages, with_chrome=True)
    kinds = ("bare", "full", "bare_items")
    done: dict[str, list[CrawlRun]] = {kind: [] for kind in kinds}
    lifetime = 3 * scale.crawl_rounds * crawl_timeout(site.pages) + 60
    with serve(site.root, lifetime) as server:
        start = {"start_url": index_url(server)}
        arguments = {
            "bare": (BARE, start),
            "full": (ISSUES, {"start_urls": index_url(server)}),
            "bare_items": (BARE_ITEMS, {**start, "items": str(runs / "crawl-full-1")}),
        }
        for n in range(1, scale.crawl_rounds + 1):
            for kind in kinds:
                spider, given = arguments[kind]
                run = crawl(
                    spider,
                    runs / f"crawl-{kind}-{n}",
                    arguments=given,
                    timeout=crawl_timeout(site.pages),
                    label=kind,
                    watch=server.pid,  # the server's CPU time, beside the crawl's
                )
                done[kind].append(run)
                log(
                    f"crawl {kind} {n}/{scale.crawl_rounds}: {run.pages} pages in "
                    f"{run.elapsed_s:.1f} s ({run.pages_per_s:.0f} pages/s, "
                    f"{run.crawl_cpu_ms_per_page:.2f} ms CPU a page, waited "
                    f"{100 * run.wait_share:.0f}% for a CPU, {run.items} items), "
                    f"{run.max_rss_mb:.0f} MB"
                )
    bare, full, items = done["bare"], done["full"], done["bare_items"]
    if len({r.pages for r in bare + full + items}) != 1:
        log("warning: the crawls did not fetch the same number of pages")
    if {r.items for r in items} != {full[0].items}:
        log("warning: bare_items did not export the items of the full crawl")
    server_cpu = [r.watched_cpu_s for r in bare + full + items if r.watched_cpu_s is not None]
    every = bare + full + items
    bare_rate = median(bare, lambda r: r.pages_per_s)
    full_rate = median(full, lambda r: r.pages_per_s)
    items_rate = median(items, lambda r: r.pages_per_s)
    bare_wall = median(bare, lambda r: r.wall_s)
    full_wall = median(full, lambda r: r.wall_s)
    every_round = list(zip(bare, full, items, strict=True))
    quiet = quiet_rounds(every_round)
    rounds = quiet or every_round
    if not quiet:
        log(
            f"crawl: every round waited more than {100 * MAX_WAIT_SHARE:.0f}% for a CPU: "
            "the figures are no result"
        )
    project = [1000 * (f.crawl_cpu_s - i.crawl_cpu_s) / site.story_pages for _, f, i in rounds]
    vs_items = [i.crawl_cpu_s / f.crawl_cpu_s for _, f, i in rounds]
    vs_items_rate = [f.pages_per_s / i.pages_per_s for _, f, i in rounds]
    return CrawlResult(
        pages=int(median(full, lambda r: r.pages)),
        story_pages=site.story_pages,
        mirror_mb=site.bytes / 1e6,
        runs=scale.crawl_rounds,
        bare_pages_per_s=bare_rate,
        full_pages_per_s=full_rate,
        full_items_per_s=median(full, lambda r: r.items_per_s),
        full_items=int(median(full, lambda r: r.items)),
        ratio=full_rate / bare_rate,
        bare_wall_s=bare_wall,
        full_wall_s=full_wall,
        ratio_wall=bare_wall / full_wall,
        ratio_cpu=statistics.median(b.crawl_cpu_s / f.crawl_cpu_s for b, f, _ in rounds),
        bare_cpu_ms_per_page=median(bare, lambda r: r.crawl_cpu_ms_per_page),
        full_cpu_ms_per_page=median(full, lambda r: r.crawl_cpu_ms_per_page),
        bare_items_pages_per_s=items_rate,
        bare_items_cpu_ms_per_page=median(items, lambda r: r.crawl_cpu_ms_per_page),
        ratio_vs_bare_items=statistics.median(vs_items_rate),
        ratio_vs_bare_items_cpu=statistics.median(vs_items),
        project_cpu_ms_per_page=statistics.median(project),
        cpu_wait_share=median(every, lambda r: r.wait_share),
        rounds_counted=len(rounds) if quiet else 0,
        rounds_contended=len(every_round) - len(quiet),
        contended=not quiet,
        max_wait_share=max(r.wait_share for r in every),
        project_cpu_ms_per_page_range=(min(project), max(project)),
        ratio_vs_bare_items_range=(min(vs_items_rate), max(vs_items_rate)),
        ratio_vs_bare_items_cpu_range=(min(vs_items), max(vs_items)),
        cpu_wait_s_per_run=median(every, lambda r: r.crawl_wait_s),
        involuntary_switches_per_run=int(median(every, lambda r: r.involuntary_switches)),
        mirror_story_page_kb=site.story_bytes / site.story_pages / 1e3,
        server_cpu_s_per_run=statistics.median(server_cpu) if server_cpu else None,
        settings_bare=bare[0].stats.get("settings", {}),
        bare_runs=bare,
        full_runs=full,
        bare_items_runs=items,
        measured_at=now(),
    )


def measure_memory(scale: Scale, out: Path, runs: Path) -> MemoryResult:
    """Peak RSS of the full crawl at two sizes, with the incremental state on
    (``AGGREGATOR_STATE``, a new state file each run), over mirrors without the site chrome:
    what grows with the number of pages is the crawl's state, not a page's size, and a
    100,000-page mirror with chrome would be 18 GB."""
    small_site = mirror(out, scale.memory_small)
    small_runs = memory_crawls(small_site, runs, "small", scale.repeats)
    large_site = mirror(out, scale.memory_large)
    large_runs = memory_crawls(large_site, runs, "large", scale.memory_large_runs)
    small = median(small_runs, lambda r: r.max_rss_mb)
    large = median(large_runs, lambda r: r.max_rss_mb)
    return MemoryResult(
        pages_small=small_site.story_pages,
        pages_large=large_site.story_pages,
        fetched_small=int(median(small_runs, lambda r: r.pages)),
        fetched_large=int(median(large_runs, lambda r: r.pages)),
        runs_small=len(small_runs),
        runs_large=len(large_runs),
        rss_mb_small=small,
        rss_mb_large=large,
        ratio=large / small,
        rss_mb_100k=large if large_site.story_pages == 100_000 else None,
        large_wall_s=median(large_runs, lambda r: r.wall_s),
        large_full_pages_per_s=median(large_runs, lambda r: r.pages_per_s),
        large_items=int(median(large_runs, lambda r: r.items)),
        large_runs=large_runs,
        measured_at=now(),
    )


def memory_crawls(site: Mirror, runs: Path, size: str, count: int) -> list[CrawlRun]:
    """``count`` full crawls of ``site`` with the incremental state on, for the memory section
    (``size``: small or large)."""
    done: list[CrawlRun] = []
    with serve(site.root, count * crawl_timeout(site.pages) + 60) as server:
        for n in range(1, count + 1):
            work = runs / f"memory-{size}-{n}"
            state = work / "state.sqlite"
            if work.exists():
                shutil.rmtree(work)
            run = crawl(
                ISSUES,
                work,
                arguments={"start_urls": index_url(server)},
                settings={"AGGREGATOR_STATE": str(state)},
                timeout=crawl_timeout(site.pages),
                label=size,
            )
            done.append(run)
            log(
                f"memory {size} {n}/{count}: {run.pages} pages in {run.elapsed_s:.0f} s "
                f"({run.pages_per_s:.0f} pages/s), {run.max_rss_mb:.0f} MB"
            )
    return done


def measure_strip(scale: Scale) -> StrippingResult:
    texts = bodies(scale.strip_bodies)
    # one language and all in paired rounds: the verdict is the rounds' median difference
    pair = strip.measure_pair(texts, "en", STRIP_PASSES)
    one, every = pair.one, pair.every
    log(
        f"strip: {one.cold_mb_per_s:.1f} MB/s one language, {every.cold_mb_per_s:.1f} MB/s "
        f"all ({every.megabytes:.1f} MB); warm {one.warm_mb_per_s:.1f} / "
        f"{every.warm_mb_per_s:.1f} MB/s; {100 * pair.difference:.0f}% apart (median of "
        f"{pair.rounds} paired rounds, {100 * pair.difference_range[0]:.0f}-"
        f"{100 * pair.difference_range[1]:.0f}%)"
    )
    return StrippingResult(
        megabytes=one.megabytes,
        bodies=one.bodies,
        runs=STRIP_PASSES,
        catalog_languages=every.catalog_languages,
        mb_per_s_one_language=one.cold_mb_per_s,
        mb_per_s_all_languages=every.cold_mb_per_s,
        one_vs_all_difference=pair.difference,
        warm_mb_per_s_one_language=one.warm_mb_per_s,
        warm_mb_per_s_all_languages=every.warm_mb_per_s,
        bodies_with_prompt_removed_one_language=one.removed_share,
        bodies_with_prompt_removed_all_languages=every.removed_share,
        measured_at=now(),
    )


def measure_dumps(scale: Scale, out: Path, runs: Path) -> DumpsResult:
    path = out / f"dump-{scale.dump_records}.jsonl"
    started = time.perf_counter()
    size = write_dump(path, scale.dump_records)
    log(
        f"dump of {scale.dump_records} records ({size / 1e6:.0f} MB) ready in "
        f"{time.perf_counter() - started:.1f} s"
    )
    ours: list[CrawlRun] = []
    ceilings: list[CrawlRun] = []
    records = scale.dump_records
    per_record = 0
    for n in range(1, scale.dump_runs + 1):
        run = crawl(
            DUMPS,
            runs / f"dumps-{n}",
            arguments={"path": str(path)},
            timeout=dumps_timeout(scale.dump_records),
        )
        ours.append(run)
        if n == 1:
            records = int(run.stats.get("aggregator/dumps/records", 0)) or scale.dump_records
            per_record = max(1, round(run.items / records))
        log(
            f"dumps {n}/{scale.dump_runs}: {records} records in {run.elapsed_s:.1f} s "
            f"({records / run.elapsed_s:.0f} records/s, {run.items} items)"
        )
        # the ceiling right after, on the same machine minute: a shared machine's speed
        # drifts by a third between runs minutes apart
        work = runs / f"dumps-bare-{n}"
        feeds = {str(work / "items.jsonl"): {"format": "jsonlines", "overwrite": True}}
        bare = crawl(
            BARE_DUMPS,
            work,
            arguments={"path": str(path), "items_per_record": str(per_record)},
            settings={"FEEDS": json.dumps(feeds)},
            timeout=dumps_timeout(records),
            label="bare dumps",
        )
        ceilings.append(bare)
        log(
            f"bare dumps {n}/{scale.dump_runs}: {records} records, {bare.items} items in "
            f"{bare.elapsed_s:.1f} s ({records / bare.elapsed_s:.0f} records/s)"
        )
    pairs = list(zip(ours, ceilings, strict=True))
    records_per_s = median(ours, lambda r: records / r.elapsed_s)
    return DumpsResult(
        records=records,
        megabytes=size / 1e6,
        runs=len(ours),
        records_per_s=records_per_s,
        records_per_s_wall=median(ours, lambda r: records / r.wall_s),
        items=int(median(ours, lambda r: r.items)),
        items_per_s=median(ours, lambda r: r.items_per_s),
        items_dropped=int(median(ours, lambda r: r.stats.get("item_dropped_count", 0))),
        elapsed_s=median(ours, lambda r: r.elapsed_s),
        wall_s=median(ours, lambda r: r.wall_s),
        max_rss_mb=median(ours, lambda r: r.max_rss_mb),
        bare_items_per_record=per_record,
        bare_records_per_s=median(ceilings, lambda r: records / r.elapsed_s),
        ceiling_records_per_s=median(ceilings, lambda r: records / r.elapsed_s),
        bare_items_per_s=median(ceilings, lambda r: r.items_per_s),
        ratio=statistics.median(b.elapsed_s / o.elapsed_s for o, b in pairs),
        ratio_cpu=statistics.median(b.crawl_cpu_s / o.crawl_cpu_s for o, b in pairs),
        load_average=ours[0].load,
        measured_at=now(),
    )


# --- the machine --------------------------------------------------------------------------------


def machine() -> Machine:
    import scrapy
    import twisted

    return Machine(
        cpus=os.cpu_count(),
        cpu=_cpu_model(),
        python=platform.python_version(),
        scrapy=scrapy.__version__,
        twisted=twisted.__version__,
        platform=platform.platform(),
    )


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None
