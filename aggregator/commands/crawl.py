"""``scrapy crawl``, with the spider's arguments checked before anything starts.

Scrapy builds the spider inside the running reactor, where an exception becomes a
traceback after a page of start-up logs. Checking first lets a bad ``-a`` value end the
run with one line on stderr (exit status 2), before any log, crawler or request.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess
from scrapy.spiderloader import get_spider_loader

from aggregator.arguments import BadArgument

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


class Command(ScrapyCrawlCommand):
    # The crawler process is made in run(), once the arguments are known to be good:
    # making it starts Scrapy's logging.
    requires_crawler_process = False

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) == 1:
            try:
                spidercls = get_spider_loader(self.settings).load(args[0])
            except KeyError:
                spidercls = None
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                try:
                    check(self.settings, dict(opts.spargs))
                except BadArgument as error:
                    print(f"scrapy crawl {args[0]}: {error}", file=sys.stderr)
                    self.exitcode = 2
                    return
        # the same choice scrapy.cmdline makes for a command that needs a crawler process
        use_asyncio = (
            self.settings["TWISTED_REACTOR"] == ASYNCIO_REACTOR
            and not self.settings.getbool("FORCE_CRAWLER_PROCESS")
        ) or not self.settings.getbool("TWISTED_REACTOR_ENABLED")
        self.crawler_process = (
            AsyncCrawlerProcess(self.settings) if use_asyncio else CrawlerProcess(self.settings)
        )
        super().run(args, opts)
