"""One cold ``PromptMatcher.clean`` pass over the bench bodies, for an instruction counter.

    valgrind --tool=callgrind --collect-atstart=no --toggle-collect=builtin_any \
        python -m benchmarks.cold_pass all 1000                                  # the pass alone

The pass runs inside one call of the built-in ``any`` (and nothing else in the process
does), so ``--toggle-collect=builtin_any`` counts the pass and nothing else: the total
divided by the number of bodies is the instructions a text of a cold pass, the same for the
same code and input whatever the machine's load (BENCHMARKS.md, issue 25). The older way,
two whole runs subtracted, gives the same figure within the noise of start-up:

    valgrind --tool=callgrind python -m benchmarks.cold_pass all 1000          # the pass
    valgrind --tool=callgrind python -m benchmarks.cold_pass all 1000 --none   # without it

``all`` loads every catalog language, else the one named.
"""

from __future__ import annotations

import argparse

from aggregator.prompts import PromptMatcher
from benchmarks import strip
from benchmarks.texts import bodies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cold_pass")
    parser.add_argument("languages", help="'all', or one catalog language code")
    parser.add_argument("count", type=int, help="bench bodies to clean")
    parser.add_argument("--none", action="store_true", help="build everything, clean nothing")
    args = parser.parse_args(argv)
    texts = bodies(args.count)
    matcher = PromptMatcher.default(None if args.languages == "all" else [args.languages])
    matcher.clean(texts[0][:50])  # whatever a first call sets up lazily, in both runs
    strip.clear_caches(matcher)
    if not args.none:
        # the whole pass in one call of a C function, the counter's toggle (``any``: no
        # result of ``clean`` is None, so it runs to the end)
        any(matcher.clean(text) is None for text in texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
