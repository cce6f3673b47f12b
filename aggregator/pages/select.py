"""Reading elements at lxml cost: compiled CSS selectors, class tests, the text of elements."""

from __future__ import annotations

import codecs
import re
import threading
from functools import lru_cache
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath
from scrapy.http import TextResponse

from aggregator.utils.text import collapse


def text_of(node: Selector | SelectorList[Selector] | None) -> str | None:
    """The visible text of an element (or of a selection's elements), whitespace collapsed
    as a browser renders it; None when there is no element or no text."""
    if node is None:
        return None
    selectors = node if isinstance(node, SelectorList) else [node]
    return element_text(*(s.root for s in selectors))


def element_text(*elements: Any) -> str | None:
    """``text_of`` for lxml elements: their ``.//text()`` (lxml's itertext), collapsed."""
    parts: list[str] = []
    for element in elements:
        if isinstance(element, str):  # a text or attribute node
            parts.append(element)
        elif element is not None:
            parts.extend(element.itertext())
    return collapse(" ".join(parts)) or None


@lru_cache(maxsize=512)
def compiled(css: str) -> etree.XPath:
    """A CSS selector compiled once. parsel compiles its XPath at every call, which on a
    page of cards (six parts a card) was most of the cost of reading a story page."""
    return etree.XPath(css2xpath(css))


def select(element: Any, css: str) -> list[Any]:
    """What ``css`` selects under ``element`` (elements, or strings for ``::attr``/``::text``),
    in document order: ``Selector.css`` without a ``Selector`` per result."""
    return compiled(css)(element)  # type: ignore[no-any-return]


_CLASS_CONTAINING = etree.XPath("//@class[contains(., $name)]", smart_strings=False)


# the separators of class names as XPath's normalize-space has them: XML whitespace
CLASS_SEPARATORS = re.compile(r"[ \t\n\r]+")


def has_class(root: Any, names: list[str]) -> bool:
    """Whether an element of the document has one of the class ``names``: the CSS selector
    ``.a, .b`` without its per-element predicate (the class attributes are read as strings,
    and only those holding a name are split)."""
    for name in names:
        for value in _CLASS_CONTAINING(root, name=name):
            if name in CLASS_SEPARATORS.split(str(value)):
                return True
    return False


_WITH_CLASS_CONTAINING = etree.XPath("//@class[contains(., $name)]/..")


def with_class(root: Any, name: str) -> list[Any]:
    """The elements with the class ``name``, in document order: the CSS selector ``.name``
    (as parsel translates it), at about half its cost on a large page: libxml2 reads the
    class attributes as strings, and only those holding the name are split."""
    return [
        element
        for element in _WITH_CLASS_CONTAINING(root, name=name)
        if name in CLASS_SEPARATORS.split(element.get("class", ""))
    ]


# Encodings in which an ASCII string is the same bytes: the body is searched without the text.
_ASCII_SAFE = frozenset({"utf-8", "ascii", "latin-1", "cp1252", "iso8859-1", "iso8859-15"})


def ascii_body(response: TextResponse) -> bool:
    """Whether the page's encoding spells ASCII as ASCII: an ASCII string is in its text
    exactly when its bytes are in the body."""
    return codecs.lookup(response.encoding).name in _ASCII_SAFE


def mentions(response: TextResponse, word: str) -> bool:
    """Whether the page's text holds the ASCII ``word`` anywhere (markup included). Searched
    in the body's bytes when its encoding spells ASCII as ASCII: a search of the decoded
    text of a page in a non-Latin script is several times slower."""
    if ascii_body(response):
        return word.encode("ascii") in response.body
    return word in response.text


def select_in(elements: list[Any], css: str) -> list[Any]:
    """``select`` under each of ``elements`` in turn: ``SelectorList.css``."""
    return [found for element in elements for found in compiled(css)(element)]


def find(element: Any, css: str) -> Any:
    """The first element under ``element`` that ``css`` selects, or None."""
    found = compiled(css)(element)
    return found[0] if found else None


def first_value(found: list[Any]) -> str | None:
    """The first string of a ``select`` result (``SelectorList.get()``), or None."""
    return str(found[0]) if found else None


def first(selector: Selector, css: str) -> Selector | None:
    found = selector.css(css)
    return found[0] if found else None


# The tags one walk of a page collects (``PageIndex``): the first element of the layouts'
# and the card lists' selectors (article, main, section, div), the lead figure's, and the
# scripts (JSON-LD).
INDEXED_TAGS = ("article", "main", "section", "div", "figure", "script")

# ``tag[.class…]`` then, after a space, the rest of a descendant selector
_ANCHORED = re.compile(r"([a-z][a-z0-9]*)((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)(?:\s+([^\s>+~,].*))?")


@lru_cache(maxsize=256)
def _anchored(css: str) -> tuple[str, tuple[str, ...], etree.XPath | None] | None:
    """``css`` as (tag, classes, the query of the rest under such an element), when its
    first compound is a ``tag.class`` of ``INDEXED_TAGS`` followed by a descendant
    combinator (or nothing); None for any other selector."""
    match = _ANCHORED.fullmatch(css.strip())
    if match is None or match.group(1) not in INDEXED_TAGS or "::" in css:
        return None
    tag, rest = match.group(1), match.group(3)
    classes = tuple(match.group(2)[1:].split(".")) if match.group(2) else ()
    if rest is None:
        return tag, classes, None
    # the rest as parsel translates it from a context element, made strictly below it
    # (the descendant combinator): "descendant-or-self::X..." -> "descendant::X..."
    xpath = css2xpath(rest)
    prefix = "descendant-or-self::"
    if not xpath.startswith(prefix) or "|" in xpath:
        return None
    return tag, classes, etree.XPath("descendant::" + xpath[len(prefix) :])


class PageIndex:
    """The elements of ``INDEXED_TAGS`` of one page, in document order, from one walk of its
    tree (lxml's tag iterator makes a Python element only for those), and the whole-page
    selectors that start at one of them, read from there.

    A whole-page query walks every node of the page (2,000+ elements with a site's chrome),
    and a story page asked five or six of them (its layout's detection, head, body, cards):
    ``select`` gives the same elements, in document order, from the indexed elements with the
    selector's first compound and the rest of it under each of them."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.elements = list(root.iter(*INDEXED_TAGS))  # document order
        self.by_tag: dict[str, list[Any]] = {tag: [] for tag in INDEXED_TAGS}
        for element in self.elements:
            self.by_tag[element.tag].append(element)
        self._selected: dict[str, list[Any]] = {}

    def under(self, tags: tuple[str, ...], query: etree.XPath) -> list[Any]:
        """What ``query`` selects under each outermost element of ``tags`` (indexed tags),
        in document order: the XPath union ``//t1/Q | //t2/Q …`` for a ``query`` that stays
        inside its context element (``descendant::…``, ``descendant-or-self::…``)."""
        found: list[Any] = []
        outer: Any = None
        for element in self.elements:
            if element.tag not in tags:
                continue
            # one inside an earlier one selects nothing that one did not
            if outer is not None and any(a is outer for a in element.iterancestors(*tags)):
                continue
            outer = element
            found.extend(query(element))
        return found

    def select(self, css: str) -> list[Any]:
        """``select(root, css)``, each selector read once a page."""
        found = self._selected.get(css)
        if found is None:
            found = self._selected[css] = self._select(css)
        return found

    def _select(self, css: str) -> list[Any]:
        plan = _anchored(css)
        if plan is None:
            return select(self.root, css)
        tag, classes, rest = plan
        anchors = [
            element for element in self.by_tag[tag] if _has_classes(element.get("class"), classes)
        ]
        if rest is None:
            return anchors
        found: list[Any] = []
        outer: Any = None
        for anchor in anchors:
            # one inside an earlier anchor selects nothing that one did not (a subset of its
            # descendants): skipped, the results stay in document order without repeats
            if outer is not None and any(a is outer for a in anchor.iterancestors(tag)):
                continue
            outer = anchor
            found.extend(rest(anchor))
        return found


def _has_classes(value: str | None, names: tuple[str, ...]) -> bool:
    if not names:
        return True
    if value is None:
        return False
    classes = CLASS_SEPARATORS.split(value)
    return all(name in classes for name in names)


# the last page's index, one per thread (the corpus reads shards in a thread pool)
_last = threading.local()


def page_index(root: Any) -> PageIndex:
    """The ``PageIndex`` of the page whose root is ``root``: built once a page (the last
    one of each thread is kept, and a page is read from start to end before the next)."""
    index: PageIndex | None = getattr(_last, "index", None)
    if index is None or index.root is not root:
        index = _last.index = PageIndex(root)
    return index
