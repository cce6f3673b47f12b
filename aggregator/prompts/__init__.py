"""The aggregator's subscription prompts and interface text: a catalog and a matcher.

``PromptMatcher.default().clean(text)`` removes the localized prompt blocks (edition line,
free-trial or subscribe line, sign-in line) and interface lines from article text, and keeps
the facts the edition line carries (publication, issue date). No Scrapy here: plain text in,
plain text out.
"""

from aggregator.prompts.catalog import KINDS, PREVIEW_KINDS, PROMPT_KINDS, CatalogError
from aggregator.prompts.matcher import CleanResult, EditionFacts, LineMatch, PromptMatcher

__all__ = [
    "KINDS",
    "PREVIEW_KINDS",
    "PROMPT_KINDS",
    "CatalogError",
    "CleanResult",
    "EditionFacts",
    "LineMatch",
    "PromptMatcher",
]
