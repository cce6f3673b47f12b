"""The spiders' ``-a`` arguments in ``-h``: ``scrapy crawl issues -h`` lists ``start_urls``,
``since`` and ``max_issues`` with their forms; ``scrapy crawl -h`` lists every spider's.

Scrapy builds a command's help before it knows the spider, so the spider is read from the
command line itself (Scrapy has taken the command's name out of ``sys.argv`` by then); a spider says
its arguments in its ``argument_forms`` (name -> form), next to where it parses them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scrapy.commands import ScrapyHelpFormatter
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader


class _Formatter(argparse.RawDescriptionHelpFormatter, ScrapyHelpFormatter):
    """Scrapy's headings, the argument list kept as written (one argument a line)."""


def named_spider(argv: Sequence[str], names: Sequence[str]) -> str | None:
    """The spider the command line names: its first word that is a spider's name
    (``scrapy crawl -s X=1 issues -h`` -> ``issues``)."""
    return next((word for word in argv[1:] if word in names), None)


def spider_arguments_help(settings: BaseSettings, argv: Sequence[str]) -> str:
    """The text of the spiders' arguments: the named spider's, else every spider's."""
    loader = get_spider_loader(settings)
    names = sorted(loader.list())
    chosen = named_spider(argv, names)
    blocks = []
    for name in [chosen] if chosen else names:
        forms: dict[str, str] = getattr(loader.load(name), "argument_forms", {})
        if not forms:
            continue
        width = max(map(len, forms))
        lines = [f"  -a {arg}={' ' * (width - len(arg))} {form}" for arg, form in forms.items()]
        blocks.append(f"Spider arguments of {name}\n" + "\n".join(lines))
    return "\n\n".join(blocks)


def add_spider_arguments_help(parser: argparse.ArgumentParser, settings: BaseSettings) -> None:
    """Put the spiders' arguments at the end of ``parser``'s help."""
    text = spider_arguments_help(settings, sys.argv)
    if text:
        parser.formatter_class = _Formatter
        parser.epilog = text
