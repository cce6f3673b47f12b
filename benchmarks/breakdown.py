"""Where the time of a crawl goes, stage by stage, in one process without Scrapy's engine.

    python -m benchmarks.breakdown [--pages 1000] [--records 2000]

Replays the story pages of a generated mirror through our page classes and pipelines, and
generated dump records through the dump reader, timing each stage (microseconds per page or
per record, and per item for the pipelines). What a real crawl costs beyond the sum of these
stages is Scrapy's own per-request and per-item machinery (compare ``full_cpu_ms_per_page``
and ``bare_cpu_ms_per_page`` in results.json). A profiling aid, not part of ``make bench``.
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from scrapy.utils.misc import load_object

from aggregator.corpus.saved_texts import parse_line
from aggregator.feeds.exporter import JsonLinesExporter
from aggregator.pages import StoryPage, detect_page_type
from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.spidermiddlewares.repeats import RepeatTeasersMiddleware
from benchmarks import strip
from benchmarks.mirror import plan, render
from benchmarks.texts import dump_records

CRAWLED_AT = "2026-01-01T00:00:00+00:00"


class Stats:
    """The part of Scrapy's stats collector the item stages use."""

    def __init__(self) -> None:
        self.values: dict[str, int] = defaultdict(int)

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] += count


@dataclass
class Timer:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def time(self, stage: str, function: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            self.seconds[stage] += time.perf_counter() - started
            self.calls[stage] += 1


def _project() -> tuple[Settings, SimpleNamespace]:
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    return settings, SimpleNamespace(settings=settings, stats=Stats(), signals=SignalManager())


def _build(cls: Any, crawler: Any) -> Any:
    return cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls(crawler)


def pipelines() -> list[tuple[str, Any]]:
    """The project's item stages, in order, built as Scrapy builds them: the spider
    middlewares that filter items (``get_processed_item``), then ``ITEM_PIPELINES``."""
    settings, crawler = _project()
    stages: list[tuple[str, Any]] = []
    middlewares = settings.getdict("SPIDER_MIDDLEWARES")
    # the spider's output meets the highest-numbered middleware first
    for path, order in sorted(middlewares.items(), key=lambda kv: -(kv[1] or 0)):
        if order is None:
            continue
        try:
            middleware = _build(load_object(path), crawler)
        except NotConfigured:  # off in a plain crawl (ResumeMiddleware: AGGREGATOR_STATE)
            continue
        if hasattr(middleware, "get_processed_item"):
            stages.append((f"spider mw {type(middleware).__name__}", middleware))
    for path, order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
        if order is None:
            continue
        cls = load_object(path)
        stages.append(
            (f"pipeline {cls.__name__.removesuffix('Pipeline').lower()}", _build(cls, crawler))
        )
    return stages


def _apply(stage: Any, item: Any) -> Any:
    if hasattr(stage, "get_processed_item"):
        kept = stage.get_processed_item(item, None)
        if kept is None:
            raise LookupError("dropped by a spider middleware")
        return kept
    return stage.process_item(item)


def run_items(timer: Timer, stages: list[tuple[str, Any]], items: Iterable[Any]) -> int:
    """Each item through the item stages in order, then the feed exporter; exported count."""
    exporter = JsonLinesExporter(io.BytesIO(), encoding="utf-8")  # the feeds' exporter
    exported = 0
    for item in items:
        kept = True
        for name, stage in stages:
            try:
                item = timer.time(name, _apply, stage, item)
            except Exception:  # DropItem, or a middleware's drop
                kept = False
                break
        if kept:
            timer.time("feed export", exporter.export_item, item)
            exported += 1
    return exported


def crawl_breakdown(pages: int) -> tuple[Timer, int, int]:
    files = render(plan(pages), with_chrome=True)  # the crawl benchmark's realistic pages
    html = [
        ("http://127.0.0.1/" + path, text.encode("utf-8"))
        for path, text in files.items()
        if "/stories/" in path
    ]
    timer = Timer()
    stages = pipelines()
    strip.clear_caches(PromptMatcher.default())
    items = 0
    exported = 0
    repeats = next(stage for _, stage in stages if isinstance(stage, RepeatTeasersMiddleware))
    for url, body in html:
        response = HtmlResponse(url, body=body, encoding="utf-8")
        timer.time("html parse (lxml tree; bare pays it too)", getattr, response, "selector")
        timer.time("detect_page_type", detect_page_type, response)
        page = timer.time("StoryPage(response): layout + readings", StoryPage, response)
        article = timer.time("StoryPage.article", page.article, CRAWLED_AT)
        teasers = timer.time("StoryPage.teasers", page.teasers, repeats.is_repeat)
        items += 1 + len(teasers)
        exported += run_items(timer, stages, [article, *teasers])
    return timer, items, exported


def dumps_breakdown(records: int) -> tuple[Timer, int, int]:
    lines = [json.dumps(r, ensure_ascii=False) for r in dump_records(records)]
    matcher = PromptMatcher.default()
    timer = Timer()
    stages = pipelines()
    strip.clear_caches(PromptMatcher.default())
    items = 0
    exported = 0
    repeats = next(stage for _, stage in stages if isinstance(stage, RepeatTeasersMiddleware))
    for number, line in enumerate(lines, 1):
        record: Any = timer.time("read record (json)", parse_line, number, line)
        page = timer.time(
            "SavedTextPage(...): repair, lines, scan, segments",
            SavedTextPage,
            record.url,
            record.text,
            matcher,
        )
        article = timer.time("SavedTextPage.article", page.article, CRAWLED_AT)
        teasers = timer.time("SavedTextPage.teasers", page.teasers, repeats.is_repeat)
        produced = ([article] if article is not None else []) + list(teasers)
        items += len(produced)
        exported += run_items(timer, stages, produced)
    return timer, items, exported


def report(title: str, unit: str, count: int, timer: Timer, items: int, exported: int) -> str:
    total = sum(timer.seconds.values())
    lines = [
        f"{title}: {count} {unit}s, {items} items ({exported} exported); "
        f"{1e6 * total / count:,.0f} µs per {unit} in our code",
        f"  {'stage':<48} {'µs/' + unit:>10} {'share':>6} {'µs/call':>9}",
    ]
    for stage, seconds in sorted(timer.seconds.items(), key=lambda kv: -kv[1]):
        lines.append(
            f"  {stage:<48} {1e6 * seconds / count:>10,.0f} {seconds / total:>6.0%} "
            f"{1e6 * seconds / timer.calls[stage]:>9,.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.breakdown")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args(argv)
    PromptMatcher.default()  # built once, outside the timings
    timer, items, exported = crawl_breakdown(args.pages)
    print(report("crawl (story pages)", "page", args.pages, timer, items, exported))
    print()
    timer, items, exported = dumps_breakdown(args.records)
    print(report("dumps", "record", args.records, timer, items, exported))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
