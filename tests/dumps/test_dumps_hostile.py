"""Hostile dumps through real ``scrapy crawl dumps`` runs: bad UTF-8, binary, oversize and
empty inputs. Each is counted, named in one line, never written damaged, and the exit status
says when a story was lost or nothing was read. The reader's details: test_dumps_reader.py.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from tests.support.crawl import ROOT, CrawlResult, run_crawl, scrapy_command
from tests.support.paths import DUMP_FIXTURES

STORY = "https://www.magzter.com/stories/lifestyle/Brunch/"


def good_line() -> bytes:
    """The first record of tests/fixtures/dumps/records.jsonl: a story that gives an article."""
    with (DUMP_FIXTURES / "records.jsonl").open("rb") as stream:
        return stream.readline()


def record(slug: str, text: bytes) -> bytes:
    return b'{"url": "' + (STORY + slug).encode() + b'", "text": "' + text + b'"}\n'


def warnings(result: CrawlResult) -> list[str]:
    return [line for line in result.stderr.splitlines() if " WARNING: " in line]


def test_bad_utf8_repaired_or_lost_never_replaced(tmp_path: Path) -> None:
    dump = tmp_path / "utf8.jsonl"
    latin = b"Caf\xe9 cr\xe8me, na\xefve \x93quotes\x94, all of it Windows-1252. " * 8
    dump.write_bytes(
        good_line()
        + record("LATIN", latin)
        + record("MIXED", "Café".encode() + b" and caf\xe9")
        + record("HALF", b"\\ud83d alone")
    )
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}")
    assert result.returncode == 1, result.stderr[-3000:]  # two stories lost
    stats = result.stats
    assert stats["aggregator/dumps/repaired/bad_utf8"] == 1
    assert stats["aggregator/dumps/malformed/bad_utf8"] == 2
    assert stats["aggregator/lost/bad_utf8"] == 2
    assert f"record repaired (bad_utf8: not UTF-8, read as Windows-1252) {STORY}LATIN" in (
        result.stderr
    )
    assert f"Story lost: {STORY}MIXED (bad_utf8: invalid UTF-8 at byte" in result.stderr
    assert f"{dump} line 3" in result.stderr
    assert f"Story lost: {STORY}HALF (bad_utf8: unpaired surrogate \\ud83d" in result.stderr
    assert len(warnings(result)) == 4  # the repair, two losses, the summary
    # a finished run with its articles publishes them, lost stories named
    assert "2 stories lost (bad_utf8 2)" in stats["aggregator/health/summary"]
    articles = {a["url"].rsplit("/", 1)[1]: a for a in result.articles}
    assert sorted(articles) == ["A-KITCHEN-IN-A-SUITCASE", "LATIN"]
    assert articles["LATIN"]["body"].startswith("Café crème, naïve \u201cquotes\u201d")
    for feed in ("articles", "teasers"):
        assert "\ufffd" not in (result.output_dir / f"{feed}.jsonl").read_text("utf-8")


def test_binary_txt_with_a_valid_url_is_a_lost_story(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(random.Random(7).randbytes(20_000))
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text('{"previous": 1}\n', encoding="utf-8")
    result = run_crawl("dumps", out, "-a", f"path={page}", "-a", f"url={STORY}BINARY")
    assert result.returncode == 1
    stats = result.stats
    assert (stats["aggregator/dumps/malformed/binary"], stats["aggregator/lost/binary"]) == (1, 1)
    assert f"Story lost: {STORY}BINARY (binary: NUL byte at byte" in result.stderr
    assert (out / "articles.jsonl").read_text(encoding="utf-8") == '{"previous": 1}\n'
    summary = stats["aggregator/health/summary"]
    assert "not published (previous feeds kept); 1 stories lost (binary 1)" in summary
    assert "no usable story record in the dump page.txt (1 refused stories)" in summary


def test_binary_garbage_is_a_handful_of_lines(tmp_path: Path) -> None:
    """200 KB of random bytes: hundreds of "lines", each refused, a few of them shown."""
    dump = tmp_path / "garbage.jsonl"
    dump.write_bytes(random.Random(1).randbytes(200_000))
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}")
    assert result.returncode == 1
    stats = result.stats
    refused = {k: v for k, v in stats.items() if k.startswith("aggregator/dumps/malformed/")}
    assert sum(refused.values()) > 700, refused  # one per line break in the bytes
    assert refused["aggregator/dumps/malformed/binary"] > 500
    lines = warnings(result)
    assert len(lines) == 8, lines  # 5 shown, 1 "more not shown", no story, the summary
    assert all("malformed record skipped" in line for line in lines[:5])
    assert f"{sum(refused.values()) - 5} more warnings of the dump (malformed records)" in lines[5]
    assert "no usable story record in the dump garbage.jsonl" in stats["aggregator/health/summary"]
    assert "Traceback" not in result.stderr


def test_empty_dump_is_a_warning_and_an_unhealthy_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.jsonl").write_text('{"previous": 1}\n', encoding="utf-8")
    for name, content in (("empty.jsonl", b""), ("blank.jsonl", b"\n\n  \n")):
        dump = tmp_path / name
        dump.write_bytes(content)
        result = run_crawl("dumps", out, "-a", f"path={dump}")
        assert result.returncode == 1
        assert f"WARNING: {dump}: the dump {name} is empty" in result.stderr
        assert result.stats["aggregator/health/summary"] == (
            "aggregator: UNHEALTHY: 0 articles, 0 teasers not published (previous feeds kept); "
            f"0 stories lost; because: the dump {name} is empty; 0 article(s) read (at least 1)"
        )
        assert (out / "articles.jsonl").read_text(encoding="utf-8") == '{"previous": 1}\n'


def test_dump_without_a_story_record(tmp_path: Path) -> None:
    dump = tmp_path / "other.jsonl"
    other = {"url": "https://blog.example.com/a", "text": "Another site."}
    dump.write_text(json.dumps(other) + "\n[1]\n", encoding="utf-8")
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}")
    assert result.returncode == 1
    reason = "no usable story record in the dump other.jsonl (1 malformed, 1 not stories)"
    assert f"{dump}: {reason}" in result.stderr
    assert reason in result.stats["aggregator/health/reasons"]


def peak_rss_kib(dump: Path, out: Path) -> tuple[int, subprocess.CompletedProcess[str]]:
    """``scrapy crawl dumps`` as the only child of a fresh Python, which reports the child's
    peak resident memory (``ru_maxrss``, KiB on Linux)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n",
            *scrapy_command("crawl", "dumps", "-a", f"path={dump}"),
            *["-s", f"OUTPUT_DIR={out}", "-s", "AGGREGATOR_STATS_FILE=%(output_dir)s/stats.json"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return int(done.stdout.split()[-2]), done


def test_oversize_record_memory_stays_flat(tmp_path: Path) -> None:
    """A 50 MB record is refused as oversize, its story named, at no more memory than a tiny
    dump (it took 907 MB when the record was read whole)."""
    tiny = tmp_path / "tiny.jsonl"
    tiny.write_bytes(good_line())
    baseline, _ = peak_rss_kib(tiny, tmp_path / "tiny-out")
    big = tmp_path / "big.jsonl"
    head = b'{"url": "' + f"{STORY}HUGE".encode() + b'", "text": "'
    with big.open("wb") as stream:
        stream.write(head)
        for _ in range(50):
            stream.write(b"A paragraph of a story. " * 43690)  # 1 MB
        stream.write(b'"}\n' + good_line())
    size = len(head) + 50 * 24 * 43690 + 2
    peak, done = peak_rss_kib(big, tmp_path / "big-out")
    assert done.stdout.split()[-1] == "1", done.stderr[-3000:]  # a story lost
    assert f"Story lost: {STORY}HUGE (oversize: {size:,} bytes (at most 4,194,304))" in (
        done.stderr
    )
    assert f"{big} line 1" in done.stderr
    stats = json.loads((tmp_path / "big-out" / "stats.json").read_text("utf-8"))
    assert stats["aggregator/lost/oversize"] == 1
    assert stats["aggregator/dumps/records"] == 1  # the record after it is read
    assert (peak - baseline) < 150 * 1024, (peak, baseline)


def test_max_record_setting(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(good_line() + record("LONG", b"word " * 400))
    limit = "-s", "AGGREGATOR_DUMPS_MAX_RECORD=1500"
    result = run_crawl("dumps", tmp_path / "out", "-a", f"path={dump}", *limit)
    assert result.returncode == 1
    assert result.stats["aggregator/lost/oversize"] == 1
    assert f"Story lost: {STORY}LONG (oversize: 2,076 bytes (at most 1,500))" in result.stderr
    wrong = "-s", "AGGREGATOR_DUMPS_MAX_RECORD=4MB"
    bad = run_crawl("dumps", tmp_path / "bad", "-a", f"path={dump}", *wrong)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "scrapy crawl dumps: bad argument AGGREGATOR_DUMPS_MAX_RECORD=4MB: "
        "expected a number of bytes, 1 or more"
    ]
