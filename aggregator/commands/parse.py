"""``scrapy parse``, with the spider's arguments checked first, as ``crawl`` does.

Scrapy builds the spider inside the running reactor, where a bad ``-a`` value becomes an
"exception was never retrieved" traceback and "No response downloaded". This command finds
the spider (``--spider`` or the one for the URL), asks it to check its arguments, and stops
with one line on stderr and exit status 2 when they are bad. Without ``-c`` the spiders'
default callback reads any page type; without ``--spider`` the issues spider claims the
site's pages, live or mirrored (``IssuesSpider.handles_request``).

Scrapy's own command wraps the callback in a function that returns a Deferred, which Scrapy
2.19 warns about (``ScrapyDeprecationWarning``, naming our spider's ``parse``): here that
wrapper is awaited inside a coroutine callback instead. ``-h`` lists the spiders' arguments.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, ClassVar

from scrapy import Request, Spider
from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.http import Response
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.spider import spidercls_for_request
from w3lib.url import is_url

from aggregator.commands.spider_help import add_spider_arguments_help
from aggregator.spiders.arguments import argument_error
from aggregator.utils.process import READ_ONLY, crawler_process
from aggregator.utils.renamed_settings import apply_renames


class Command(ScrapyParseCommand):
    requires_crawler_process = False  # made once the arguments are known to be good
    default_settings: ClassVar[dict[str, Any]] = {
        **ScrapyParseCommand.default_settings,
        **READ_ONLY,
    }

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        assert self.settings is not None
        add_spider_arguments_help(parser, self.settings)

    def prepare_request(
        self, spider: Spider, request: Request, opts: argparse.Namespace
    ) -> Request:
        request = super().prepare_request(spider, request, opts)
        scrapy_callback = request.callback
        assert callable(scrapy_callback)

        async def callback(response: Response, **cb_kwargs: Any) -> Any:
            return await maybe_deferred_to_future(scrapy_callback(response, **cb_kwargs))

        request.callback = callback
        return request

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        apply_renames(self.settings)
        if len(args) == 1 and is_url(args[0]):
            loader = get_spider_loader(self.settings)
            try:
                spidercls = (
                    loader.load(opts.spider)
                    if opts.spider
                    else spidercls_for_request(loader, Request(args[0]))
                )
            except KeyError:
                spidercls = None  # Scrapy says it: "Unable to find spider"
            error = spidercls and argument_error(spidercls, self.settings, dict(opts.spargs))
            if error:
                print(f"scrapy parse: {error}", file=sys.stderr)
                self.exitcode = 2
                return
        self.crawler_process = crawler_process(self.settings)
        super().run(args, opts)
