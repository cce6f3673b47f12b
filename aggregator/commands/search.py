"""``scrapy search "QUERY"``: ranked results from the search index (``AGGREGATOR_INDEX``, by
default ``sqlite:///OUTPUT_DIR/index.sqlite``).

The query language: words (all must match), ``"a phrase"``, ``-excluded``, ``prefix*``.
Prints title, publication, issue date, URL and a snippet with the match marked ``**so**``;
``--json``: one JSON object a line per result. Each story is listed once: an article stands
for its teaser cards (counted), and a card whose story is in the index shows as that story
(``aggregator.index.stories``); ``--offset N`` pages through the stories. Exit status 0 (no
results included: said on stderr), 2 for a bad argument (an impossible date among them), a
query that cannot be searched or an index that cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from typing import cast

from scrapy.commands import ScrapyCommand

from aggregator.index import (
    Filters,
    IndexUnavailable,
    QueryError,
    Result,
    command_index_url,
    open_index,
)
from aggregator.index.protocol import ItemType
from aggregator.index.stories import search_stories

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False

    def syntax(self) -> str:
        return '[options] "QUERY"'

    def short_desc(self) -> str:
        return 'Search the index: words, "a phrase", -excluded, prefix*'

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="one JSON object per result")
        parser.add_argument("--type", choices=("article", "teaser"), help="only this type")
        parser.add_argument("--publication", help="only this publication (case-blind)")
        parser.add_argument("--language", help="only this language (nb also finds nb-NO)")
        parser.add_argument("--since", help="issue date from (YYYY, YYYY-MM or YYYY-MM-DD)")
        parser.add_argument("--until", help="issue date up to, inclusive (same forms)")
        parser.add_argument("--limit", default="10", help="results at most (default 10)")
        parser.add_argument("--offset", default="0", help="skip this many results (paging)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        try:
            filters = _filters(args, opts)
            offset = _whole("offset", opts.offset, least=0)
            index = open_index(command_index_url(self.settings), create=False)
        except (ValueError, IndexUnavailable) as error:
            print(f"scrapy search: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        try:
            results = search_stories(index, " ".join(args), filters, offset)
        except QueryError as error:
            print(f"scrapy search: {error}", file=sys.stderr)
            self.exitcode = 2
            return
        finally:
            index.close()
        if not results:
            print(f"scrapy search: no results for {' '.join(args)!r}", file=sys.stderr)
        for rank, result in enumerate(results, offset + 1):
            if opts.json:
                print(json.dumps(result.as_json(), ensure_ascii=False))
            else:
                print(render(rank, result))


def _filters(args: list[str], opts: argparse.Namespace) -> Filters:
    if not " ".join(args).strip():
        raise ValueError('give a query: scrapy search "QUERY"')
    for name in ("since", "until"):
        value = getattr(opts, name)
        if value is not None and not _is_date(value):
            raise ValueError(
                f"bad --{name} {value!r}: write a date YYYY, YYYY-MM or YYYY-MM-DD that exists"
            )
    _whole("limit", opts.limit, least=1)
    return Filters(
        type=cast(ItemType | None, opts.type),
        publication=opts.publication,
        language=opts.language,
        since=opts.since,
        until=opts.until,
        limit=int(opts.limit),
    )


def _is_date(value: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` of a day that exists (not ``2024-13``,
    ``2024-02-30``): the forms the crawl's ``since`` refuses too."""
    if not _DATE.fullmatch(value):
        return False
    parts = [int(part) for part in value.split("-")]
    try:
        date(parts[0], *[*parts[1:], 1, 1][:2])
    except ValueError:
        return False
    return True


def _whole(name: str, value: str, least: int) -> int:
    if not value.isdigit() or int(value) < least:
        raise ValueError(f"bad --{name} {value!r}: a whole number from {least}")
    return int(value)


def render(rank: int, result: Result) -> str:
    """A result as three lines: title and facts, URL, snippet."""
    facts = [fact for fact in (result.publication, result.issue_date) if fact]
    if result.type == "article":
        cards = result.teasers or 0
        kind = f"article, {cards} teaser card{'s' * (cards != 1)}"
    else:
        kind = "teaser, premium: story never crawled" if result.premium else "teaser card"
    head = f"{rank}. {result.title or '(untitled)'}"
    if facts:
        head += f" — {', '.join(facts)}"
    return f"{head} ({kind})\n   {result.url or ''}\n   {result.snippet}\n"
