"""Links as pages print them: whether an href names a scheme, a story link's canonical form
without parsing it twice, and an href resolved against the page it is on."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse
from scrapy.utils.response import get_base_url

from aggregator.site.urls import canonical_story_url

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def names_scheme(href: str) -> bool:
    """Whether a link names its own scheme (``https:``, ``mailto:``…)."""
    return _SCHEME.match(href) is not None


def quick_canonical(href: str | None) -> str | None:
    """The canonical story URL a link resolves to, read from the link as written, or None
    when that takes resolving it. A canonical URL is made of the last three path segments
    (category, publication, slug): resolving a relative link changes only what precedes
    them, unless a ``.``/``..`` segment follows ``stories/``. Links ``resolve_link`` would
    refuse (other schemes, fragments) give None."""
    if not href or "stories/" not in href:
        return None
    href = href.strip()
    if href.startswith("#") or "/." in href.split("stories/", 1)[1]:
        return None
    if names_scheme(href) and urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    return canonical_story_url(href.split("#", 1)[0])


def resolve_link(response: TextResponse, href: str | None) -> str | None:
    """The absolute URL of a link on the page, or None for a link a site page never needs.

    A link that names its own scheme must be http(s): ``file:``, ``javascript:``,
    ``mailto:`` and the like are not followed. Relative links resolve against the page,
    which is how a ``file://`` mirror links its pages.
    """
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    if _SCHEME.match(href) and urlsplit(href).scheme.lower() not in ("http", "https"):
        return None
    # the page's <base href> when it has one, as Response.urljoin has it
    base = get_base_url(response) if isinstance(response, TextResponse) else response.url
    if href[0] in "?;":  # these keep the base's last path segment: joined to the whole base
        return _join(base, href)
    return _join(_directory(base), href)


# ``urljoin(base, href)`` without the fragment, remembered: the same links are printed on
# many pages (an issue's cards on each of its story pages, the site's chrome on every page),
# and the URL parsing was most of reading a card.
@lru_cache(maxsize=8192)
def _join(base: str, href: str) -> str:
    return urljoin(base, href).split("#", 1)[0]


@lru_cache(maxsize=256)
def _directory(base: str) -> str:
    """``base`` without its last path segment, when that gives every link ``urljoin`` joins
    the same way (a link not starting with ``?`` or ``;``): the links of the pages of one
    folder (a publication's stories) are then remembered once for all of them. A base with
    a query, a fragment or parameters is kept whole."""
    parts = urlsplit(base)
    if parts.query or parts.fragment or ";" in parts.path or not parts.path.startswith("/"):
        return base
    return base[: base.rfind("/") + 1]
