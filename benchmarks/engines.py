"""The multi-pattern engines on our catalog and texts: which finds a text's anchors fastest.

    python -m benchmarks.engines [BODIES]    # default 2,000 benchmark bodies, all languages

Each engine is asked the same question the matcher's one pass asks (``aggregator.prompts.
anchors``): where may a template begin (a lead, then spaces, then a template's first word
as printed), and where are the brand word's casings, as positions in the Python string.
The standard library's ``re`` answers it exactly (the prefilter); the others are timed for
their own pass plus what turning their output into string positions costs, before any
exact check (so the figure is each one's floor):

- ``hyperscan``: one database, the UTF-8 bytes scanned, a callback a match;
- ``ahocorasick_rs``, ``pyahocorasick``: the words and brand casings as literals (no lead:
  every occurrence of "This" is a hit, the lead must then be checked per hit in Python:
  timed too, for ``ahocorasick_rs``);
- ``re2`` (google-re2): one regex without lookarounds (RE2 has none), a superset.

The two engines the matcher has (``python``, ``hyperscan``) are then timed whole:
``PromptMatcher.clean`` over the bodies, caches emptied before each pass. CPU time, the
best of ``PASSES`` passes (a shared machine only ever adds time). Engines not installed
are skipped, and said so.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from aggregator.prompts import PromptMatcher
from aggregator.prompts.catalog import load_catalog, packaged_directory
from aggregator.prompts.compiler import GLUE_CHARS
from benchmarks import strip
from benchmarks.texts import bodies

PASSES = 7


def best_us(texts: Sequence[str], find: Callable[[str], Any]) -> float:
    """The best CPU time of a pass of ``find`` over ``texts``, in µs a text."""
    best = float("inf")
    for _ in range(PASSES):
        started = time.process_time()
        for text in texts:
            find(text)
        best = min(best, time.process_time() - started)
    return 1e6 * best / len(texts)


def finders(matcher: PromptMatcher) -> dict[str, Callable[[str], Any] | str]:
    """Each engine's pass (or why it is not here)."""
    index = matcher._index
    words = sorted(index.glue_words | index.line_words)
    brand = list(matcher._structure.brand_words)
    found: dict[str, Callable[[str], Any] | str] = {}
    lead_chars = frozenset("\n" + GLUE_CHARS.replace("\\", ""))

    def standard(text: str) -> Any:
        padded = "\n" + text
        return [h.start() for h in index.prefilter.finditer(padded)], [text.find(w) for w in brand]

    found["re (standard library)"] = standard
    try:
        import hyperscan

        from aggregator.prompts.multipattern import HyperscanAnchors
    except ImportError:
        found["hyperscan"] = "not installed"
    else:
        engine = HyperscanAnchors(index, brand)
        database, scratch = engine._database, engine._scratch
        assert database is not None

        def scan(text: str) -> Any:
            hits: list[tuple[int, int]] = []
            data = ("\n" + text).encode("utf-8", "surrogatepass")
            database.scan(
                data, match_event_handler=lambda i, s, e, f, c: hits.append((e, i)), scratch=scratch
            )
            # (byte offsets to string offsets: the matcher needs the latter)
            at = chars = 0
            for end, _ in hits:
                chars += len(data[at:end].decode("utf-8", "surrogatepass"))
                at = end
            return hits

        found["hyperscan"] = scan
        del hyperscan
    try:
        import ahocorasick_rs
    except ImportError:
        found["ahocorasick_rs"] = "not installed"
    else:
        rust = ahocorasick_rs.AhoCorasick([*words, *brand])
        found["ahocorasick_rs"] = lambda text: rust.find_matches_as_indexes(text, overlapping=True)

        def with_leads(text: str) -> Any:
            padded = "\n" + text
            places, brands = [], []
            for number, start, _ in rust.find_matches_as_indexes(padded, overlapping=True):
                if number >= len(words):
                    brands.append(start)
                    continue
                lead = start - 1  # back over the spaces to the lead, if there is one
                while lead and padded[lead] != "\n" and padded[lead].isspace():
                    lead -= 1
                if padded[lead] in lead_chars:
                    places.append(lead)
            return places, brands

        found["ahocorasick_rs, leads checked"] = with_leads
    try:
        import ahocorasick
    except ImportError:
        found["pyahocorasick"] = "not installed"
    else:
        automaton = ahocorasick.Automaton()
        for number, word in enumerate([*words, *brand]):
            automaton.add_word(word, number)
        automaton.make_automaton()
        found["pyahocorasick"] = lambda text: list(automaton.iter(text))
    try:
        import re2
    except ImportError:
        found["re2 (google-re2)"] = "not installed"
    else:
        leads = re.escape("\n" + GLUE_CHARS.replace("\\", ""))
        alternatives = "|".join(map(re.escape, [*words]))
        superset = re2.compile(
            rf"[{leads}][^\S\n]*(?:{alternatives})|{'|'.join(map(re.escape, brand))}"
        )
        found["re2 (google-re2)"] = lambda text: [m.start() for m in superset.finditer(text)]
    return found


def clean_us(texts: Sequence[str], engine: str) -> float:
    matcher = PromptMatcher(load_catalog(packaged_directory()), engine)
    best = float("inf")
    for _ in range(PASSES):
        strip.clear_caches(matcher)
        started = time.process_time()
        for text in texts:
            matcher.clean(text)
        best = min(best, time.process_time() - started)
    return 1e6 * best / len(texts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    texts = bodies(int(args[0]) if args else 2_000)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    per_text = 1e6 * megabytes / len(texts)  # bytes a text
    matcher = PromptMatcher(load_catalog(packaged_directory()), "python")
    print(f"{len(texts):,} bodies, {megabytes:.1f} MB; the best of {PASSES} passes, CPU time")
    print("\nfinding the anchors (each engine's own pass)")
    for name, find in finders(matcher).items():
        if isinstance(find, str):
            print(f"  {name:24s} {find}")
            continue
        us = best_us(texts, find)
        print(f"  {name:24s} {us:6.1f} µs a text  {per_text / us:6.0f} MB/s")
    print("\nPromptMatcher.clean, caches emptied before each pass")
    for engine in ("python", "hyperscan"):
        try:
            us = clean_us(texts, engine)
        except ValueError as exc:
            print(f"  {engine:24s} {exc}")
            continue
        print(f"  {engine:24s} {us:6.1f} µs a text  {per_text / us:6.0f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
