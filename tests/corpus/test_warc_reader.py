"""aggregator.corpus.warc on WARC and WET files written by warcio: what is kept, what is
skipped unread (and counted), and every broken record named at its offset while the rest
of the file is read."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from aggregator.corpus.extract import select_conversion, select_response
from aggregator.corpus.warc import BrokenRecord, WarcRecord, read_warc
from tests.corpus.shards import (
    BAD_HEADER_URL,
    CUT_OFF_STORY,
    OVERLONG_STORY,
    Page,
    broken_members,
    cut_off_member,
    fixture_texts,
    record_bytes,
    sample_pages,
    write_warc,
    write_wet,
)
from tests.support.paths import SHAPES

MAX = 4 * 1024 * 1024


def read(path: Path, wet: bool = False) -> tuple[list[WarcRecord | BrokenRecord], Counter[str]]:
    counts: Counter[str] = Counter()
    select = select_conversion if wet else select_response
    return list(read_warc(path, select, MAX, counts)), counts


@pytest.mark.parametrize("compress", [True, False], ids=["gzip", "plain"])
def test_keeps_our_pages_and_counts_the_rest(tmp_path: Path, compress: bool) -> None:
    pages = sample_pages()
    name = "shard.warc.gz" if compress else "shard.warc"
    records, counts = read(write_warc(tmp_path / name, pages, noise=30, compress=compress))
    assert all(isinstance(r, WarcRecord) for r in records)
    assert [r.url for r in records] == [p.url for p in pages]
    kept = {r.url: r for r in records if isinstance(r, WarcRecord)}
    for page in pages:
        assert kept[page.url].block.endswith(page.body)  # the HTTP headers, then the body
        assert kept[page.url].block.startswith(b"HTTP/1.1 200")
    # a request record per response and the warcinfo: other types; 30 other sites; our
    # catalog and a publication page: not stories
    noise = 30 + 2
    assert counts["skipped_type"] == len(pages) + noise + 1
    assert counts["skipped_host"] == 30
    assert counts["skipped_not_story"] == 2
    assert counts["records"] == 2 * (len(pages) + noise) + 1


def test_broken_records_are_named_at_their_offsets(tmp_path: Path) -> None:
    pages = sample_pages()
    path = write_warc(tmp_path / "broken.warc.gz", pages, noise=10, broken=True)
    data = path.read_bytes()
    records, _ = read(path)
    broken = [r for r in records if isinstance(r, BrokenRecord)]
    # every page of ours is still read, before and after the broken members
    assert [r.url for r in records if isinstance(r, WarcRecord)] == [p.url for p in pages]
    reasons = [(r.reason, r.url) for r in broken]
    assert reasons == [
        ("bad_header", BAD_HEADER_URL),
        ("length_past_end", OVERLONG_STORY),
        ("corrupt_gzip", None),
        ("truncated_gzip", CUT_OFF_STORY),
    ]
    members = [*broken_members(), cut_off_member()]
    for record, member in zip(broken, members, strict=True):
        assert data.find(member) == record.offset  # the offset of the member in the file


def test_a_broken_plain_header_is_skipped_to_the_next_record(tmp_path: Path) -> None:
    good = [Page(p.url, p.body) for p in sample_pages()[:3]]
    raw = [record_bytes(p) for p in good]
    path = tmp_path / "plain.warc"
    path.write_bytes(raw[0] + b"NOT A HEADER\r\n\r\n" + raw[1] + raw[2])
    records, _ = read(path)
    assert [(type(r).__name__, r.offset) for r in records] == [
        ("WarcRecord", 0),
        ("BrokenRecord", len(raw[0])),
        ("WarcRecord", len(raw[0]) + len(b"NOT A HEADER\r\n\r\n")),
        ("WarcRecord", len(raw[0]) + len(b"NOT A HEADER\r\n\r\n") + len(raw[1])),
    ]


def test_a_gzip_member_of_several_records_is_read_whole(tmp_path: Path) -> None:
    pages = sample_pages()[:4]
    path = tmp_path / "one-member.warc.gz"
    path.write_bytes(gzip.compress(b"".join(record_bytes(p) for p in pages)))
    records, _ = read(path)
    assert [r.url for r in records] == [p.url for p in pages]


def test_a_wet_gives_the_conversions_of_our_stories(tmp_path: Path) -> None:
    texts = fixture_texts(SHAPES)
    records, counts = read(write_wet(tmp_path / "shard.warc.wet.gz", texts, noise=12), wet=True)
    assert [(r.url, r.block.decode("utf-8")) for r in records if isinstance(r, WarcRecord)] == [
        (url, text) for url, text in texts
    ]
    assert counts["skipped_host"] == 12
    assert counts["skipped_type"] == 1  # the warcinfo


def test_revisit_and_metadata_records_of_a_story_are_skipped_unread(tmp_path: Path) -> None:
    import io

    from warcio.warcwriter import WARCWriter

    story = next(p for p in sample_pages() if "/stories/" in p.url)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(
        writer.create_revisit_record(story.url, "sha1:AAAA", story.url, "2026-11-01T00:00:00Z")
    )
    writer.write_record(
        writer.create_warc_record(story.url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 90"))
    )
    path = tmp_path / "revisits.warc.gz"
    path.write_bytes(out.getvalue())
    records, counts = read(path)
    assert records == []
    assert counts["skipped_type"] == 2
