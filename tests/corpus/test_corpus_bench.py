"""The corpus benchmark's code runs (``make bench`` itself is not run in CI): its generated
shards hold the mix it claims, each bare reader counts every record, and its table renders.
No timing is asserted."""

from __future__ import annotations

from pathlib import Path

from benchmarks import corpus_bench


def test_the_generated_shards_and_the_bare_readers(tmp_path: Path) -> None:
    paths = corpus_bench.write_shards(tmp_path, 200)
    counts = {
        reader.__name__: reader(paths["warc"])
        for reader in (
            corpus_bench.reader_bare,
            corpus_bench.fastwarc_bare,
            corpus_bench.warcio_bare,
        )
    }
    assert set(counts.values()) == {400}  # a request and a response a page
    stories = list(corpus_bench.story_records(paths["warc"]))
    assert len(stories) == 1  # 0.5% of 200
    assert all("/stories/" in url for url, _ in stories)
    extract = corpus_bench.measure_extract(paths["warc"])
    assert extract["records"] == 1 and extract["ours_ms"] > 0


def test_the_table_renders() -> None:
    run = {"records": 8000, "records_per_s": 5000, "mb_per_s": 9.0, "seconds": 1.6}
    shard = {"file_mb": 14.0, "ours": run, "ceiling": run, "warcio": run, "reader": run}
    results = {
        "corpus": {
            "records": 4000,
            "measured_at": "2026-12-07T14:00:00+00:00",
            "warc": {**shard, "ratio": 1.0},
            "wet": shard,
            "workers": {"one_s": 2.0, "two_s": 1.1, "speedup": 1.8, "cpus": 2},
            "extract": {"records": 20, "ours_ms": 1.0, "trafilatura_ms": 3.0, "speedup": 3.0},
            "memory": {
                "small_mb": 3.0,
                "small_peak_rss_mb": 90,
                "large_mb": 14.0,
                "large_peak_rss_mb": 91,
            },
        }
    }
    table = corpus_bench.table(results)
    assert "| warc: ours / ceiling (≥ 0.5) | 1.0 |" in table
    assert "2 workers / 1 on 2 shards (≥ 1.7) | 1.8" in table
