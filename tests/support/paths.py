"""Every path the tests read, derived from this file, never from the working directory.

../shared (the reference mirror ``site/``, the seed, the output checker) is third-party text kept
outside this repository: tests.support.shared skips what reads it when it is absent.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.crawl import ROOT

# -- the repository's own files ---------------------------------------------------------------

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures"
DUMP_FIXTURES = FIXTURES / "dumps"
SHAPES = DUMP_FIXTURES / "shapes.jsonl"  # one record per saved-text shape, with a ``name``
WILD = DUMP_FIXTURES / "wild.jsonl"  # invented page texts with their reviewed ``expect``
# more, in the page structures of issue 18 (broken headers, card layouts, cut cards)
PAGE_SHAPES = DUMP_FIXTURES / "page_shapes.jsonl"
TXT_PAGE = DUMP_FIXTURES / "gold2025.txt"  # a .txt page: the shape "gold2025", saved alone
EXPECTED = TESTS / "expected"  # golden files (python -m tests.support.golden)
SAMPLES = ROOT / "samples"  # the project's generated mirror (python -m sitegen)
MANIFEST = SAMPLES / "MANIFEST.json"
# linked only from the German story pages of its issue: the samples crawl starts it too, so
# the crawl meets the same story under two locales
SECOND_LOCALE = "de/stories/food/Brunch/SMALL-PLATES-BIG-AMBITIONS.html"

# -- ../shared: third-party text, read where it lies ------------------------------------------

SHARED = ROOT.parent / "shared"
SITE = SHARED / "site"  # the reference mirror
SITE_EXPECTED = SITE / "expected.json"  # what its pages hold
SEED = SHARED / "seeds" / "000_c93c0c6aaedbf7e3.txt"  # a saved page text
SEED_URL = (
    "https://www.magzter.com/nb/stories/newspaper/The-Independent/"
    "KIM-EXPECTS-LEVERAGE-FOR-LENDING-PUTIN-HIS-TROOPS"
)
CHECK_OUTPUT = SHARED / "tools" / "check_output.py"  # the shared checker of a crawl's output
