"""Dump records through our whole record path, in one process, for an instruction counter.

    valgrind --tool=callgrind python -m benchmarks.dumps_pass 1000          # the pass
    valgrind --tool=callgrind python -m benchmarks.dumps_pass 1000 --none   # without it
    python -m benchmarks.dumps_pass 1000 --profile                          # cProfile, CPU time

A record's path as ``scrapy crawl dumps`` takes it, without Scrapy's engine: the JSON line
read (``read_line``), ``SavedTextPage``, its article and teasers (repeat cards skipped), every
item stage of the project in order, then the feeds' exporter. The difference of the two
callgrind totals, divided by the number of records, is the instructions a record: the same
for the same code and input whatever the machine's load (BENCHMARKS.md, issue 25).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time
from typing import Any

from aggregator.corpus.saved_texts import DumpRecord, read_line, story_url
from aggregator.feeds.exporter import JsonLinesExporter
from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.spidermiddlewares.repeats import RepeatTeasersMiddleware
from benchmarks import strip
from benchmarks.breakdown import CRAWLED_AT, _apply, pipelines
from benchmarks.texts import dump_records

# Where a record may stop: after the JSON line and its URL, after ``SavedTextPage``, after its
# items are built, before one of the item stages (its name in ``breakdown.pipelines``), before
# the feed export, or after it (all).
UPTO = (
    "read",
    "page",
    "items",
    "pipeline normalize",
    "pipeline prompt",
    "pipeline dedupe",
    "pipeline language",
    "pipeline wordcount",
    "pipeline validate",
    "export",
    "all",
)


def run(
    lines: list[bytes],
    matcher: PromptMatcher,
    stages: list[tuple[str, Any]],
    out: io.BytesIO | None = None,
    upto: str = "all",
) -> int:
    """Every record of ``lines`` through the record path; the bytes exported (to ``out``).
    ``upto``: where each record stops (``UPTO``), for the share of each part."""
    out = out or io.BytesIO()
    exporter = JsonLinesExporter(out, encoding="utf-8")
    repeats = next(stage for _, stage in stages if isinstance(stage, RepeatTeasersMiddleware))
    for number, line in enumerate(lines, 1):
        record = read_line(number, line)
        assert isinstance(record, DumpRecord)
        parsed = story_url(record.url)
        if upto == "read":
            continue
        page = SavedTextPage(record.url, record.text, matcher, parsed)
        if upto == "page":
            continue
        article = page.article(CRAWLED_AT)
        items: list[Any] = [] if article is None else [article]
        items += page.teasers(repeats.is_repeat)
        if upto == "items":  # the repeat cards seen, as the spider middleware would
            for item in items:
                repeats.get_processed_item(item, None)
            continue
        for item in items:
            try:
                for name, stage in stages:
                    if name == upto:
                        raise LookupError(upto)  # this stage and the ones after it left out
                    item = _apply(stage, item)
            except Exception:  # DropItem, or a middleware's drop
                continue
            if upto != "export":
                exporter.export_item(item)
    return len(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dumps_pass")
    parser.add_argument("count", type=int, help="dump records to read")
    parser.add_argument("--upto", choices=UPTO, default="all", help="where a record stops")
    parser.add_argument("--none", action="store_true", help="build everything, read nothing")
    parser.add_argument("--profile", action="store_true", help="cProfile by CPU time")
    parser.add_argument("--sort", help="cProfile sort keys, comma-separated (tottime)")
    parser.add_argument("--lines", type=int, default=35, help="cProfile rows printed")
    parser.add_argument("--out", help="write the exported JSON Lines here (to compare)")
    args = parser.parse_args(argv)
    lines = [
        json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in dump_records(args.count)
    ]
    matcher = PromptMatcher.default()
    stages = pipelines()
    run(lines[-1:], matcher, stages)  # whatever a first record sets up lazily, in both runs
    strip.clear_caches(matcher)
    if args.none:
        return 0
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        started = time.process_time()
        profile.runcall(run, lines, matcher, stages)
        spent = time.process_time() - started
        print(f"{1e6 * spent / args.count:,.0f} µs CPU a record (profiled)")
        keys = (args.sort or "tottime").split(",")
        pstats.Stats(profile).sort_stats(*keys).print_stats(args.lines)
        return 0
    started = time.process_time()
    size = run(lines, matcher, stages, upto=args.upto)
    spent = time.process_time() - started
    print(f"{args.count} records, {size:,} bytes out, {1e6 * spent / args.count:,.0f} µs CPU each")
    if args.out:  # the same pass again, new stages and caches, its output kept
        strip.clear_caches(matcher)
        out = io.BytesIO()
        run(lines, matcher, pipelines(), out)
        with open(args.out, "wb") as target:
            target.write(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
