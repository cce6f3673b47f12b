"""``release_tree``: let a read response's parsed tree go as soon as its callback is done.

Scrapy's ``TextResponse.selector`` keeps the ``Selector`` it made (``_cached_selector``), and
that ``Selector`` keeps its response (``Selector.response``): a reference cycle, so reference
counting never frees a response, its ``Selector`` or the whole lxml tree behind them. Each
waits for a full collection of Python's garbage collector, and every such collection frees
the hundred-odd trees read since the last one (BENCHMARKS.md, issue 25, gc30). Once every
page object of a callback has read what it needs, dropping the cached selector breaks the
cycle: the response and its tree are freed when the last reference to them goes. A later
``response.selector`` (nothing of ours asks one) would parse the body again.
"""

from __future__ import annotations

from scrapy.http import Response, TextResponse


def release_tree(response: Response) -> None:
    """Forget ``response``'s cached selector (and with it the reference back to the
    response), so that the response and its parsed tree are freed without the collector."""
    if isinstance(response, TextResponse):
        response._cached_selector = None
