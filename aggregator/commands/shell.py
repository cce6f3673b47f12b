"""``scrapy shell``, Scrapy's own, without the run verdict: it publishes nothing."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.shell import Command as ScrapyShellCommand

from aggregator.utils.process import READ_ONLY


class Command(ScrapyShellCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyShellCommand.default_settings,
        **READ_ONLY,
    }
