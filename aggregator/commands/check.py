"""``scrapy check``: Scrapy's contracts, run as a command that reads pages and publishes
nothing (no verdict, summary line or feeds: ``READ_ONLY``). The project's contracts
(``@sample``, ``@fills``) are in ``aggregator.contracts``."""

from __future__ import annotations

from typing import Any, ClassVar

from scrapy.commands.check import Command as ScrapyCheckCommand

from aggregator.utils.process import READ_ONLY


class Command(ScrapyCheckCommand):
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyCheckCommand.default_settings,
        **READ_ONLY,
    }
