"""The scheduled run on samples/ (a mirror on disk, ``file://``, no validators): story pages
the mirror does not have (premium stories known from their cards only) are settled as
missing, so their issues count as seen in full and a second run reads the catalog and each
publication page only."""

from __future__ import annotations

from pathlib import Path

from tests.support.crawl import ROOT, run_crawl

SAMPLES = ROOT / "samples"


def test_a_second_run_on_the_samples_reads_the_catalog_and_publication_pages(
    tmp_path: Path,
) -> None:
    state = ["-s", f"AGGREGATOR_STATE={tmp_path / 'state.sqlite'}"]
    first = run_crawl("issues", tmp_path / "out", *state)
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.stats["aggregator/fetch/missing"] > 0  # stories the mirror lacks
    issues = first.stats["aggregator/pages/issue"]
    stories = first.stats["aggregator/pages/story"]
    again = run_crawl("issues", tmp_path / "out", *state)
    assert again.returncode == 0, again.stderr[-3000:]
    publications = sorted(SAMPLES.glob("magazines/*/index.html"))
    assert again.stats["downloader/request_count"] == 1 + len(publications)
    assert again.stats["aggregator/pages/publication"] == len(publications)
    assert "aggregator/fetch/missing" not in again.stats
    assert again.stats["aggregator/state/skipped/issue"] == issues
    assert again.stats["aggregator/state/skipped/story"] == stories
    archives = [p for p in SAMPLES.glob("magazines/*/page-*.html")]
    assert again.stats["aggregator/state/skipped/archive_pages"] == len(
        {p.parent for p in archives}
    )  # one next link not followed a publication with more pages
    assert again.stats["aggregator/state/nothing_new"] is True
