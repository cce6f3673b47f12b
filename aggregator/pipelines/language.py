"""Language stage: the language of the article text, when the page did not declare it.

Pages with JSON-LD say ``inLanguage``; dumps and pages of unknown layouts do not. Runs after
the prompt stage so the interface language of a prompt cannot sway it. Off with
``AGGREGATOR_DETECT_LANGUAGE = False``.
"""

from __future__ import annotations

from typing import Any

import py3langid
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from aggregator.pipelines.fields import ItemFields

# The start of a story tells its language; reading more only costs time (py3langid: 0.3 ms
# for 600 characters, 4 ms for 2,000; 400 already name every sample story's language).
SAMPLE_CHARS = 600
MIN_CHARS = 40  # below this a guess is noise


class LanguagePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LanguagePipeline:
        if not crawler.settings.getbool("AGGREGATOR_DETECT_LANGUAGE", True):
            raise NotConfigured("AGGREGATOR_DETECT_LANGUAGE is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        adapter = ItemFields(item)
        if "language" not in adapter.field_names() or adapter.get("language"):
            return item
        body = adapter.get("body") or ""
        if len(body) < MIN_CHARS:
            return item
        language, _score = py3langid.classify(body[:SAMPLE_CHARS])
        adapter["language"] = str(language)
        self.stats.inc_value(f"aggregator/language/detected/{language}")
        return item
