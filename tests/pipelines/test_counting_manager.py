"""The project's item processor counts what the health extension reports; with Scrapy's own
processor the extension counts through ``item_scraped``, to the same verdict and summary.
Real ``scrapy crawl`` processes over samples/."""

from __future__ import annotations

from pathlib import Path

from tests.support.crawl import CrawlResult, file_url, run_crawl
from tests.support.paths import SAMPLES, SECOND_LOCALE

SUMMARY = "aggregator: healthy: 45 articles, 69 teasers published; 0 stories lost"


def published(result: CrawlResult) -> tuple[int, int, int]:
    stats = result.stats
    counts = (stats["aggregator/published/articles"], stats["aggregator/published/teasers"])
    return (*counts, stats["item_scraped_count"])


def test_either_item_processor_counts_what_was_published(
    tmp_path: Path, samples_crawl: CrawlResult
) -> None:
    # the project's processor (aggregator.pipelines.manager): the samples crawl of conftest
    assert SUMMARY in samples_crawl.stderr.strip().splitlines()[-1]
    assert published(samples_crawl) == (45, 69, 45 + 69)
    assert len(samples_crawl.articles) == 45 and len(samples_crawl.teasers) == 69
    scrapys = run_crawl(
        "issues",
        tmp_path / "out",
        "-a",
        f"start_urls={file_url(SAMPLES / 'index.html')},{file_url(SAMPLES / SECOND_LOCALE)}",
        "-s",
        "ITEM_PROCESSOR=scrapy.pipelines.ItemPipelineManager",
    )
    assert scrapys.returncode == 0, scrapys.stderr[-2000:]
    assert SUMMARY in scrapys.stderr.strip().splitlines()[-1]
    assert published(scrapys) == published(samples_crawl)
