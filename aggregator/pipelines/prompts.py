"""Prompt stage: remove the localized subscription prompts and other interface text from
every text field, and keep the facts the edition line carries.

The matching itself lives in ``aggregator.prompts`` (catalog data + matcher, no Scrapy).
This stage applies it to items, fills ``publication`` / ``issue_label`` / ``issue_date``
where the page gave none, sets ``prompt_language``, and counts everything in stats.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from aggregator.prompts import PREVIEW_KINDS, EditionFacts, PromptMatcher
from aggregator.site.dates import issue_date
from aggregator.utils.capped_warnings import CappedWarnings
from aggregator.utils.item_fields import ItemFields

logger = logging.getLogger(__name__)

TEXT_FIELDS = ("body", "title", "standfirst", "summary")
# The distinct prompt lines of a language with no catalog file that are logged (each once);
# the rest are counted in one closing line.
FALLBACK_WARNINGS = 20
FALLBACK_KIND = "prompt lines of a language with no catalog file"


class PromptPipeline:
    def __init__(self, stats: StatsCollector, matcher: PromptMatcher) -> None:
        self.stats = stats
        self.matcher = matcher
        self.fallback_warnings = CappedWarnings(logger, limit=FALLBACK_WARNINGS)
        self.fallback_logged: set[str] = set()  # at most FALLBACK_WARNINGS lines

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PromptPipeline:
        settings = crawler.settings
        if not settings.getbool("AGGREGATOR_PROMPTS_ENABLED", True):
            raise NotConfigured("AGGREGATOR_PROMPTS_ENABLED is off: interface text is kept")
        languages = settings.getlist("AGGREGATOR_PROMPTS_LANGUAGES") or None
        assert crawler.stats is not None
        return cls(crawler.stats, PromptMatcher.default(languages))

    def close_spider(self) -> None:
        self.fallback_warnings.close("prompt lines")

    def process_item(self, item: Any) -> Any:
        adapter = ItemFields(item)
        prompt_language: str | None = None
        facts: EditionFacts | None = None
        preview_lines = False
        for name in TEXT_FIELDS:
            value = adapter.get(name) if name in adapter.field_names() else None
            if not isinstance(value, str) or not value:
                continue
            result = self.matcher.clean(value)
            if not result.removed and not result.interface_removed:
                continue
            adapter[name] = result.text if name == "body" else (result.text or None)
            for language, count in result.removed.items():
                self.stats.inc_value(f"aggregator/prompts/removed/{language}", count)
            for kind, count in result.interface_removed.items():
                self.stats.inc_value(f"aggregator/prompts/interface/{kind}", count)
            self._report_fallback(result.fallback_lines, adapter)
            prompt_language = prompt_language or result.language
            facts = facts or result.facts
            preview_lines = preview_lines or any(
                k in PREVIEW_KINDS for k in result.interface_removed
            )
        if "prompt_language" in adapter.field_names():
            if preview_lines:
                adapter["is_preview"] = True  # a price banner or app link instead of the rest
            self._update_article(adapter, prompt_language, facts)
        return item

    def _update_article(
        self, adapter: ItemFields, language: str | None, facts: EditionFacts | None
    ) -> None:
        if language is None:
            return
        adapter["prompt_language"] = language
        adapter["is_preview"] = True  # the prompt is what a preview page shows instead
        if facts is not None:
            self._keep_facts(adapter, facts)

    def _keep_facts(self, adapter: ItemFields, facts: EditionFacts) -> None:
        """Fill what the page lacked; where both have a value, the page's wins."""
        conflict = False
        if facts.publication:
            page = adapter.get("publication")
            if not page:
                adapter["publication"] = facts.publication
            elif page.casefold() != facts.publication.casefold():
                conflict = True
        if facts.issue_label and not adapter.get("issue_label"):
            adapter["issue_label"] = facts.issue_label
        if facts.issue_date:
            page_date = adapter.get("issue_date")
            if not page_date:
                adapter["issue_date"] = facts.issue_date
            elif page_date != facts.issue_date:
                if issue_date(page_date, facts.issue_label) == facts.issue_date:
                    # a monthly the page stored as a day, printed as a month (site.dates)
                    adapter["issue_date"] = facts.issue_date
                else:
                    conflict = True
        if conflict:
            self.stats.inc_value("aggregator/prompts/metadata_conflict")
            logger.info(
                "Edition line disagrees with the page, page kept: %s (page: %s, %s; line: %s, %s)",
                adapter.get("url"),
                adapter.get("publication"),
                adapter.get("issue_date"),
                facts.publication,
                facts.issue_date,
            )

    def _report_fallback(self, lines: list[str], adapter: ItemFields) -> None:
        for line in lines:
            self.stats.inc_value("aggregator/prompts/fallback")
            if line in self.fallback_logged:
                continue
            logged = self.fallback_warnings.warn(
                FALLBACK_KIND,
                "Removed a prompt line in a language with no catalog entry (add a catalog "
                "file under aggregator/prompts/strings/): %r on %s",
                line,
                adapter.get("url") or adapter.get("source_url"),
            )
            if logged:
                self.fallback_logged.add(line)
