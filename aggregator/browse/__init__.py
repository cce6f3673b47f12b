"""The index as a Datasette site (``scrapy browse``): metadata from the record field docs
(``metadata``, ``fields``), canned queries (``queries``), a plugin (``plugin``: the
project's query language in SQL, links, the article and run history pages of ``pages``),
templates and a stylesheet served by the browser itself (``templates/``, ``static/``).

Datasette is the optional extra ``aggregator[browse]``: ``missing()`` says how to install
it when it is not there.
"""

from __future__ import annotations

INSTALL = "Datasette is not installed: pip install 'aggregator[browse]'"


def missing() -> str | None:
    """None when Datasette can be imported, else the one line that says how to get it."""
    try:
        import datasette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        return f"{INSTALL} ({error})"
    return None
