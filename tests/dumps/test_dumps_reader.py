"""The streaming dump reader: formats, malformed lines with their numbers, story URLs."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from aggregator.corpus.saved_texts import BadRecord, DumpRecord, dump_format, read_dump, story_url

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


def record_bytes(text: bytes, url: str = STORY) -> bytes:
    return b'{"url": "' + url.encode() + b'", "text": "' + text + b'"}\n'


def test_windows_1252_record_is_repaired(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(record_bytes(b"caf\xe9 \x93cr\xe8me\x94 \x96 na\xefve"))
    (record,) = read_dump(path)
    assert record == DumpRecord(1, STORY, "café \u201ccrème\u201d \u2013 naïve", "bad_utf8")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        # UTF-8 ("é") and a stray Latin-1 byte in one record: any reading would be a guess
        (b"caf\xc3\xa9 and caf\xe9", "invalid UTF-8 at byte 105 (b'\\xe9'), mixed with UTF-8"),
        # 0x81 is no Windows-1252 character
        (b"caf\xe9 \x81", "invalid UTF-8 at byte 95 (b'\\xe9'), not Windows-1252 either"),
        # a JSON escape of half a UTF-16 pair: no UTF-8 can hold it
        (b"half a pair \\ud83d here", "unpaired surrogate \\ud83d at character 12"),
    ],
)
def test_bad_utf8_is_refused_never_replaced(tmp_path: Path, text: bytes, detail: str) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(record_bytes(text) + json.dumps({"url": STORY, "text": "Next"}).encode())
    bad, good = read_dump(path)
    assert bad == BadRecord(1, "bad_utf8", detail, STORY)
    assert good == DumpRecord(2, STORY, "Next")


@pytest.mark.parametrize(
    ("line", "detail", "url"),
    [
        (record_bytes(b"PNG\x00\x00\x00IHDR"), "NUL byte at byte 95", STORY),
        (record_bytes(b"escaped \\u0000 NUL"), "NUL character in text", STORY),
        (record_bytes(b"\\u0001\\u0002 ctrl " * 20), "40 control characters in 160", STORY),
        (bytes(range(1, 10)) * 20 + b"\n", "160 control bytes in 181", None),
    ],
)
def test_binary_is_refused(tmp_path: Path, line: bytes, detail: str, url: str | None) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(line)
    assert list(read_dump(path)) == [BadRecord(1, "binary", detail, url)]


def test_a_few_control_characters_are_text(tmp_path: Path) -> None:
    """Under 1% control characters (a stray ESC or BEL in a long page) is not binary."""
    path = tmp_path / "d.jsonl"
    text = "A sentence of a story. " * 20 + "\x1b"
    path.write_text(json.dumps({"url": STORY, "text": text}) + "\n", encoding="utf-8")
    assert list(read_dump(path)) == [DumpRecord(1, STORY, text)]


def test_oversize_records_are_skipped_in_bounded_chunks(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    lines = [
        json.dumps({"url": STORY, "text": "x" * 5000}),  # 5,094 bytes
        json.dumps({"url": STORY, "text": "y" * (1000 - 94)}),  # exactly the limit
        json.dumps({"text": "z" * 5000, "url": STORY}),  # its URL is past the limit
        json.dumps({"url": STORY, "text": "Last"}),
    ]
    write_lines(path, lines)
    records = list(read_dump(path, max_record=1000))
    assert records == [
        BadRecord(1, "oversize", "5,094 bytes (at most 1,000)", STORY),
        DumpRecord(2, STORY, "y" * 906),
        BadRecord(3, "oversize", "5,094 bytes (at most 1,000)", None),
        DumpRecord(4, STORY, "Last"),
    ]
    # the same record without its final line break
    path.write_bytes(lines[0].encode())
    assert list(read_dump(path, max_record=1000)) == [records[0]]


def test_an_oversize_line_is_never_held_whole(tmp_path: Path) -> None:
    """A 24 MB record with a 1 MiB limit: reading it holds about the limit, not the record."""
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"url": "' + STORY + '", "text": "')
        for _ in range(24):
            stream.write("A paragraph of a story. " * 43690)
        stream.write('"}\n' + json.dumps({"url": STORY, "text": "After"}) + "\n")
    tracemalloc.start()
    try:
        records = list(read_dump(path, max_record=1024 * 1024))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.line, type(r).__name__) for r in records] == [(1, "BadRecord"), (2, "DumpRecord")]
    assert isinstance(records[0], BadRecord) and records[0].reason == "oversize"
    assert peak < 6 * 1024 * 1024, peak  # a few times the limit; the record is 25 MB


def test_txt_pages_are_checked_too(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 40)  # a .gz saved as .txt
    assert list(read_dump(page, STORY)) == [BadRecord(1, "binary", "NUL byte at byte 3", STORY)]
    page.write_bytes(b"Caf\xe9 cr\xe8me\n")
    assert list(read_dump(page, STORY)) == [DumpRecord(1, STORY, "Café crème\n", "bad_utf8")]
    page.write_bytes(b"x" * 2000)
    assert list(read_dump(page, STORY, max_record=1000)) == [
        BadRecord(1, "oversize", "2,000 bytes (at most 1,000)", STORY)
    ]


def test_broken_lines_name_their_url(tmp_path: Path) -> None:
    """A line cut off mid-record still says whose it was: a story, not noise."""
    path = tmp_path / "d.jsonl"
    write_lines(path, ['{"id": 3, "url": "' + STORY + '", "text": "cut off', '{"text": "x'])
    bad = list(read_dump(path))
    assert [(r.line, r.reason, r.url) for r in bad if isinstance(r, BadRecord)] == [
        (1, "bad_json", STORY),
        (2, "bad_json", None),
    ]


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
