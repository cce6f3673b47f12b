"""The publication names a saved page text prints: the page's (header, edition line), the
URL's slug as printed text, and the one a "more stories" heading names. A card's headline is
never one of them alone."""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from urllib.parse import unquote

from aggregator.pages.saved_text.header import HeaderReading
from aggregator.site.urls import NOT_ALNUM

# A "more stories" heading is short; its words before any glued link text are in capitals.
HEADING_MAX_CHARS = 100


HEADING_UPPER_SHARE = 0.8


class PublicationNames(HeaderReading):
    body_end: int
    teaser_start: int

    @cached_property
    def _names(self) -> tuple[str, ...]:
        """The publication names a card may print (casefolded): the page's, and the "more
        stories" heading's, the text between the heading's phrase and its link."""
        known = self._named_publication
        return (known.casefold(),) if known else ()

    @cached_property
    def _heading_text(self) -> str:
        """The "more stories" heading lines before the cards, casefolded."""
        return " ".join(
            self.lines[i].casefold()
            for i in range(self.body_end, self.teaser_start)
            if self._kind(i) == "more_stories" or i == self.heading_index
        )

    def _is_name(self, line: str) -> bool:
        """``line`` is a publication's name alone: the page's publication, the URL's, or
        the one the "more stories" heading names (the heading holds the whole line)."""
        folded = line.casefold()
        if folded in self._names:
            return True
        if self._slug_name is not None and self._slug_name.fullmatch(line):
            return True
        return len(folded) >= 2 and folded in self._heading_text

    def _is_name_start(self, line: str) -> bool:
        """``line`` is a publication's name, or the start of one (a text cut inside it)."""
        folded = line.casefold()
        return self._is_name(line) or any(name.startswith(folded) for name in self._names)

    @property
    def _named_publication(self) -> str | None:
        """The publication as the header or the edition line names it."""
        if self.header.publication:
            return self.header.publication
        if self.facts is not None and self.facts.publication:
            return self.facts.publication
        return self._edition_name

    @cached_property
    def _slug_name(self) -> re.Pattern[str] | None:
        """The URL's publication slug as printed text: its letters and digits in order, with
        anything but letters and digits between them ("Readers-Digest-UK" finds "Reader's
        Digest UK", "READERS DIGEST UK")."""
        return None if self.story_url is None else _slug_pattern(self.story_url.publication_slug)

    @cached_property
    def _edition_name(self) -> str | None:
        """The publication in an edition line of a language with no catalog file, where the
        fallback cannot tell which words are the name: the words that spell the URL's slug."""
        if self._slug_name is None:
            return None
        for line, match in zip(self.lines, self.matches, strict=True):
            if match is not None and match.kind == "edition" and match.facts is not None:
                found = self._slug_name.search(line, match.start)
                if found is not None:
                    return found.group()
        return None

    def _is_heading(self, index: int) -> bool:
        """A "more stories" heading in a language with no catalog file, right after the
        prompt: the publication's name with words around it, in capitals ("MEER VERHALEN
        VAN CHAMPAKAlles bekijken"), or with words in a script without case. Never a name."""
        line = self.lines[index]
        found = self._slug_name.search(line) if self._slug_name is not None else None
        if found is None or len(line) > HEADING_MAX_CHARS:
            return False
        rest = line[: found.start()] + line[found.end() :]
        if not any(ch.isalpha() for ch in rest):
            return False  # the name alone: a card's publication line
        head = line[: _glued_link(line, found.end())]
        cased = [ch for ch in head if ch.isupper() or ch.islower()]
        if cased and sum(ch.isupper() for ch in cased) >= HEADING_UPPER_SHARE * len(cased):
            return True
        return not any(ch.isupper() or ch.islower() for ch in rest)


@lru_cache(maxsize=1024)  # a dump holds a few hundred publications, on many pages each
def _slug_pattern(publication_slug: str) -> re.Pattern[str] | None:
    chars = NOT_ALNUM.sub("", unquote(publication_slug))
    if not chars:
        return None
    return re.compile(r"[\W_]*".join(map(re.escape, chars)), re.IGNORECASE)


def _glued_link(line: str, start: int) -> int:
    """Where link text glued to a heading in capitals begins ("…CHAMPAKAlles bekijken"):
    the last capital that follows a capital and comes before a small letter."""
    for index in range(len(line) - 2, max(start, 1) - 1, -1):
        if line[index - 1].isupper() and line[index].isupper() and line[index + 1].islower():
            return index
    return len(line)
