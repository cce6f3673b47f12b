"""The frontier benchmark's parts at a tiny scale: the scheduler cost on a real server (both
schedulers hand back every request they took), and its table in BENCHMARKS.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks import frontier_bench, report
from tests.servers.valkey import Valkey


def test_scheduler_cost_on_a_real_server(valkey: Valkey) -> None:
    cost = frontier_bench.scheduler_cost(valkey.url, 200)
    assert cost["scheduler_us_per_request_local"] > 0
    assert cost["scheduler_us_per_request_shared"] > 0
    ratio = cost["scheduler_us_per_request_shared"] / cost["scheduler_us_per_request_local"]
    assert abs(cost["scheduler_cpu_ratio"] - ratio) < 0.05  # both rounded to 0.1 µs
    foreign = cost["scheduler_us_per_request_foreign"] / cost["scheduler_us_per_request_local"]
    assert cost["scheduler_us_per_request_foreign"] > 0
    assert abs(cost["scheduler_cpu_ratio_foreign"] - foreign) < 0.05


def test_the_table_goes_between_its_markers(tmp_path: Path) -> None:
    section = {
        "story_pages": 100,
        "delay_s": 0.2,
        "pages_per_s_1": 19.0,
        "pages_per_s_2": 37.0,
        "pages_per_s_4": 70.0,
        "speedup_2": 1.95,
        "speedup_4": 3.68,
        "scheduler_us_per_request_local": 30.0,
        "scheduler_us_per_request_shared": 90.0,
        "scheduler_us_per_request_foreign": 45.0,
        "scheduler_cpu_ratio": 3.0,
        "scheduler_cpu_ratio_foreign": 1.5,
        "measured_at": "2026-12-07T14:00:00+00:00",
    }
    results = {"frontier": section}
    targets = report.check_targets(results)
    assert targets["frontier.speedup_2"]["met"] is True
    assert targets["frontier.scheduler_cpu_ratio"]["met"] is False
    assert targets["frontier.scheduler_cpu_ratio_foreign"]["met"] is True
    markdown = tmp_path / "BENCHMARKS.md"
    markdown.write_text("# Benchmarks\n", encoding="utf-8")
    frontier_bench.write_markdown(markdown, results)
    frontier_bench.write_markdown(markdown, results)  # replaced, not added twice
    text = markdown.read_text(encoding="utf-8")
    assert text.count(frontier_bench.BEGIN) == 1
    assert "| 4 | 70.0 | 3.68x |" in text
    assert "shared 90.0 µs (3.00x)" in text
    assert "45.0 µs (1.50x) leased by another worker" in text


def test_a_section_measured_before_the_foreign_case_still_makes_its_table() -> None:
    section = {
        "story_pages": 100,
        "pages_per_s_1": 19.0,
        "pages_per_s_2": 37.0,
        "pages_per_s_4": 70.0,
        "scheduler_us_per_request_local": 30.0,
        "scheduler_us_per_request_shared": 36.0,
        "scheduler_cpu_ratio": 1.2,
    }
    text = frontier_bench.table({"frontier": section})
    assert text.endswith("shared 36.0 µs (1.20x).")
