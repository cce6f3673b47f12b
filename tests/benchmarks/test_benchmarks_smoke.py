"""The benchmark code runs (``make bench`` itself is not run in CI): a tiny mirror is
generated and read by our page classes, the strip measurement runs on a few bodies, a dump
record has the shape the dumps spider reads, the crawl launcher runs the bare spider over a
tiny mirror, and the report renders results of a known shape. No timing is asserted."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from scrapy.http import HtmlResponse

from aggregator import settings
from aggregator.pages import PageType, StoryPage, detect_page_type
from benchmarks import cold_pass, dumps_pass, index_bench, report, strip
from benchmarks.measure import (
    CrawlResult,
    DumpsResult,
    Machine,
    Measurements,
    MemoryResult,
    StrippingResult,
    quiet_rounds,
)
from benchmarks.mirror import write_mirror
from benchmarks.process import BARE, BARE_DUMPS, BARE_ITEMS, ISSUES, CrawlRun, crawl, crawl_command
from benchmarks.server import serve
from benchmarks.texts import bodies, dump_records


def test_mirror_pages_parse_with_our_page_classes(tmp_path: Path) -> None:
    mirror = write_mirror(tmp_path / "mirror", 20)
    assert mirror.story_pages == 20
    assert mirror.index.is_file()
    stories = sorted(tmp_path.glob("mirror/**/stories/**/*.html"))
    assert len(stories) == 20
    page = stories[0]
    url = "http://127.0.0.1/" + page.relative_to(mirror.root).as_posix()
    response = HtmlResponse(url, body=page.read_bytes(), encoding="utf-8")
    assert detect_page_type(response) is PageType.STORY
    article = StoryPage(response).article("2026-01-01T00:00:00+00:00")
    assert article.title and article.body
    # the same arguments reuse the files already there
    assert write_mirror(tmp_path / "mirror", 20) == mirror


def test_strip_measurement_runs() -> None:
    texts = bodies(6)
    result = strip.measure(texts, ["en"], repeats=1)
    assert result.bodies == len(texts) == 6
    assert result.megabytes > 0 and result.cold_mb_per_s > 0


def test_strip_pair_measures_both_sides_in_each_round() -> None:
    texts = bodies(6)
    pair = strip.measure_pair(texts, "en", rounds=3)
    assert pair.rounds == 3
    assert (pair.one.languages, pair.every.languages) == ("en", "all")
    assert pair.one.catalog_languages == ("en",)
    assert len(pair.every.catalog_languages) > 1
    assert pair.one.cold_mb_per_s > 0 and pair.every.warm_mb_per_s > 0
    low, high = pair.difference_range
    assert 0 <= low <= pair.difference <= high < 1


def test_cold_pass_cleans_and_leaves_the_caches_empty_before() -> None:
    from aggregator.prompts import PromptMatcher

    matcher = PromptMatcher.default(["en"])
    # a line's catalog match is remembered per flagged line on the fast engine
    memo = matcher._line_stage if matcher.engine == "hyperscan" else matcher._match_line_cached
    assert cold_pass.main(["en", "20", "--none"]) == 0
    assert memo.cache_info().currsize == 0  # cleared, nothing cleaned
    assert cold_pass.main(["en", "20"]) == 0
    assert memo.cache_info().currsize > 0  # the pass ran


def test_dumps_pass_exports_what_the_stages_keep(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert dumps_pass.main(["12", "--out", str(out)]) == 0
    exported = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert {item["type"] for item in exported} == {"article", "teaser"}
    assert all(item["word_count"] > 0 for item in exported if item["type"] == "article")
    assert dumps_pass.main(["12", "--upto", "page"]) == 0


def test_dump_records_are_url_and_text() -> None:
    record = next(dump_records(3))
    assert record["url"].startswith("https://www.magzter.com/")
    assert "/stories/" in record["url"]
    assert record["text"].strip()
    assert json.loads(json.dumps(record)) == record


GC_TUNING = "aggregator.extensions.gc_tuning.GcTuning"


def test_crawl_command_tells_each_spider_where_to_write(tmp_path: Path) -> None:
    def pairs(command: list[str]) -> set[tuple[str, str]]:
        return set(zip(command[5::2], command[6::2], strict=True))

    clock = ("-s", f"BENCH_CLOCK_FILE={tmp_path / 'clock.json'}")
    issues = crawl_command(ISSUES, tmp_path, {"start_urls": "http://127.0.0.1:1/index.html"})
    assert issues[2:5] == ["scrapy", "crawl", "issues"]
    # the project's extensions stay on, the clock is added to them
    extensions = json.dumps({**settings.EXTENSIONS, "benchmarks.clock.CrawlClock": 0})
    assert pairs(issues) == {
        ("-a", "start_urls=http://127.0.0.1:1/index.html"),
        ("-s", f"OUTPUT_DIR={tmp_path}"),
        ("-s", f"AGGREGATOR_STATS_FILE={tmp_path / 'stats.json'}"),
        ("-s", "LOG_LEVEL=WARNING"),
        ("-s", f"EXTENSIONS={extensions}"),
        clock,
    }
    bare = crawl_command(BARE_DUMPS, tmp_path, {"path": "d.jsonl"}, {"LOG_LEVEL": "INFO"})
    assert bare[4] == "bare_dumps"
    assert pairs(bare) == {
        ("-a", "path=d.jsonl"),
        ("-s", "SPIDER_MODULES=benchmarks.bare"),
        ("-s", f"BENCH_STATS_FILE={tmp_path / 'stats.json'}"),
        ("-s", "LOG_LEVEL=INFO"),
        # the bare spiders get the project's collector tuning, and the clock
        ("-s", f"EXTENSIONS={json.dumps({GC_TUNING: 100, 'benchmarks.clock.CrawlClock': 0})}"),
        clock,
    }


def test_bare_crawls_make_the_requests_of_the_full_crawl(tmp_path: Path) -> None:
    """bare fetches what the issues spider fetches (requests too: the dupefilter counts what
    was asked again); bare_items exports the full crawl's items through the same feeds."""
    mirror = write_mirror(tmp_path / "mirror", 24, with_chrome=True)
    with serve(mirror.root, 300) as server:
        start = f"{server.url}/index.html"
        bare = crawl(
            BARE, tmp_path / "bare", arguments={"start_url": start}, timeout=120, watch=server.pid
        )
        full = crawl(ISSUES, tmp_path / "full", arguments={"start_urls": start}, timeout=120)
        items = crawl(
            BARE_ITEMS,
            tmp_path / "items",
            arguments={"start_url": start, "items": str(tmp_path / "full")},
            timeout=120,
        )
    assert bare.pages == full.pages == items.pages == mirror.pages
    filtered = "dupefilter/filtered"
    assert bare.stats.get(filtered, 0) == full.stats.get(filtered, 0)
    assert bare.items == 0 and items.items == full.items > 0
    for feed in ("articles.jsonl", "teasers.jsonl"):
        ours = (tmp_path / "full" / feed).read_text(encoding="utf-8").splitlines()
        theirs = (tmp_path / "items" / feed).read_text(encoding="utf-8").splitlines()
        assert sorted(ours) == sorted(theirs)
    assert bare.watched_cpu_s is not None and bare.max_rss_mb > 0
    # the clock measured the crawl phase of each
    for run in (bare, full, items):
        assert 0 < run.crawl_cpu_s <= run.cpu_s and run.crawl_wait_s >= 0


def _run(number: int) -> CrawlRun:
    return CrawlRun(
        name="full",
        wall_s=2.0 + number,
        elapsed_s=1.0 + number,
        cpu_s=1.5,
        max_rss_mb=200.04 + number,
        pages=100,
        items=150,
        load=(0.5, 0.25),
        stats={"settings": {"CONCURRENT_REQUESTS": 16}},
    )


def _measurements() -> Measurements:
    runs = [_run(0), _run(1)]
    return Measurements(
        scale="tiny",
        machine=Machine(2, "cpu", "3.11", "2.0", "24.0", "linux"),
        started_at="2026-01-01T00:00:00+00:00",
        finished_at="2026-01-01T00:01:00+00:00",
        duration_s=60.04,
        only=None,
        crawl=CrawlResult(
            pages=100,
            story_pages=80,
            mirror_mb=1.26,
            runs=2,
            bare_pages_per_s=100.04,
            full_pages_per_s=90.06,
            full_items_per_s=135.0,
            full_items=150,
            ratio=0.90024,
            bare_wall_s=2.5,
            full_wall_s=3.5,
            ratio_wall=0.714,
            ratio_cpu=0.9,
            bare_cpu_ms_per_page=15.0,
            full_cpu_ms_per_page=16.0,
            bare_items_pages_per_s=95.0,
            bare_items_cpu_ms_per_page=15.5,
            ratio_vs_bare_items=0.948,
            ratio_vs_bare_items_cpu=0.97,
            project_cpu_ms_per_page=0.625,
            cpu_wait_share=0.05,
            rounds_counted=2,
            rounds_contended=0,
            contended=False,
            max_wait_share=0.05,
            project_cpu_ms_per_page_range=(0.5, 0.75),
            ratio_vs_bare_items_range=(0.9, 1.0),
            ratio_vs_bare_items_cpu_range=(0.95, 0.99),
            cpu_wait_s_per_run=0.1,
            involuntary_switches_per_run=100,
            mirror_story_page_kb=140.0,
            server_cpu_s_per_run=None,
            settings_bare={"CONCURRENT_REQUESTS": 16},
            bare_runs=runs,
            full_runs=runs,
            bare_items_runs=runs,
            measured_at="t",
        ),
        memory=MemoryResult(
            pages_small=80,
            pages_large=800,
            fetched_small=100,
            fetched_large=900,
            runs_small=2,
            runs_large=1,
            rss_mb_small=200.5,
            rss_mb_large=210.0,
            ratio=1.047,
            rss_mb_100k=None,
            large_wall_s=20.0,
            large_full_pages_per_s=80.0,
            large_items=1400,
            large_runs=runs[:1],
            measured_at="t",
        ),
        strip=StrippingResult(
            megabytes=0.5,
            bodies=10,
            runs=5,
            catalog_languages=("en", "nb"),
            mb_per_s_one_language=60.123,
            mb_per_s_all_languages=55.0,
            one_vs_all_difference=0.0852,
            warm_mb_per_s_one_language=70.0,
            warm_mb_per_s_all_languages=65.0,
            bodies_with_prompt_removed_one_language=0.5,
            bodies_with_prompt_removed_all_languages=0.6,
            measured_at="t",
        ),
        dumps=DumpsResult(
            records=100,
            megabytes=0.44,
            runs=1,
            records_per_s=2500.0,
            records_per_s_wall=2000.0,
            items=200,
            items_per_s=5000.0,
            items_dropped=0,
            elapsed_s=0.04,
            wall_s=1.0,
            max_rss_mb=150.0,
            bare_items_per_record=2,
            bare_records_per_s=5000.0,
            ceiling_records_per_s=5000.0,
            bare_items_per_s=10000.0,
            ratio=0.5,
            ratio_cpu=0.45,
            load_average=(0.123, 0.456),
            measured_at="t",
        ),
    )


def test_report_renders_the_results_and_the_table(tmp_path: Path) -> None:
    results = report.document(_measurements())
    assert list(results) == [
        *("date", "scale", "machine", "crawl", "memory", "strip", "dumps"),
        *("duration_s", "targets"),
    ]
    crawl_section = results["crawl"]
    assert crawl_section["ratio"] == 0.9 and crawl_section["bare_pages_per_s"] == 100.0
    assert crawl_section["server_cpu_s_per_run"] is None
    assert crawl_section["bare_runs"][1] == {
        "pages": 100,
        "items": 150,
        "elapsed_s": 2.0,
        "wall_s": 3.0,
        "cpu_s": 1.5,
        "crawl_cpu_s": 0.0,
        "crawl_wait_s": 0.0,
        "involuntary_switches": 0,
        "max_rss_mb": 201.0,
        "pages_per_s": 50.0,
        "items_per_s": 75.0,
        "load_average": [0.5, 0.25],
    }
    assert results["strip"]["catalog_languages"] == ["en", "nb"]
    assert results["dumps"]["load_average"] == [0.12, 0.46]
    assert results["duration_s"] == 60.0
    assert results["targets"]["crawl.project_cpu_ms_per_page"] == {
        "target": "<= 1",
        "value": 0.62,
        "met": True,
    }
    assert results["targets"]["dumps.ratio"] == {"target": ">= 0.5", "value": 0.5, "met": True}
    for key in ("bare_items_pages_per_s", "ratio_vs_bare_items", "project_cpu_ms_per_page"):
        assert key in crawl_section
    assert "ceiling_records_per_s" in results["dumps"] and "rss_mb_100k" in results["memory"]
    assert results["targets"]["strip.mb_per_s_all_languages"]["met"] is False  # < 100
    assert json.loads(json.dumps(results)) == results
    table = report.table(results)
    assert len(table.splitlines()) == 18
    assert (
        "| crawl ratio full / bare plus items, median of 2 paired rounds (range) "
        "| 0.95 (0.90–1.00) | >= 0.8 | met |"
    ) in table
    assert "| 0.62 ms (0.50–0.75) | <= 1 ms | met |" in table

    page = tmp_path / "BENCHMARKS.md"
    page.write_text(f"# B\n\nbefore\n{report.BEGIN}\nold\n{report.END}\nafter\n", encoding="utf-8")
    report.write_markdown(page, results)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# B\n\nbefore\n" + report.BEGIN) and text.endswith(
        report.END + "\nafter\n"
    )
    assert "old" not in text and table in text


def test_a_contended_crawl_is_no_result() -> None:
    measured = _measurements()
    assert measured.crawl is not None
    busy = replace(measured.crawl, contended=True, rounds_counted=0, max_wait_share=0.31)
    results = report.document(replace(measured, crawl=busy))
    for key in ("crawl.project_cpu_ms_per_page", "crawl.ratio_vs_bare_items"):
        assert results["targets"][key]["met"] is None  # no verdict
    table = report.table(results)
    assert "no result: every round waited > 5% for a CPU (up to 31%)" in table
    assert "0.62 ms" not in table


def _waiting(share: float) -> CrawlRun:
    return replace(_run(0), elapsed_s=10.0, crawl_wait_s=10.0 * share)


def test_rounds_with_a_crawl_that_waited_are_left_out() -> None:
    quiet = (_waiting(0.0), _waiting(0.01), _waiting(0.05))
    busy = (_waiting(0.0), _waiting(0.2), _waiting(0.0))
    assert quiet_rounds([quiet, busy, quiet]) == [quiet, quiet]
    assert quiet_rounds([busy]) == []


def test_report_keeps_the_sections_not_measured_again() -> None:
    previous = report.document(_measurements())
    again = replace(_measurements(), only=frozenset({"strip"}), crawl=None, memory=None, dumps=None)
    results = report.document(again, previous)
    assert results["crawl"] == previous["crawl"] and results["date"] == previous["date"]
    assert results["updated"] == {
        "date": "2026-01-01T00:01:00+00:00",
        "sections": ["strip"],
        "measured": {"strip": "2026-01-01T00:01:00+00:00"},
        "duration_s": 60.0,
    }
    assert report.complete(results)
    # a later --only run of another section keeps the date of the first one's
    later = replace(again, only=frozenset({"dumps"}), finished_at="2026-01-02T00:00:00+00:00")
    both = report.document(later, results)
    assert both["updated"]["measured"] == {
        "strip": "2026-01-01T00:01:00+00:00",
        "dumps": "2026-01-02T00:00:00+00:00",
    }
    line = report.markdown_section(both).splitlines()[2]
    assert "dumps on 2026-01-02T00:00:00+00:00, strip on 2026-01-01T00:01:00+00:00" in line


def test_index_benchmark_runs_and_renders(tmp_path: Path) -> None:
    section = index_bench.measure(60, 12, engines=("sqlite",))
    assert section["articles"] == 60 and section["queries"] == 12
    numbers = section["sqlite"]
    assert numbers["docs_per_s"] > 0 and numbers["query_ms_p95"] >= numbers["query_ms_p50"] > 0
    assert numbers["results_per_query"] > 0  # the queries find what was generated
    results = {"index": section}
    targets = report.check_targets(results)
    assert targets["index.sqlite.docs_per_s"]["value"] == numbers["docs_per_s"]
    assert targets["index.postgres.docs_per_s"]["met"] is None
    page = tmp_path / "BENCHMARKS.md"
    page.write_text("# B\n", encoding="utf-8")
    index_bench.write_markdown(page, results)
    index_bench.write_markdown(page, results)  # rewritten in place, not appended again
    text = page.read_text(encoding="utf-8")
    assert text.count("## Search index") == 1 and "| sqlite |" in text
    assert "| postgres | not measured |" in text
