"""The collector's tuning over real crawls: what is alive at the start is frozen, the
thresholds are the settings' during the crawl and Python's again after it, the collections
are counted in the stats; off, the collector is left alone and no stats are written."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured

from aggregator import settings as project
from aggregator.extensions.gc_tuning import GcTuning, thresholds
from tests.support.crawl import CrawlResult, file_url, run_crawl
from tests.support.crawlers import finished, open_crawler
from tests.support.paths import SAMPLES

PROBE = "tests.extensions.gc_probe.GcProbe"
GC_KEYS = (
    "aggregator/gc/frozen_objects",
    "aggregator/gc/collections_gen0",
    "aggregator/gc/collections_gen1",
    "aggregator/gc/collections_gen2",
    "aggregator/gc/collected",
    "aggregator/gc/cpu_seconds",
)


def probed_crawl(out: Path, *settings: str) -> tuple[CrawlResult, dict[str, Any]]:
    """``scrapy crawl issues`` over samples/ with the probe after the tuning, and what the
    probe saw."""
    extensions = json.dumps({**project.EXTENSIONS, PROBE: 900})
    options = [f"EXTENSIONS={extensions}", f"GC_PROBE_FILE={out / 'probe.json'}", *settings]
    arguments = ["-a", f"start_urls={file_url(SAMPLES / 'index.html')}"]
    for option in options:
        arguments += ["-s", option]
    result = finished(run_crawl("issues", out, *arguments, log_level="WARNING"))
    seen: dict[str, Any] = json.loads((out / "probe.json").read_text(encoding="utf-8"))
    return result, seen


def test_a_crawl_runs_tuned_and_ends_restored(tmp_path: Path) -> None:
    result, seen = probed_crawl(tmp_path, "AGGREGATOR_GC_THRESHOLDS=5000,15,12")
    stats = result.stats
    assert stats["aggregator/gc/frozen_objects"] > 10_000  # modules, catalogs, Scrapy's
    assert stats["aggregator/gc/collections_gen0"] > 0
    assert stats["aggregator/gc/collections_gen0"] >= stats["aggregator/gc/collections_gen1"]
    assert stats["aggregator/gc/cpu_seconds"] >= 0
    assert seen["opened"] == [5000, 15, 12]
    # frozen objects that die (by reference counting) leave the permanent generation
    assert 0.9 * stats["aggregator/gc/frozen_objects"] < seen["frozen_opened"]
    assert seen["frozen_opened"] <= stats["aggregator/gc/frozen_objects"]
    assert seen["stopped"] == seen["started"] != [5000, 15, 12]
    assert seen["frozen_stopped"] == 0
    assert len(result.articles) > 0


def test_off_leaves_the_collector_alone(tmp_path: Path) -> None:
    result, seen = probed_crawl(
        tmp_path, "AGGREGATOR_GC_TUNING=False", "AGGREGATOR_GC_THRESHOLDS=5000,15,12"
    )
    assert not [key for key in result.stats if key.startswith("aggregator/gc/")]
    assert seen["opened"] == seen["stopped"] == seen["started"]
    assert seen["frozen_opened"] == seen["frozen_stopped"] == 0
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(open_crawler(AGGREGATOR_GC_TUNING=False))


def test_in_process_the_collector_is_put_back() -> None:
    before = gc.get_threshold()
    crawler = open_crawler(AGGREGATOR_GC_THRESHOLDS=[before[0] + 1234, 11])
    tuning = GcTuning.from_crawler(crawler)
    tuning.spider_opened()
    try:
        assert gc.get_threshold() == (before[0] + 1234, 11, before[2])
        assert gc.get_freeze_count() > 0
        gc.collect(0)  # counted by the hook
    finally:
        tuning.engine_stopped()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert tuning._watch not in gc.callbacks
    assert crawler.stats is not None
    counted = {key: crawler.stats.get_value(key) for key in GC_KEYS}
    assert counted["aggregator/gc/collections_gen0"] >= 1
    assert all(value is not None for value in counted.values())


def test_default_thresholds_are_pythons() -> None:
    assert thresholds(open_crawler().settings) == ()
    assert project.AGGREGATOR_GC_THRESHOLDS == []


@pytest.mark.parametrize("bad", ["abc", "700,10,10,10", "-5"])
def test_bad_thresholds_stop_the_crawl_with_one_line(tmp_path: Path, bad: str) -> None:
    start = f"start_urls={file_url(SAMPLES / 'index.html')}"
    result = run_crawl("issues", tmp_path, "-a", start, "-s", f"AGGREGATOR_GC_THRESHOLDS={bad}")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    must = "AGGREGATOR_GC_THRESHOLDS must be one to three integers >= 0 (gc.set_threshold)"
    assert lines == [f"scrapy crawl issues: {must}, not {bad!r}"]
    assert not (tmp_path / "articles.jsonl").exists()
