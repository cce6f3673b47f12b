"""The search index: bulk load and query latency, on SQLite and on PostgreSQL.

- ``docs_per_s``: ``aggregator.index.loader.load`` of one feed file of ``articles``
  generated articles into an empty index (JSON read, hashed, upserted, one transaction),
  over its wall-clock time.
- ``query_ms_p50`` / ``query_ms_p95``: 1,000 mixed queries on that index (``QUERY_MIX``:
  one word, two words, a phrase, a prefix, an exclusion, a Japanese word; ten results each,
  snippets included), one after another, in milliseconds. Query words are of ranks 200 to
  20,000 of the vocabulary (``Corpus.queries``); a word among the 200 commonest is in a
  third of the articles or more, and ranking that many takes longer (about 75 ms for
  33,000 matches on SQLite here).

Results go into results.json under ``index.sqlite.*`` and ``index.postgres.*``; the
PostgreSQL numbers come from a throwaway cluster (``tests.servers.postgres``) and are ``null``,
with ``index.postgres.skipped`` saying why, where PostgreSQL is not installed. The text is
generated (deterministic): words of a made-up vocabulary drawn Zipf-like, in the four
languages the PostgreSQL configurations stem, and one article in twenty in Japanese.
"""

from __future__ import annotations

import itertools
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aggregator.index import Filters, open_index
from aggregator.index.loader import load
from benchmarks import report
from benchmarks.measure import log, now

ARTICLES = 100_000
QUICK_ARTICLES = 5_000
QUERIES = 1_000
QUICK_QUERIES = 200
BODY_WORDS = 250
VOCABULARY = 30_000
LANGUAGES = ("en", "nb", "de", "es")
JAPANESE_SHARE = 0.05
# share of each kind of query
QUERY_MIX = {"word": 0.4, "words": 0.2, "phrase": 0.15, "prefix": 0.1, "exclude": 0.1, "ja": 0.05}
KANJI = "記事東京美術館新聞写真旅行料理音楽映画経済政治社会文化科学技術教育歴史自然天気"
KANA = "のはをにがでとしてるいうかれたもなこ"

BEGIN = "<!-- benchmarks:index:begin (written by `make bench`) -->"
END = "<!-- benchmarks:index:end -->"


def _vocabulary(rng: random.Random) -> list[str]:
    # ø, å, æ in about one word in twenty, as in Norwegian text
    syllables = [c + v for c in "bdfghklmnprstvz" for v in "aeiouy" * 8 + "æøå"]
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


class Corpus:
    """Generated articles and the queries on them, from one seed."""

    def __init__(self, articles: int, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        self.weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))
        self.articles = articles
        self.phrases: list[str] = []

    def _text(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.weights, k=count)

    def _japanese(self, count: int) -> str:
        return "".join(self.rng.choice(KANJI if n % 3 else KANA) for n in range(count)) + "。"

    def records(self) -> Iterator[dict[str, Any]]:
        for number in range(self.articles):
            if self.rng.random() < JAPANESE_SHARE:
                language = "ja"
                title = self._japanese(12)
                body = "\n\n".join(self._japanese(120) for _ in range(3))
            else:
                language = LANGUAGES[number % len(LANGUAGES)]
                title = " ".join(self._text(6)).capitalize()
                words = self._text(BODY_WORDS)
                body = "\n\n".join(
                    " ".join(words[i : i + 50]) + "." for i in range(0, BODY_WORDS, 50)
                )
                if number % 50 == 0:
                    start = self.rng.randrange(BODY_WORDS - 3)
                    self.phrases.append(" ".join(words[start : start + 3]))
            url = f"https://www.magzter.com/stories/news/Bench/STORY-{number}"
            yield {
                "id": f"{number:016x}",
                "url": url,
                "canonical_url": url,
                "title": title,
                "standfirst": None,
                "body": body,
                "publication": f"Publication {number % 40}",
                "issue_date": f"{2020 + number % 6}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                "language": language,
                "crawled_at": "2026-11-25T06:47:44+00:00",
            }

    def queries(self, count: int) -> list[str]:
        """``count`` queries of ``QUERY_MIX``; words of ranks 200 to 20,000 (the 200
        commonest play the part of stop words: each is in a third or more of the articles);
        a prefix is a word but its last two letters, four at least."""
        middle = self.words[200:20_000]
        kinds = self.rng.choices(list(QUERY_MIX), weights=list(QUERY_MIX.values()), k=count)
        made = []
        for kind in kinds:
            word, other = self.rng.choice(middle), self.rng.choice(middle)
            made.append(
                {
                    "word": word,
                    "words": f"{word} {other}",
                    "phrase": f'"{self.rng.choice(self.phrases or [word])}"',
                    "prefix": f"{word[: max(4, len(word) - 2)]}*",
                    "exclude": f"{word} -{other}",
                    "ja": self.rng.choice(KANJI) + self.rng.choice(KANJI),
                }[kind]
            )
        return made


def write_feed(corpus: Corpus, path: Path) -> None:
    with path.open("w", encoding="utf-8") as feed:
        for record in corpus.records():
            feed.write(json.dumps(record, ensure_ascii=False) + "\n")


def measure_engine(url: str, feed: Path, queries: list[str], articles: int) -> dict[str, Any]:
    index = open_index(url)
    try:
        started = time.perf_counter()
        loaded = load(index, [feed])
        load_s = time.perf_counter() - started
        assert loaded.counts.by_change["new"] == articles, loaded.counts
        times, hits = [], 0
        for query in queries:
            started = time.perf_counter()
            hits += len(index.search(query, Filters(limit=10)))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        index.close()
    cuts = statistics.quantiles(times, n=100)
    return {
        "docs_per_s": round(articles / load_s, 1),
        "load_s": round(load_s, 2),
        "query_ms_p50": round(statistics.median(times), 2),
        "query_ms_p95": round(cuts[94], 2),
        "query_ms_max": round(max(times), 2),
        "results_per_query": round(hits / len(queries), 2),
    }


def measure(
    articles: int, queries: int, engines: tuple[str, ...] = ("sqlite", "postgres")
) -> dict[str, Any]:
    """The ``index`` section of results.json."""
    from tests.servers.postgres import cluster, find_bin

    corpus = Corpus(articles)
    section: dict[str, Any] = {"articles": articles, "queries": queries, "query_mix": QUERY_MIX}
    with tempfile.TemporaryDirectory(prefix="index-bench-") as folder:
        feed = Path(folder) / "articles.jsonl"
        started = time.perf_counter()
        write_feed(corpus, feed)
        log(f"index: {articles:,} articles generated in {time.perf_counter() - started:.0f} s")
        mix = corpus.queries(queries)
        if "sqlite" in engines:
            section["sqlite"] = measure_engine(
                f"sqlite:///{folder}/index.sqlite", feed, mix, articles
            )
            log(f"index: sqlite {section['sqlite']}")
        if "postgres" in engines:
            where = find_bin()
            if isinstance(where, str):
                section["postgres"] = {"skipped": where}
            else:
                with cluster() as server:
                    section["postgres"] = measure_engine(server.url, feed, mix, articles)
            log(f"index: postgres {section['postgres']}")
    section["measured_at"] = now()
    return section


def measure_scale(scale: str) -> dict[str, Any]:
    """The section at ``make bench`` (100,000 articles) or ``make bench-quick`` scale."""
    if scale == "quick":
        return measure(QUICK_ARTICLES, QUICK_QUERIES)
    return measure(ARTICLES, QUERIES)


def table(results: Mapping[str, Any]) -> str:
    section = results["index"]
    rows = [
        "| engine | load, articles/s | query p50 | query p95 | results/query |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for engine in ("sqlite", "postgres"):
        numbers = section.get(engine) or {}
        if "docs_per_s" not in numbers:
            rows.append(f"| {engine} | {numbers.get('skipped', 'not measured')} | | | |")
            continue
        rows.append(
            f"| {engine} | {numbers['docs_per_s']:,.0f} | {numbers['query_ms_p50']:.2f} ms | "
            f"{numbers['query_ms_p95']:.2f} ms | {numbers['results_per_query']:.1f} |"
        )
    return "\n".join(rows)


def write_markdown(path: Path, results: Mapping[str, Any]) -> None:
    """The search index table of BENCHMARKS.md, between its own markers."""
    if "index" not in results or not path.is_file():
        return
    section = results["index"]
    block = (
        f"{BEGIN}\n{section['articles']:,} generated articles, {section['queries']:,} mixed "
        f"queries ({section['measured_at']}); keys `index.<engine>.docs_per_s`, "
        f"`….query_ms_p50`, `….query_ms_p95` in `benchmarks/results.json`.\n\n"
        f"{table(results)}\n{END}"
    )
    report.replace_block(path, BEGIN, END, block, "Search index")
