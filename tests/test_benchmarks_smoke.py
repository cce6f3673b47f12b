"""The benchmark code runs (``make bench`` itself is not run in CI): a tiny mirror is
generated and read by our page classes, the strip measurement runs on a few bodies, and a
dump record has the shape the dumps spider reads. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.http import HtmlResponse

from aggregator.pages import PageType, StoryPage, detect_page_type
from benchmarks import strip
from benchmarks.mirror import write_mirror
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


def test_dump_records_are_url_and_text() -> None:
    record = next(dump_records(3))
    assert record["url"].startswith("https://www.magzter.com/")
    assert "/stories/" in record["url"]
    assert record["text"].strip()
    assert json.loads(json.dumps(record)) == record
