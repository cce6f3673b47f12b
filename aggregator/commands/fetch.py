"""``scrapy fetch``, Scrapy's own, without the run verdict: it publishes nothing."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from aggregator.utils.process import READ_ONLY


class Command(ScrapyFetchCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyFetchCommand.default_settings,
        **READ_ONLY,
    }
