"""The report of a benchmark run: the results document (``benchmarks/results.json``: one
section a measurement, the machine, the targets met or missed) and the results table of
BENCHMARKS.md, rewritten between the ``BEGIN`` and ``END`` markers.

``document`` makes the document from ``benchmarks.measure.Measurements``, on top of a previous
document when only some sections were re-measured; the table is rendered from the document,
so that the sections kept from the previous run show in it too.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin, get_type_hints

from benchmarks.measure import MAX_WAIT_SHARE, SECTIONS, Digits, Measurements
from benchmarks.process import CrawlRun

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Document = dict[str, Any]  # the JSON of results.json

BEGIN = "<!-- benchmarks:results:begin (written by `make bench`) -->"
END = "<!-- benchmarks:results:end -->"

# Issue 25's targets (issue 13's for memory): our code per story page against "bare plus
# the same items", the dumps against the same run's bare ceiling, memory at 100,000 story
# pages against 1,000. The crawl's are judged only on a run quiet enough to measure on.
TARGETS = {
    "crawl.project_cpu_ms_per_page": ("<=", 1.0),
    "crawl.ratio_vs_bare_items": (">=", 0.8),
    "memory.ratio": ("<=", 1.3),
    "strip.mb_per_s_one_language": (">=", 100.0),
    "strip.mb_per_s_all_languages": (">=", 100.0),
    "strip.one_vs_all_difference": ("<=", 0.1),
    "dumps.ratio": (">=", 0.5),
    # benchmarks.incremental_bench: a no-change run at most 2% of the first run's requests
    "incremental.10000.no_change_share": ("<=", 0.02),
    # benchmarks.index_bench
    "index.sqlite.docs_per_s": (">=", 5000.0),
    "index.sqlite.query_ms_p95": ("<=", 20.0),
    "index.postgres.docs_per_s": (">=", 5000.0),
    # benchmarks.corpus_bench (issue 21)
    "corpus.warc.ratio": (">=", 0.5),
    "corpus.workers.speedup": (">=", 1.7),
    "corpus.extract.speedup": (">=", 2.0),
    # benchmarks.frontier_bench (issue 22)
    "frontier.speedup_2": (">=", 1.8),
    "frontier.speedup_4": (">=", 3.2),
    "frontier.scheduler_cpu_ratio": ("<=", 1.5),
    # the same, each request leased by a worker that did not queue it
    "frontier.scheduler_cpu_ratio_foreign": ("<=", 1.5),
}


# --- results.json -------------------------------------------------------------------------------


def document(measured: Measurements, previous: Mapping[str, Any] | None = None) -> Document:
    """The results document: every section of ``measured``, or, given the ``previous``
    document of the same scale, that one with the sections measured now replaced and an
    ``updated`` note."""
    results: Document = dict(previous or {})
    if previous is None:
        results.update(
            {
                "date": measured.started_at,
                "scale": measured.scale,
                "machine": plain(measured.machine),
            }
        )
    for name in SECTIONS:
        section: DataclassInstance | None = getattr(measured, name)
        if section is not None:
            results[name] = plain(section)
    duration = round(measured.duration_s, 1)
    if previous is None:
        results["duration_s"] = duration
    else:
        results["updated"] = remeasured(previous, measured.only or (), measured.finished_at)
        results["updated"]["duration_s"] = duration
    results["targets"] = check_targets(results)
    return results


def remeasured(previous: Mapping[str, Any], sections: Iterable[str], date: str) -> Document:
    """The ``updated`` note after re-measuring ``sections`` on ``date``: each section keeps the
    date it was last measured (``measured``), so a figure of an earlier ``--only`` run is not
    shown as the full run's."""
    note = previous.get("updated") or {}
    earlier = note.get("measured") or dict.fromkeys(note.get("sections", ()), note.get("date"))
    measured = dict(earlier)
    measured.update(dict.fromkeys(sections, date))
    return {"date": date, "sections": sorted(measured), "measured": measured}


def plain(result: DataclassInstance) -> dict[str, Any]:
    """A result's fields as JSON values, in field order: floats rounded to their ``Digits``,
    tuples as lists, crawl runs summarised (``run_summary``)."""
    hints = get_type_hints(type(result), include_extras=True)
    return {
        field.name: _json(getattr(result, field.name), _places(hints[field.name]))
        for field in dataclasses.fields(result)
    }


def _places(hint: Any) -> int | None:
    if get_origin(hint) is Annotated:
        for extra in get_args(hint)[1:]:
            if isinstance(extra, Digits):
                return extra.places
    return None


def _json(value: Any, places: int | None) -> Any:
    if isinstance(value, CrawlRun):
        return run_summary(value)
    if isinstance(value, list | tuple):
        return [_json(item, places) for item in value]
    if isinstance(value, float) and places is not None:
        return round(value, places)
    return value


def run_summary(run: CrawlRun) -> dict[str, Any]:
    return {
        "pages": run.pages,
        "items": run.items,
        "elapsed_s": round(run.elapsed_s, 3),
        "wall_s": round(run.wall_s, 3),
        "cpu_s": round(run.cpu_s, 3),
        "crawl_cpu_s": round(run.crawl_cpu_s, 3),
        "crawl_wait_s": round(run.crawl_wait_s, 3),
        "involuntary_switches": run.involuntary_switches,
        "max_rss_mb": round(run.max_rss_mb, 1),
        "pages_per_s": round(run.pages_per_s, 1),
        "items_per_s": round(run.items_per_s, 1),
        "load_average": [round(x, 2) for x in run.load],
    }


def lookup(results: Mapping[str, Any], dotted: str) -> Any:
    value: Any = results
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def check_targets(results: Mapping[str, Any]) -> dict[str, Any]:
    checked = {}
    for key, (op, bound) in TARGETS.items():
        value = lookup(results, key)
        met = None
        section = lookup(results, key.split(".", 1)[0])
        if isinstance(section, dict) and section.get("contended"):
            pass  # measured on a machine too busy: no verdict
        elif isinstance(value, int | float):
            met = value >= bound if op == ">=" else value <= bound
        checked[key] = {"target": f"{op} {bound:g}", "value": value, "met": met}
    return checked


def complete(results: Mapping[str, Any]) -> bool:
    """Whether the document has every section (the table needs them all)."""
    return all(name in results for name in SECTIONS)


def write_results(path: Path, results: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_results(path: Path, scale: str) -> Document | None:
    """The document at ``path`` if there is one of this scale."""
    if not path.is_file():
        return None
    results: Document = json.loads(path.read_text(encoding="utf-8"))
    return results if results.get("scale") == scale else None


# --- BENCHMARKS.md ------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 1) -> str:
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "–" if value is None else str(value)


def _met(results: Mapping[str, Any], key: str) -> str:
    met = results["targets"][key]["met"]
    return "–" if met is None else ("met" if met else "**missed**")


def table(results: Mapping[str, Any]) -> str:
    c, m, s, d = (results[k] for k in SECTIONS)

    def judged(key: str, unit: str = "") -> tuple[str, str]:
        """The target and verdict columns of the row of the target ``key``."""
        return results["targets"][key]["target"] + unit, _met(results, key)

    languages = {
        "one_language": "1 language (`en`)",
        "all_languages": f"all {len(s['catalog_languages'])} languages",
    }

    def paired(key: str, digits: int, unit: str = "") -> str:
        """A crawl figure paired by round: its median and range, or why it is no result."""
        if c.get("contended"):
            return (
                f"no result: every round waited > {100 * MAX_WAIT_SHARE:.0f}% for a CPU "
                f"(up to {100 * c['max_wait_share']:.0f}%)"
            )
        low, high = c.get(f"{key}_range") or (None, None)
        spread = f" ({_fmt(low, digits)}–{_fmt(high, digits)})" if low is not None else ""
        return f"{_fmt(c[key], digits)}{unit}{spread}"

    rounds = (
        f", median of {c['rounds_counted']} paired rounds (range)"
        if c.get("rounds_counted")
        else ""
    )
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
            "bare plus the same items, same feeds",
            f"{_fmt(c['bare_items_pages_per_s'])} pages/s",
            "ceiling",
            "",
        ),
        (
            f"crawl ratio full / bare plus items{rounds}",
            paired("ratio_vs_bare_items", 2),
            *judged("crawl.ratio_vs_bare_items"),
        ),
        (
            f"our code per story page (CPU, full minus bare plus items){rounds}",
            paired("project_cpu_ms_per_page", 2, " ms"),
            *judged("crawl.project_cpu_ms_per_page", " ms"),
        ),
        (
            "CPU per page: bare / bare plus items / full",
            f"{_fmt(c['bare_cpu_ms_per_page'], 2)} / {_fmt(c['bare_items_cpu_ms_per_page'], 2)}"
            f" / {_fmt(c['full_cpu_ms_per_page'], 2)} ms",
            "",
            "",
        ),
        (
            "crawl ratio full / bare: pages/s, CPU, wall clock",
            f"{_fmt(c['ratio'], 2)}, {_fmt(c['ratio_cpu'], 2)}, {_fmt(c['ratio_wall'], 2)}",
            "",
            "",
        ),
        (
            "time the crawls waited for a CPU (shared machine)",
            f"{100 * c['cpu_wait_share']:.0f}% of the crawl phase"
            + (
                f" (median; longest {100 * c['max_wait_share']:.0f}%, "
                f"{c['rounds_contended']} rounds left out)"
                if "max_wait_share" in c  # (a run before the 5% rule has no such figures)
                else ""
            ),
            f"≤ {100 * MAX_WAIT_SHARE:.0f}%",
            "",
        ),
        (
            f"peak RSS at {m['pages_small']:,} / {m['pages_large']:,} story pages (state on)",
            f"{_fmt(m['rss_mb_small'], 0)} MB / {_fmt(m['rss_mb_large'], 0)} MB",
            "",
            "",
        ),
        ("memory ratio large / small", _fmt(m["ratio"], 2), *judged("memory.ratio")),
        *(
            (
                f"prompt stripping, {label}",
                f"{_fmt(s[f'mb_per_s_{which}'])} MB/s (warm {_fmt(s[f'warm_mb_per_s_{which}'])})",
                *judged(f"strip.mb_per_s_{which}", " MB/s"),
            )
            for which, label in languages.items()
        ),
        (
            "stripping, 1 vs all languages",
            f"{100 * s['one_vs_all_difference']:.0f}% apart",
            f"≤ {100 * TARGETS['strip.one_vs_all_difference'][1]:.0f}%",
            _met(results, "strip.one_vs_all_difference"),
        ),
        (
            f"`scrapy crawl dumps`, {d['records']:,} records",
            f"{_fmt(d['records_per_s'])} records/s, {_fmt(d['items_per_s'])} items/s",
            "",
            "",
        ),
        (
            f"bare Scrapy, same file, {d['bare_items_per_record']} items per record",
            f"{_fmt(d['bare_records_per_s'])} records/s, {_fmt(d['bare_items_per_s'])} items/s",
            "ceiling",
            "",
        ),
        ("dumps ratio ours / ceiling", _fmt(d["ratio"], 2), *judged("dumps.ratio")),
    ]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def markdown_section(results: Mapping[str, Any]) -> str:
    mach = results["machine"]
    lines = [
        BEGIN,
        f"Run of {results['date']} ({results['scale']} scale, {results['duration_s']:.0f} s) "
        f"on {mach['cpus']} CPUs ({mach['cpu']}), Python {mach['python']}, "
        f"Scrapy {mach['scrapy']}. Full numbers: `benchmarks/results.json`.",
    ]
    updated = results.get("updated")
    if updated:
        dates = updated.get("measured") or dict.fromkeys(updated["sections"], updated["date"])
        since = ", ".join(f"{name} on {dates[name]}" for name in sorted(dates))
        lines.append(f"Re-measured since (`python -m benchmarks.run --only ...`): {since}.")
    return "\n".join([*lines, "", table(results), END])


def write_markdown(path: Path, results: Mapping[str, Any]) -> None:
    """Rewrite the results section of ``path`` (between the markers), or append one."""
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


def replace_block(path: Path, begin: str, end: str, block: str, heading: str) -> None:
    """Put ``block`` (its markers included) between ``begin`` and ``end`` in the Markdown file
    ``path``, or at its end under ``## heading`` when the markers are not there yet."""
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
