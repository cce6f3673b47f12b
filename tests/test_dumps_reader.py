"""The streaming dump reader: formats, malformed lines with their numbers, story URLs."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from aggregator.dumps import BadRecord, DumpRecord, dump_format, read_dump, story_url

STORY = "https://www.magzter.com/stories/lifestyle/Brunch/SEASON-OF-THE-SANDWICH"


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_formats() -> None:
    assert dump_format(Path("a.jsonl")) == ".jsonl"
    assert dump_format(Path("CRAWL-00001.JSONL.GZ")) == ".jsonl.gz"
    assert dump_format(Path("page.txt")) == ".txt"
    assert dump_format(Path("a.json")) is None
    assert dump_format(Path("a.jsonl.bz2")) is None


def test_malformed_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "d.jsonl",
        [
            json.dumps({"url": STORY, "text": "One", "id": 7}),
            '{"url": "broken',
            "",
            json.dumps({"url": STORY}),
            json.dumps({"text": "no url"}),
            json.dumps(["a", "list"]),
            json.dumps({"url": STORY, "text": "   "}),
            json.dumps({"url": 5, "text": "x"}),
            json.dumps({"url": f" {STORY} ", "text": "Two"}),
        ],
    )
    records = list(read_dump(path))
    assert [(r.line, r.reason) for r in records if isinstance(r, BadRecord)] == [
        (2, "bad_json"),
        (4, "no_text"),
        (5, "no_url"),
        (6, "not_an_object"),
        (7, "no_text"),
        (8, "no_url"),
    ]
    good = [r for r in records if isinstance(r, DumpRecord)]
    assert good == [DumpRecord(1, STORY, "One"), DumpRecord(9, STORY, "Two")]


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps({"url": STORY, "text": "Eins\u2028Zwei"}) + "\r\n")
        stream.write("not json\n")
    records = list(read_dump(path))
    assert records[0] == DumpRecord(1, STORY, "Eins\u2028Zwei")
    assert isinstance(records[1], BadRecord) and records[1].line == 2


def test_cut_off_gzip_is_one_bad_record(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jsonl.gz"
    with gzip.open(whole, "wt", encoding="utf-8") as stream:
        for number in range(2000):
            stream.write(json.dumps({"url": STORY, "text": f"Text {number} " * 50}) + "\n")
    cut = tmp_path / "cut.jsonl.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    records = list(read_dump(cut))
    assert len(records) > 500  # about half of the 2,000 (976 today)
    assert all(isinstance(r, DumpRecord) for r in records[:-1])
    last = records[-1]
    assert isinstance(last, BadRecord) and last.reason == "unreadable"
    assert last.line == len(records)


def test_bad_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"url": "' + STORY.encode() + b'", "text": "caf\xe9"}\n')
    (record,) = read_dump(path)
    assert isinstance(record, DumpRecord) and record.text == "caf\ufffd"


def test_txt_page(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Line one\nLine two\n", encoding="utf-8")
    assert list(read_dump(path, STORY)) == [DumpRecord(1, STORY, "Line one\nLine two\n")]
    with pytest.raises(ValueError, match="url"):
        list(read_dump(path))


def test_streams_one_record_at_a_time(tmp_path: Path) -> None:
    """Memory stays flat: reading 4,000 records of 4 kB (16 MB) holds about one at a time."""
    path = tmp_path / "big.jsonl"
    text = "A paragraph of a story. " * 170
    with path.open("w", encoding="utf-8") as stream:
        for number in range(4000):
            stream.write(json.dumps({"url": f"{STORY}-{number}", "text": text}) + "\n")
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_dump(path))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 4000
    assert peak < 1_000_000, peak  # the file is 16 MB


@pytest.mark.parametrize(
    ("url", "story"),
    [
        (STORY, True),
        ("https://magzter.com/nb/stories/newspaper/The-Independent/KIM", True),
        ("http://www.magzter.com/de/stories/lifestyle/Brunch/ENTREES-AND-ENCORES/", True),
        ("https://www.magzter.com/magazines/Brunch", False),
        ("https://www.magzter.com/", False),
        ("https://www.magzter.com/IN/HT-Media/Brunch/Lifestyle/1234567", False),
        ("https://blog.example.com/stories/news/Some-Paper/A-STORY", False),
        ("https://www.magzter.com.evil.example/stories/news/Some-Paper/A-STORY", False),
        ("file:///mirror/stories/lifestyle/Brunch/SEASON-OF-THE-SANDWICH.html", False),
    ],
)
def test_story_urls(url: str, story: bool) -> None:
    assert (story_url(url) is not None) is story
