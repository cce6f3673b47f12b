"""The compact sets (aggregator.utils.compact) hold what a set holds, across the merges of their
buffer into the sorted array; the compact dupefilter decides as Scrapy's and keeps JOBDIR's
``requests.seen`` in Scrapy's format, read by either filter."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request

from aggregator.frontier.compact_dupefilter import SEEN_FILE, CompactDupeFilter, read_seen
from aggregator.site.urls import stable_id
from aggregator.utils.compact import KEY_LIMIT, KeySet, TextSet, text_key
from tests.support.crawl import ROOT, run_crawl

KEY_IN_A_PROCESS = (
    "from aggregator.utils.compact import text_key; print(text_key('https://example.org/'))"
)
EDGES = [0, 1, KEY_LIMIT - 2, KEY_LIMIT - 1]


@pytest.mark.parametrize("min_buffer", [1, 2, 3, 7, 4096])
def test_keyset_is_a_set_across_merges(min_buffer: int) -> None:
    """Random additions (repeats, edges, keys before, between and after the sorted ones),
    each followed by membership checks against a plain set."""
    rng = random.Random(min_buffer)
    keys = KeySet(min_buffer=min_buffer)
    reference: set[int] = set()
    pool = [*EDGES, *(rng.randrange(KEY_LIMIT) for _ in range(300)), *range(100, 140)]
    for _ in range(1500):
        key = rng.choice(pool)
        keys.add(key)
        reference.add(key)
        probe = rng.choice(pool)
        assert (probe in keys) == (probe in reference), probe
        assert len(keys) == len(reference)
    assert list(keys) == sorted(reference)
    assert all(key in keys for key in reference)
    assert not any(key in keys for key in set(pool) - reference)


def test_keyset_merge_keeps_a_key_equal_to_a_sorted_one_once() -> None:
    """A key already in the array is not buffered again; keys meeting at a merge boundary
    (the same value just below, at and above the array's ends) are all found afterwards."""
    keys = KeySet([10, 20, 30], min_buffer=3)  # the third addition merged them
    assert len(keys._recent) == 0 and list(keys._sorted) == [10, 20, 30]
    keys.add(20)
    assert len(keys) == 3 and len(keys._recent) == 0
    for key in (9, 31, 21):  # before, after, between: the third fills the buffer
        keys.add(key)
    assert len(keys._recent) == 0
    assert list(keys) == [9, 10, 20, 21, 30, 31]
    assert [k in keys for k in (8, 9, 11, 19, 21, 22, 29, 31, 32)] == [
        False, True, False, False, True, False, False, True, False
    ]  # fmt: skip


def test_keyset_buffer_grows_with_the_set() -> None:
    """The buffer is 1/64 of the sorted keys once that is over the minimum: few merges."""
    keys = KeySet(range(6400), min_buffer=8)
    assert len(keys._recent) < 6400 // 64 + 1
    assert len(keys) == 6400 and 0 in keys and 6399 in keys and 6400 not in keys


def test_keyset_refuses_what_is_no_64_bit_key() -> None:
    keys = KeySet([5])
    for bad in (-1, KEY_LIMIT):
        with pytest.raises(ValueError, match="unsigned 64-bit"):
            keys.add(bad)
        assert bad not in keys
    assert "5" not in keys and 5.5 not in keys and None not in keys
    with pytest.raises(ValueError, match="min_buffer"):
        KeySet(min_buffer=0)


def test_text_key_is_an_ids_own_value_and_a_stable_digest_otherwise() -> None:
    article_id = stable_id("https://www.magzter.com/stories/a/b/c")
    assert text_key(article_id) == int(article_id, 16)
    # not an id: 16 characters but not lowercase hex, or longer, or shorter
    texts = [article_id.upper(), article_id + "0", article_id[:15], "t1", "", "é" * 16]
    keys = [text_key(text) for text in texts]
    assert len(set(keys)) == len(keys) and all(0 <= key < KEY_LIMIT for key in keys)
    # the same in every process (Python's hash() is salted per process; this is not)
    here = text_key("https://example.org/")
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", KEY_IN_A_PROCESS],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert int(other.stdout) == here
    assert text_key("\ud800") != text_key("")  # a lone surrogate is a text like any other


def test_textset_membership() -> None:
    urls = [f"https://example.org/stories/x/y/{n}.html" for n in range(50)]
    texts = TextSet(urls[:25], min_buffer=4)
    for url in urls[25:40]:
        texts.add(url)
    texts.add(urls[0])
    assert len(texts) == 40
    assert all(url in texts for url in urls[:40])
    assert not any(url in texts for url in urls[40:])
    assert 123 not in texts and b"https://example.org/" not in texts


# -- the dupefilter ----------------------------------------------------------------------------

REQUESTS = [
    Request("https://example.org/a"),
    Request("https://example.org/b?y=2&x=1"),
    Request("https://example.org/b?x=1&y=2"),  # the same fingerprint (canonical URL)
    Request("https://example.org/a", method="POST", body=b"q"),
    Request("https://example.org/a#part"),  # the same as the first
    Request("https://example.org/c"),
]


def decisions(dupefilter: RFPDupeFilter, requests: list[Request]) -> list[bool]:
    return [dupefilter.request_seen(request) for request in requests]


def test_dupefilter_decides_as_scrapys_and_writes_the_same_file(tmp_path: Path) -> None:
    ours, scrapys = tmp_path / "ours", tmp_path / "scrapy"
    ours.mkdir()
    scrapys.mkdir()
    compact, plain = CompactDupeFilter(str(ours)), RFPDupeFilter(str(scrapys))
    assert decisions(compact, REQUESTS) == decisions(plain, REQUESTS)
    assert decisions(compact, REQUESTS) == [True] * len(REQUESTS)  # all seen now
    compact.close("finished")
    plain.close("finished")
    assert (ours / SEEN_FILE).read_bytes() == (scrapys / SEEN_FILE).read_bytes()
    assert len((ours / SEEN_FILE).read_bytes()) == 4 * (2 + 20)


def test_dupefilter_reads_a_job_directory_of_either_filter(tmp_path: Path) -> None:
    """What one filter saw, the other one reopening the folder has seen."""
    first = RFPDupeFilter(str(tmp_path))
    decisions(first, REQUESTS[:2])
    first.close("shutdown")
    resumed = CompactDupeFilter(str(tmp_path))
    assert len(resumed.seen) == 2
    later = [Request("https://example.org/a"), Request("https://example.org/c")]
    assert decisions(resumed, later) == [True, False]
    resumed.close("finished")
    again = RFPDupeFilter(str(tmp_path))
    assert decisions(again, later) == [True, True]  # c was recorded by the compact filter
    again.close("finished")


def test_dupefilter_ignores_a_record_cut_short(tmp_path: Path) -> None:
    """As Scrapy's: the last record cut by an unclean stop is not a fingerprint."""
    first = CompactDupeFilter(str(tmp_path))
    decisions(first, REQUESTS[:2])
    first.close("shutdown")
    with (tmp_path / SEEN_FILE).open("ab") as seen:
        seen.write(b"\x00\x14\x01\x02")  # 2 of 20 bytes
    reopened = CompactDupeFilter(str(tmp_path))
    assert len(reopened.seen) == 2
    reopened.close("finished")
    assert len(_seen(tmp_path)) == 2


def test_dupefilter_without_a_job_directory_writes_nothing(tmp_path: Path) -> None:
    dupefilter = CompactDupeFilter()
    assert dupefilter.file is None
    assert decisions(dupefilter, REQUESTS) == [False, False, True, False, True, False]
    assert len(dupefilter.seen) == 4


def test_crawl_with_a_job_directory(tmp_path: Path) -> None:
    """A real crawl with JOBDIR records every request it made in ``requests.seen``; a
    second crawl of the same job has seen its start page and fetches nothing."""
    jobdir = tmp_path / "job"
    first = run_crawl("issues", tmp_path / "first", "-s", f"JOBDIR={jobdir}")
    assert first.returncode == 0, first.stderr[-2000:]
    requested = first.stats["downloader/request_count"]
    assert requested > 10
    assert len(_seen(jobdir)) == requested  # no retries or redirects in samples/
    assert first.stats["dupefilter/filtered"] > 0  # the same card links, previous issues
    second = run_crawl("issues", tmp_path / "second", "-s", f"JOBDIR={jobdir}")
    assert "downloader/request_count" not in second.stats, second.stderr[-2000:]
    assert second.stats["dupefilter/filtered"] == 1
    assert len(_seen(jobdir)) == requested


def _seen(jobdir: Path) -> list[bytes]:
    return list(read_seen((jobdir / SEEN_FILE).read_bytes()))
