"""``scrapy view``, Scrapy's own, without the run verdict: it publishes nothing."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.view import Command as ScrapyViewCommand

from aggregator.utils.process import READ_ONLY


class Command(ScrapyViewCommand):
    default_settings: ClassVar[dict[str, Any]] = {**ScrapyViewCommand.default_settings, **READ_ONLY}
