"""Corpus shards: records/s and MB/s of ``scrapy crawl dumps`` over a WARC shard and a WET
shard, against the readers' own bare iteration of the same files.

- The mixed WARC shard: ``records`` response records (each with its request record, as a
  crawl writes them), 99.5% of them other sites' pages of real weight (~60 KB of HTML),
  the rest story pages of samples/; the WET shard: as many conversion records, the same
  share ours (the saved-text fixtures).
- ``ours``: ``scrapy crawl dumps -a path=SHARD`` (reading, selection, extraction, the
  pipelines, the feeds), records/s over Scrapy's elapsed time and compressed MB/s.
- ``ceiling``: FastWARC's bare iteration over the same file (headers parsed, every block
  skipped, nothing else); ``warcio`` and ``reader`` (ours, aggregator/corpus/warc.py) the
  same bare iteration. ``ratio`` = ours / ceiling (target ≥ 0.5).
- ``workers``: ``scrapy corpus run`` over two such shards with ``--workers 1`` then
  ``--workers 2``: the wall-clock speed-up (target ≥ 1.7 on 2 free cores).
- ``extract``: per story record, our page classes (``StoryPage``: article and teasers)
  against trafilatura's ``extract()`` on the same HTML (target: ours ≥ 2× faster), when
  trafilatura is installed (``null`` and why otherwise).
- ``memory``: peak RSS of the dumps crawl over the shard and over one a fifth its size.

Results go into results.json under ``corpus.*``. Generated shards are cached in
benchmarks/out/corpus-<records>/.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from benchmarks.measure import OUT, log, now
from benchmarks.process import ROOT

RECORDS = 50_000
QUICK_RECORDS = 4_000
OURS_SHARE = 0.005
VOCABULARY = (
    "the of and to in is was for on that with as by at from his her an which have are it "
    "not be were this had or but its their they one all been has who new more after also "
    "city market council school report season water energy price health police music film"
)
WORDS = VOCABULARY.split()
BEGIN = "<!-- corpus:begin -->"
END = "<!-- corpus:end -->"


# Another site's page: ~60 KB of HTML, the weight of a real page's markup and text, made of
# paragraphs drawn from a pool (fast to generate, compressing about as real pages do).
NOISE_PARAGRAPHS = 80
POOL = 400


def paragraph_pool() -> list[str]:
    rng = random.Random("pool")
    return [
        f'<p class="c{n % 9}">{" ".join(rng.choices(WORDS, k=rng.randint(80, 160)))}.</p>'
        for n in range(POOL)
    ]


def noise_html(rng: random.Random, n: int, pool: list[str]) -> bytes:
    paragraphs = "".join(rng.choices(pool, k=NOISE_PARAGRAPHS))
    return (
        f"<html><head><title>Page {n}</title></head><body><nav>Home News Sport</nav>"
        f"{paragraphs}<footer>© Example {n}</footer></body></html>"
    ).encode()


def our_pages() -> list[tuple[str, bytes]]:
    manifest = json.loads((ROOT / "samples" / "MANIFEST.json").read_text("utf-8"))
    return [
        (
            "https://www.magzter.com/" + s["path"].removesuffix(".html"),
            (ROOT / "samples" / s["path"]).read_bytes(),
        )
        for s in manifest["stories"]
    ]


def our_texts() -> list[tuple[str, str]]:
    fixtures = ROOT / "tests" / "fixtures" / "dumps"
    texts = []
    for name in ("shapes.jsonl", "wild.jsonl"):
        for line in (fixtures / name).read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                texts.append((record["url"], record["text"]))
    return texts


def write_shards(folder: Path, records: int) -> dict[str, Path]:
    """The mixed WARC and WET shards (and a fifth-size WARC), made once per size."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "warc": folder / "mixed.warc.gz",
        "small": folder / "small.warc.gz",
        "wet": folder / "mixed.warc.wet.gz",
        "warc2": folder / "second.warc.gz",
    }
    if all(p.is_file() for p in paths.values()):
        return paths
    ours, texts, pool = our_pages(), our_texts(), paragraph_pool()
    every = round(1 / OURS_SHARE)
    for name, count in (("warc", records), ("small", records // 5), ("warc2", records)):
        rng = random.Random(name)
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        with paths[name].open("wb") as out:
            for n in range(count):
                if n % every == every // 2:
                    url, body = ours[(n // every) % len(ours)]
                else:
                    url, body = f"https://site{n % 997}.example.com/a/{n}", noise_html(rng, n, pool)
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                writer.write_record(
                    writer.create_warc_record(
                        url, "request", payload=io.BytesIO(b""), http_headers=request
                    )
                )
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                writer.write_record(
                    writer.create_warc_record(
                        url, "response", payload=io.BytesIO(body), http_headers=headers
                    )
                )
                if buffer.tell() > 1 << 22:
                    out.write(buffer.getvalue())
                    buffer.seek(0)
                    buffer.truncate()
            out.write(buffer.getvalue())
    rng = random.Random("wet")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(records):
        if n % every == every // 2:
            url, text = texts[(n // every) % len(texts)]
        else:
            url = f"https://site{n % 997}.example.com/a/{n}"
            text = "\n".join(" ".join(rng.choices(WORDS, k=60)) for _ in range(12))
        writer.write_record(
            writer.create_warc_record(
                url, "conversion", payload=io.BytesIO(text.encode()), warc_content_type="text/plain"
            )
        )
    paths["wet"].write_bytes(buffer.getvalue())
    return paths


def timed(function: Callable[[], int]) -> tuple[int, float]:
    started = time.perf_counter()
    count = function()
    return count, time.perf_counter() - started


def fastwarc_bare(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    with path.open("rb") as raw:
        return sum(1 for _ in ArchiveIterator(raw, parse_http=False))


def warcio_bare(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as raw:
        return sum(1 for _ in ArchiveIterator(raw))


def reader_bare(path: Path) -> int:
    from collections import Counter

    from aggregator.corpus.warc import read_warc

    counts: Counter[str] = Counter()
    for _ in read_warc(path, lambda kind, url: "skip", 4 << 20, counts):
        pass
    return counts["records"]


def bare(reader: Callable[[Path], int], path: Path, repeats: int) -> dict[str, Any] | None:
    try:
        runs = [timed(lambda: reader(path)) for _ in range(repeats)]
    except ImportError as error:
        return {"skipped": f"not installed ({error.name})"}
    records, seconds = runs[0][0], statistics.median(s for _, s in runs)
    return rates(records, seconds, path)


def rates(records: int, seconds: float, path: Path) -> dict[str, Any]:
    return {
        "records": records,
        "seconds": round(seconds, 3),
        "records_per_s": round(records / seconds),
        "mb_per_s": round(path.stat().st_size / 1e6 / seconds, 1),
    }


def dumps_crawl(path: Path, output: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "scrapy", "crawl", "dumps", "-a", f"path={path}"]
    command += [
        "-s",
        f"OUTPUT_DIR={output}",
        "-s",
        "AGGREGATOR_STATS_FILE=%(output_dir)s/stats.json",
    ]
    command += ["-s", "LOG_LEVEL=WARNING", "-s", "AGGREGATOR_CORPUS_TASK=1"]
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True, timeout=3600)
    stats = json.loads((output / "stats.json").read_text("utf-8"))
    result = rates(
        int(stats["aggregator/dumps/records"]), float(stats["elapsed_time_seconds"]), path
    )
    result["peak_rss_mb"] = round(int(stats.get("memusage/max", 0)) / 1e6)
    result["articles"] = int(stats.get("item_scraped_count", 0))
    return result


def corpus_run(paths: list[Path], output: Path, workers: int) -> float:
    command = [sys.executable, "-m", "scrapy", "corpus", "run", *map(str, paths)]
    command += ["--workers", str(workers), "-s", f"OUTPUT_DIR={output}"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=False, capture_output=True, timeout=3600)
    return time.perf_counter() - started


def story_records(path: Path) -> Iterator[tuple[str, bytes]]:
    from collections import Counter

    from aggregator.corpus.extract import select_response
    from aggregator.corpus.http import parse_block
    from aggregator.corpus.warc import WarcRecord, read_warc

    for record in read_warc(path, select_response, 4 << 20, Counter()):
        if isinstance(record, WarcRecord):
            yield record.url, parse_block(record.block).body


def measure_extract(path: Path) -> dict[str, Any]:
    from scrapy.http import HtmlResponse

    from aggregator.pages import StoryPage

    pages = list(story_records(path))

    def ours() -> int:
        for url, body in pages:
            page = StoryPage(HtmlResponse(url, body=body, encoding="utf-8"))
            page.article("2026-01-01T00:00:00+00:00")
            page.teasers()
        return len(pages)

    count, seconds = timed(ours)
    result: dict[str, Any] = {"records": count, "ours_ms": round(seconds / count * 1e3, 3)}
    try:
        import trafilatura
    except ImportError:
        result["trafilatura_ms"] = None
        result["skipped"] = "trafilatura not installed (pip install trafilatura)"
        return result

    def theirs() -> int:
        for _, body in pages:
            trafilatura.extract(body.decode("utf-8"))
        return len(pages)

    _, their_seconds = timed(theirs)
    result["trafilatura_ms"] = round(their_seconds / count * 1e3, 3)
    result["speedup"] = round(their_seconds / seconds, 2)
    return result


def measure_scale(scale: str, out: Path = OUT) -> dict[str, Any]:
    records = QUICK_RECORDS if scale == "quick" else RECORDS
    repeats = 1 if scale == "quick" else 3
    folder = out / f"corpus-{records}"
    log(f"corpus: shards of {records:,} records in {folder}")
    paths = write_shards(folder, records)
    runs = out / f"runs-{scale}" / "corpus"
    result: dict[str, Any] = {"measured_at": now(), "records": records}
    for kind in ("warc", "wet"):
        path = paths[kind]
        ours = [dumps_crawl(path, runs / f"{kind}-{n}") for n in range(repeats)]
        best = sorted(ours, key=lambda r: r["seconds"])[len(ours) // 2]
        section: dict[str, Any] = {
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "ours": best,
            "ceiling": bare(fastwarc_bare, path, repeats),
            "warcio": bare(warcio_bare, path, repeats),
            "reader": bare(reader_bare, path, repeats),
        }
        ceiling = section["ceiling"] or {}
        if "records_per_s" in ceiling:
            section["ratio"] = round(best["records_per_s"] / ceiling["records_per_s"], 2)
        result[kind] = section
        log(f"corpus.{kind}: {json.dumps(section)}")
    small = dumps_crawl(paths["small"], runs / "small")
    result["memory"] = {
        "small_mb": round(paths["small"].stat().st_size / 1e6, 1),
        "small_peak_rss_mb": small["peak_rss_mb"],
        "large_mb": result["warc"]["file_mb"],
        "large_peak_rss_mb": result["warc"]["ours"]["peak_rss_mb"],
    }
    two = [paths["warc"], paths["warc2"]]
    one_worker = corpus_run(two, runs / "workers-1", 1)
    two_workers = corpus_run(two, runs / "workers-2", 2)
    result["workers"] = {
        "one_s": round(one_worker, 2),
        "two_s": round(two_workers, 2),
        "speedup": round(one_worker / two_workers, 2),
        "cpus": os.cpu_count(),
    }
    result["extract"] = measure_extract(paths["warc"])
    log(f"corpus: {json.dumps({k: result[k] for k in ('memory', 'workers', 'extract')})}")
    return result


def table(results: Mapping[str, Any]) -> str:
    section = results["corpus"]
    rows = ["| measure | value |", "| --- | --- |"]
    for kind in ("warc", "wet"):
        data = section[kind]
        rows.append(
            f"| {kind}: ours, records/s (MB/s) | {data['ours']['records_per_s']:,} "
            f"({data['ours']['mb_per_s']}) |"
        )
        for name in ("ceiling", "warcio", "reader"):
            bare_run = data.get(name) or {}
            if "records_per_s" in bare_run:
                label = {
                    "ceiling": "FastWARC bare",
                    "warcio": "warcio bare",
                    "reader": "our reader bare",
                }
                rows.append(
                    f"| {kind}: {label[name]}, records/s (MB/s) | {bare_run['records_per_s']:,} "
                    f"({bare_run['mb_per_s']}) |"
                )
        if "ratio" in data:
            rows.append(f"| {kind}: ours / ceiling (≥ 0.5) | {data['ratio']} |")
    workers = section["workers"]
    rows.append(f"| 2 workers / 1 on 2 shards (≥ 1.7) | {workers['speedup']} |")
    extract = section["extract"]
    if extract.get("speedup") is not None:
        rows.append(
            f"| extraction ms a story: ours / trafilatura (≥ 2× faster) | {extract['ours_ms']} / "
            f"{extract['trafilatura_ms']} ({extract['speedup']}×) |"
        )
    memory = section["memory"]
    rows.append(
        f"| peak RSS, {memory['small_mb']} MB / {memory['large_mb']} MB shard | "
        f"{memory['small_peak_rss_mb']} / {memory['large_peak_rss_mb']} MB |"
    )
    return "\n".join(rows) + "\n"


def write_markdown(path: Path, results: Mapping[str, Any]) -> None:
    """The corpus table of BENCHMARKS.md, between its own markers."""
    if "corpus" not in results or not path.is_file():
        return
    section = results["corpus"]
    block = (
        f"{BEGIN}\nShards of {section['records']:,} records ({section['measured_at']}); keys "
        f"`corpus.*` in `benchmarks/results.json`.\n\n{table(results)}{END}"
    )
    text = path.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Corpus shards\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
