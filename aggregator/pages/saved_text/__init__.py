"""A story page as a text extractor saved it (web-text corpora): text in, items out.

``SavedTextPage`` (page.py) reads it in layers, each a module: the lines and the matcher's
scan (lines.py, base.py), the header (header.py), the publication names (names.py), the
teaser cards (cards.py, each card by its layout in card_layouts.py), then the body and the
items (page.py).
"""

from aggregator.pages.saved_text.lines import NOISE, page_lines
from aggregator.pages.saved_text.page import SavedTextPage

__all__ = ["NOISE", "SavedTextPage", "page_lines"]
