"""What the matcher finds: per line (``LineMatch``), per text (``CleanResult``), and the
facts an edition line carries (``EditionFacts``). Plain data and the one rule that picks a
text's edition facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from aggregator.prompts.catalog import UNDETERMINED
from aggregator.prompts.compiler import is_placeholder
from aggregator.site.dates import parse_issue_date


@dataclass(frozen=True)
class EditionFacts:
    publication: str | None  # None when the slot was an unrendered placeholder
    issue_label: str | None  # the date as printed, e.g. "November 07, 2024"
    issue_date: str | None  # "YYYY-MM-DD", or "YYYY-MM" for a month-only label

    @property
    def has_values(self) -> bool:
        return self.publication is not None or self.issue_label is not None


@dataclass(frozen=True)
class LineMatch:
    kind: str
    language: str  # catalog language code, or "und" for a structural-fallback hit
    start: int  # where the interface text begins in the line (>0 when glued to article text)
    facts: EditionFacts | None = None


@dataclass
class CleanResult:
    text: str
    language: str | None
    removed: dict[str, int] = field(default_factory=dict)
    interface_removed: dict[str, int] = field(default_factory=dict)
    facts: EditionFacts | None = None
    fallback_lines: list[str] = field(default_factory=list)


@lru_cache(maxsize=4096)
def edition_facts(pub: str | None, label: str | None, language: str) -> EditionFacts:
    """The facts of an edition line's slots: a placeholder slot gives nothing."""
    publication = None if pub is None or is_placeholder(pub) else " ".join(pub.split())
    if label is None or is_placeholder(label):
        return EditionFacts(publication, None, None)
    label = " ".join(label.split())
    lang = None if language == UNDETERMINED else language
    return EditionFacts(publication, label, parse_issue_date(label, lang))


def first_facts(matches: Iterable[LineMatch | None]) -> tuple[EditionFacts | None, str | None]:
    """A text's edition facts: the first edition line's that has values, a catalog
    language's before the structural fallback's; and that line's language."""
    fallback = None
    for match in filter(None, matches):  # (most lines hold no match)
        if match.facts is None or not match.facts.has_values:
            continue
        if match.language != UNDETERMINED:
            return match.facts, match.language
        fallback = fallback or match.facts
    return fallback, UNDETERMINED if fallback else None
