"""Language stage: the language of the article text, when the page did not declare it.

Pages with JSON-LD say ``inLanguage``; dumps and pages of unknown layouts do not. Runs after
the prompt stage so the interface language of a prompt cannot sway it. Off with
``AGGREGATOR_LANGUAGE_DETECT_ENABLED = False``.

The detector is Google's CLD2 (``pycld2``): compiled tables, no model file to load, and
cheap per story. py3langid, used before, cost far more a call, in Python, and loaded its
model (CPU time and memory) in every process. The figures: BENCHMARKS.md.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import pycld2
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from aggregator.utils.item_fields import ItemFields

# The start of a story tells its language; reading more only costs time.
SAMPLE_CHARS = 600
MIN_CHARS = 40  # below this a guess is noise


@cache
def language_codes() -> dict[str, str]:
    """CLD2's (and pages') codes that name a language otherwise than the items do: the table
    language_codes.toml, which says why each is there."""
    text = resources.files(__package__).joinpath("language_codes.toml").read_text("utf-8")
    codes: dict[str, str] = tomllib.loads(text)["codes"]
    return codes


def item_language(code: str) -> str:
    """The one code of ``code``'s language: ``no``, ``nn`` and ``nb-NO`` are all ``nb``."""
    code = code.strip()
    codes = language_codes()
    if code in codes:
        return codes[code]
    primary = code.replace("_", "-").split("-", 1)[0].lower()
    return codes.get(primary, primary)


# "un": no language found; "xx-…": a script CLD2 knows no language of.
UNKNOWN = ("un", "xx-")

# What CLD2 refuses as "invalid UTF-8": C0/C1 control characters (tab, line breaks aside),
# and lone surrogates, which cannot be encoded at all. Removed only when it refuses a text.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def detect(text: str) -> str | None:
    """The language of ``text`` as a BCP 47 primary subtag, or None when CLD2 finds none."""
    try:
        details = pycld2.detect(text, bestEffort=True)[2]
    except (pycld2.error, UnicodeEncodeError):
        details = pycld2.detect(_REFUSED.sub(" ", text), bestEffort=True)[2]
    code: str = details[0][1]
    if code.startswith(UNKNOWN):
        return None
    return item_language(code)


class LanguagePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        if not crawler.settings.getbool("AGGREGATOR_LANGUAGE_DETECT_ENABLED", True):
            raise NotConfigured("AGGREGATOR_LANGUAGE_DETECT_ENABLED is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemFields(item)
        if "language" not in adapter.field_names():
            return item
        declared = adapter.get("language")
        if declared:
            # a page's inLanguage may name Norwegian "no" or "nb-NO": one code a language
            adapter["language"] = item_language(declared)
            return item
        body = adapter.get("body") or ""
        if len(body) < MIN_CHARS:
            return item
        language = detect(body[:SAMPLE_CHARS])
        if language is None:
            self.stats.inc_value("aggregator/language/undetected")
            return item
        adapter["language"] = language
        self.stats.inc_value(f"aggregator/language/detected/{language}")
        return item
