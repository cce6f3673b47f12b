"""Prompt stripping speed: ``PromptMatcher.clean`` over article bodies, in MB/s (10^6 bytes of
UTF-8 input per second), with one catalog language loaded and with all of them.

Each pass starts with the matcher's caches empty (``clear_caches``: edition-date parses,
edition facts, the matcher's per-line memos), as a crawl starts: a crawl meets each issue's
prompt lines and date label again on the issue's other pages, and the bodies here come about
eight to an issue, like the pages of a crawl. A second, warm pass over the same bodies (every
cache full) is reported beside it. Passes are short, so a run takes the median of several.

``measure_pair`` is what ``benchmarks.run`` reports: one language and all of them in turn,
a cold and a warm pass of each per round, in CPU time (``process_time``: a pass that waits
for a core is not slowed by the wait), the order swapped every round. On a shared machine
a pass's rate moves by a third from one second to the next; the two passes of a round meet
the same load, so the per-round difference of the two is the verdict's figure (the median
of the rounds'), not the difference of two medians taken minutes apart.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from aggregator.prompts import PromptMatcher


@dataclass(frozen=True)
class StripResult:
    languages: str  # "en" or "all"
    catalog_languages: tuple[str, ...]
    megabytes: float
    bodies: int
    cold_mb_per_s: float  # median over the passes, caches cleared before each
    warm_mb_per_s: float  # median of the same passes run again, caches full
    removed_share: float  # share of bodies that had prompt lines removed


def clear_caches(matcher: PromptMatcher | None = None) -> None:
    """Empty the caches of edition-line facts and date parses, and ``matcher``'s memo of
    per-line matches, as a crawl starts."""
    from aggregator.prompts import results
    from aggregator.site import dates

    results.edition_facts.cache_clear()
    dates.parse_label.cache_clear()
    if matcher is not None:
        matcher.clear_caches()  # the memos are the matcher's own


def _pass(
    matcher: PromptMatcher, bodies: Sequence[str], clock: Callable[[], float] = time.perf_counter
) -> tuple[float, int]:
    removed = 0
    started = clock()
    for body in bodies:
        if matcher.clean(body).removed:
            removed += 1
    return clock() - started, removed


def measure(
    bodies: Sequence[str], languages: Collection[str] | None, repeats: int = 3
) -> StripResult:
    matcher = PromptMatcher.default(languages)  # built (and cached) outside the timing
    megabytes = sum(len(b.encode("utf-8")) for b in bodies) / 1e6
    cold: list[float] = []
    warm: list[float] = []
    removed = 0
    for _ in range(repeats):
        clear_caches(matcher)
        seconds, removed = _pass(matcher, bodies)
        cold.append(megabytes / seconds)
        seconds, _ = _pass(matcher, bodies)
        warm.append(megabytes / seconds)
    clear_caches(matcher)
    return StripResult(
        languages="all" if languages is None else ",".join(sorted(languages)),
        catalog_languages=tuple(matcher.languages),
        megabytes=round(megabytes, 3),
        bodies=len(bodies),
        cold_mb_per_s=statistics.median(cold),
        warm_mb_per_s=statistics.median(warm),
        removed_share=removed / len(bodies) if bodies else 0.0,
    )


@dataclass(frozen=True)
class PairedResult:
    """``measure_pair``: each side's medians, and the median of the rounds' differences."""

    one: StripResult
    every: StripResult
    rounds: int
    difference: float  # median over the rounds of (faster - slower) / faster, cold passes
    difference_range: tuple[float, float]


def measure_pair(bodies: Sequence[str], language: str = "en", rounds: int = 9) -> PairedResult:
    """``language`` alone and every catalog language, in paired rounds (the module's
    docstring): per round a cold and a warm pass of each, the order swapped each round."""
    matchers = {"one": PromptMatcher.default([language]), "every": PromptMatcher.default(None)}
    megabytes = sum(len(b.encode("utf-8")) for b in bodies) / 1e6
    cold: dict[str, list[float]] = {"one": [], "every": []}
    warm: dict[str, list[float]] = {"one": [], "every": []}
    removed = dict.fromkeys(matchers, 0)
    differences: list[float] = []
    for round_ in range(rounds):
        order = ("one", "every") if round_ % 2 == 0 else ("every", "one")
        for side in order:
            matcher = matchers[side]
            clear_caches(matcher)
            seconds, removed[side] = _pass(matcher, bodies, time.process_time)
            cold[side].append(megabytes / seconds)
            seconds, _ = _pass(matcher, bodies, time.process_time)
            warm[side].append(megabytes / seconds)
        low, high = sorted((cold["one"][-1], cold["every"][-1]))
        differences.append((high - low) / high)
    for matcher in matchers.values():
        clear_caches(matcher)

    def result(side: str) -> StripResult:
        return StripResult(
            languages=language if side == "one" else "all",
            catalog_languages=tuple(matchers[side].languages),
            megabytes=round(megabytes, 3),
            bodies=len(bodies),
            cold_mb_per_s=statistics.median(cold[side]),
            warm_mb_per_s=statistics.median(warm[side]),
            removed_share=removed[side] / len(bodies) if bodies else 0.0,
        )

    return PairedResult(
        one=result("one"),
        every=result("every"),
        rounds=rounds,
        difference=statistics.median(differences),
        difference_range=(min(differences), max(differences)),
    )
