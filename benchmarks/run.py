"""Run the benchmarks and write the results.

    python -m benchmarks.run            # default scale: benchmarks/results.json + BENCHMARKS.md
    python -m benchmarks.run --quick    # small scale, < 1 min: benchmarks/out/results-quick.json
    python -m benchmarks.run --only strip   # re-measure one section (repeatable), keep the rest

What is measured, and how: ``benchmarks.measure``; the files written: ``benchmarks.report``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Collection
from pathlib import Path

from benchmarks import (
    corpus_bench,
    frontier_bench,
    incremental_bench,
    index_bench,
    measure,
    report,
)
from benchmarks.measure import DEFAULT, OUT, QUICK, SECTIONS, Scale, log
from benchmarks.process import ROOT

RESULTS = ROOT / "benchmarks" / "results.json"
QUICK_RESULTS = OUT / "results-quick.json"
MARKDOWN = ROOT / "BENCHMARKS.md"


def bench(
    scale: Scale,
    output: Path,
    markdown: Path | None = None,
    only: Collection[str] | None = None,
    out: Path = OUT,
) -> report.Document:
    """Measure at ``scale`` (every section, or those in ``only`` on top of the results of the
    same scale already in ``output``), write ``output``, print the table and rewrite it in
    ``markdown`` when every section is there."""
    started = time.perf_counter()
    previous = report.read_results(output, scale.name) if only else None
    # index, corpus, frontier and incremental: benchmarks.index_bench, corpus_bench,
    # frontier_bench, incremental_bench
    extra = {"index", "corpus", "frontier", "incremental"}
    sections = set(only) - extra if only else None
    results = report.document(measure.measure(scale, sections, out), previous)
    if only is None or "index" in only:
        results["index"] = index_bench.measure_scale(scale.name)
    if only is None or "corpus" in only:
        results["corpus"] = corpus_bench.measure_scale(scale.name, out)
    if only is None or "frontier" in only:
        results["frontier"] = frontier_bench.measure_scale(scale.name)
    if only is None or "incremental" in only:
        results["incremental"] = incremental_bench.measure_scale(scale.name)
    if only is None or extra & set(only):
        results["targets"] = report.check_targets(results)
        if "updated" in results:  # on top of a previous document
            note = results["updated"]
            note.update(report.remeasured(results, only or (), note["date"]))
    report.write_results(output, results)
    log(f"wrote {output} in {time.perf_counter() - started:.0f} s")
    if report.complete(results):
        print(report.table(results))
        if markdown is not None:
            report.write_markdown(markdown, results)
            index_bench.write_markdown(markdown, results)
            corpus_bench.write_markdown(markdown, results)
            frontier_bench.write_markdown(markdown, results)
            incremental_bench.write_markdown(markdown, results)
            log(f"updated {markdown}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=f"{__doc__}\n{measure.__doc__}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small scale, under a minute")
    parser.add_argument("--output", type=Path, help="results JSON (default by scale)")
    parser.add_argument(
        "--markdown",
        type=Path,
        help="update the results table in this file (default: BENCHMARKS.md at the default "
        "scale; none with --quick)",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=(*SECTIONS, "index", "corpus", "frontier", "incremental"),
        help="repeatable",
    )
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else DEFAULT
    output = args.output or (QUICK_RESULTS if args.quick else RESULTS)
    markdown = args.markdown or (None if args.quick else MARKDOWN)
    bench(scale, output, markdown, set(args.only) if args.only else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
