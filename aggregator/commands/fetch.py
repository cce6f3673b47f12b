"""``scrapy fetch``, Scrapy's own, without the run verdict: it publishes nothing."""

from __future__ import annotations

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from aggregator.commands.process import READ_ONLY


class Command(ScrapyFetchCommand):
    default_settings = {**ScrapyFetchCommand.default_settings, **READ_ONLY}
