"""Find and remove the aggregator's subscription prompts and interface lines in article text.

How a text is scanned (``PromptMatcher._scan``):

1. The prefilter (``prefilter.Index``): one regex, the same whatever the number of
   languages, runs once over the text and finds where a template may begin: at a line start
   or a glue point (right after a sentence end, when a dump ran the prompt into the article
   text), the first word of some template. Text with no prompt costs about that one scan.
2. Only those places are tried, and only with the templates that start with the word found
   there (``_match_line``, remembered per line): the per-template regexes never run on most
   lines.
3. Context: entries marked ``needs_neighbor`` (bare price lines, a teaser card's date) only
   match next to a line of their kind; a heading's link text on its own line follows its
   heading.
4. The structural rules (``fallback.Structure``) catch what no catalog file names: prompts
   in other languages, banners, buttons, cut-off last lines.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from aggregator.prompts.anchors import AnchorEngine, anchor_engine, line_anchors
from aggregator.prompts.catalog import (
    PROMPT_KINDS,
    UNDETERMINED,
    Catalog,
    load_catalog,
    mixed_signins,
    packaged_directory,
)
from aggregator.prompts.fallback import Structure
from aggregator.prompts.lines import LINE_CACHE_SIZE, LineIndex
from aggregator.prompts.lines import matched as _matched
from aggregator.prompts.lines import next_line as _next
from aggregator.prompts.lines import previous_line as _previous
from aggregator.prompts.prefilter import Index, Template
from aggregator.prompts.results import (
    CleanResult,
    EditionFacts,
    LineMatch,
    edition_facts,
)
from aggregator.prompts.scanned import ScannedLines, Waiting

__all__ = ["CleanResult", "EditionFacts", "LineMatch", "PromptMatcher"]

_NO_WORDS: frozenset[str] = frozenset()


class PromptMatcher:
    """Removes localized prompt blocks and interface lines; keeps the edition facts."""

    languages: tuple[str, ...]

    def __init__(self, catalog: Catalog, engine: str | None = None) -> None:
        self.catalog = catalog
        self.languages = catalog.languages
        # the catalog's entries, then the sign-in lines that mix two languages' halves
        self._index = Index((*catalog.entries, *mixed_signins(catalog.entries)))
        self._heading_suffixes = frozenset(
            " ".join(suffix.split()).casefold()
            for entry in catalog.entries
            if entry.kind == "more_stories"
            for suffix in entry.suffixes
        )
        line_starts = [t.entry for ts in self._index.at_start.values() for t in ts]
        self._structure = Structure(catalog, line_starts)
        # one pass over a text finds the anchors of every rule (``anchors``; ``engine``
        # names one of ``anchors.ENGINES``, else the fastest installed)
        self._anchors: AnchorEngine = anchor_engine(
            self._index, self._structure.brand_words, engine
        )
        # texts made of scanned lines, announced for their clean (``expect``)
        self._waiting = Waiting()
        # _match_line depends on nothing but its arguments, and LineMatch is immutable
        self._match_line_cached = lru_cache(maxsize=LINE_CACHE_SIZE)(self._match_line)
        # an engine that flags lines (``AnchorEngine.flagged``): a flagged line's whole
        # catalog stage (its anchors, its match, its brand word) by its text alone, in one memo
        self._line_stage = lru_cache(maxsize=LINE_CACHE_SIZE)(self._line_catalog)
        # the same for a neighbour's line: a dump's teaser cards repeat on an issue's pages
        self._neighbour_cached = lru_cache(maxsize=LINE_CACHE_SIZE)(self._neighbour)

    @property
    def engine(self) -> str:
        """The name of the engine that finds a text's anchors (``anchors.ENGINES``)."""
        return self._anchors.name

    def clear_caches(self) -> None:
        """Forget every per-line memo (catalog matches, structural line shapes), as a new
        process starts; the results do not depend on them."""
        self._match_line_cached.cache_clear()
        self._line_stage.cache_clear()
        self._neighbour_cached.cache_clear()
        self._anchors.clear_caches()
        self._structure.clear_caches()
        self._waiting.clear()

    # --- construction --------------------------------------------------------------------

    @classmethod
    def default(cls, languages: Collection[str] | None = None) -> PromptMatcher:
        """The matcher over the packaged catalog (all languages, or only ``languages``).

        Cached: the same arguments give the same (immutable) matcher.
        """
        return _default_matcher(None if languages is None else frozenset(languages))

    @classmethod
    def from_directory(
        cls,
        path: str | Traversable,
        languages: Collection[str] | None = None,
        engine: str | None = None,
    ) -> PromptMatcher:
        """The matcher over a folder of strings files (a path, or a packaged resource)."""
        catalog = load_catalog(Path(path) if isinstance(path, str) else path, languages)
        return cls(catalog, engine)

    # --- matching --------------------------------------------------------------------------

    def scan(self, lines: Sequence[str]) -> list[LineMatch | None]:
        """One entry per line: what interface text the line holds, or ``None``."""
        return self._scan("\n".join(lines), lines)

    def scan_page(self, lines: Sequence[str]) -> tuple[list[LineMatch | None], ScannedLines]:
        """``scan``, and what the catalog stage found per line: for ``expect``."""
        text = "\n".join(lines)
        result, brand = self._catalog_stage(text, lines)
        scanned = ScannedLines.of(lines, result, brand)
        self._context_stage(lines, result, brand)
        return result, scanned

    def expect(self, text: str, scanned: ScannedLines) -> None:
        """``text`` is made of lines of a scanned page (``scan_page``) and empty lines: its
        coming ``clean`` takes their catalog matches from ``scanned`` instead of finding them
        again (the same result: they depend on a line's text alone)."""
        self._waiting.put(text, scanned)

    def clean(self, text: str) -> CleanResult:
        """Remove prompt and interface lines; paragraphs are the non-empty lines of ``text``."""
        scanned = self._waiting.take(text) if self._waiting else None
        counted = self._anchors.counted(text) if scanned is None else None
        if counted is not None:
            flagged, newlines = counted
            paragraphs = text.split("\n\n")
            # paragraph form: no newline but the separators', no empty or unstripped paragraph
            if (
                newlines == 2 * len(paragraphs) - 2
                and all(paragraphs)
                and list(map(str.strip, paragraphs)) == paragraphs
            ):
                # (paragraph n is line 2n)
                return self._clean_paragraphs(text, paragraphs, [i >> 1 for i in flagged])
            lines = text.split("\n")
            matches, brand = self._flagged_stage(lines, flagged)
        else:
            lines = text.split("\n")
            stage = scanned.stage(lines) if scanned is not None else None
            matches, brand = stage if stage is not None else self._catalog_stage(text, lines)
        self._context_stage(lines, matches, brand)
        if not any(matches):
            return CleanResult(text="\n\n".join(filter(None, map(str.strip, lines))), language=None)
        return _without_matches(lines, matches, paragraphs=False)

    def _clean_paragraphs(self, text: str, lines: list[str], flagged: list[int]) -> CleanResult:
        """``clean`` over a text's paragraphs (``lines``, ``flagged``): the rules walk only the
        non-empty lines (``lines``); nothing to strip, nothing removed is the text itself."""
        matches, brand = self._flagged_stage(lines, flagged)
        self._context_stage(lines, matches, brand)
        if not any(matches):
            return CleanResult(text=text, language=None)
        return _without_matches(lines, matches, paragraphs=True)

    # --- internals -------------------------------------------------------------------------

    def _scan(
        self, text: str, lines: Sequence[str], scanned: ScannedLines | None = None
    ) -> list[LineMatch | None]:
        stage = scanned.stage(lines) if scanned is not None else None
        result, brand = stage if stage is not None else self._catalog_stage(text, lines)
        self._context_stage(lines, result, brand)
        return result

    def _catalog_stage(
        self, text: str, lines: Sequence[str]
    ) -> tuple[list[LineMatch | None], list[int]]:
        """What the catalog's templates find in each line, by its text alone, and the
        lines holding the brand word: one pass over the text (``anchors``)."""
        flagged = self._anchors.flagged(text)
        if flagged is not None:
            return self._flagged_stage(lines, flagged)
        result: list[LineMatch | None] = [None] * len(lines)
        positions = LineIndex(text)
        places, anywhere, brand = self._anchors.scan(text, lines, positions)
        if not places and not anywhere:  # (most texts: no set union, no sort)
            return result, brand
        for index in sorted(places.keys() | anywhere.keys()):
            words = anywhere.get(index)
            result[index] = self._match_line_cached(
                lines[index],
                tuple(places.get(index, ())),
                _NO_WORDS if words is None else frozenset(words),
            )
        return result, brand

    def _flagged_stage(
        self, lines: Sequence[str], flagged: list[int]
    ) -> tuple[list[LineMatch | None], list[int]]:
        """``_catalog_stage`` from the lines an engine flagged: each one's remembered stage."""
        result: list[LineMatch | None] = [None] * len(lines)
        brand_lines: list[int] = []
        stage = self._line_stage
        for index in flagged:
            result[index], has_brand = stage(lines[index])
            if has_brand:
                brand_lines.append(index)
        return result, brand_lines

    def _context_stage(
        self, lines: Sequence[str], result: list[LineMatch | None], brand: Sequence[int]
    ) -> None:
        """The rules that look at a line's neighbours and at the text's ends."""
        # A rule that starts from a line of some kind runs only when one is there. The
        # neighbour rule adds lines of the kinds it starts from, the heading rule a
        # "more_stories" line after one: the set holds for the structural rules too.
        kinds = {m.kind for m in filter(None, result)}
        if not kinds.isdisjoint(self._index.neighbours):
            self._match_neighbours(lines, result)
        if self._heading_suffixes and "more_stories" in kinds:
            self._match_heading_suffixes(lines, result)
        self._structure.apply(brand, lines, result, kinds)

    def _line_catalog(self, line: str) -> tuple[LineMatch | None, bool]:
        """What the catalog stage finds in a line: its match, and whether it holds a casing
        of the brand word (``_line_stage``, remembered)."""
        places, words, brand = line_anchors(self._index, self._structure.brand_words, line)
        if not places and not words:
            return None, brand
        return self._match_line(line, places, words), brand

    def _match_line(
        self, line: str, places: Sequence[tuple[int, str]], words: Collection[str]
    ) -> LineMatch | None:
        """The interface text that ends ``line``, from the earliest place it begins.

        ``places`` are (offset, start key) in line order. The last place whose template runs
        to the line's end is taken first (a slot cannot swallow the later lines of a block
        that a dump ran together on one line), then any places that run up to it, in turn.
        """
        end = len(line)
        found = self._match_before(line, places, end)
        if found is None:
            for word in words:
                for template in self._index.anywhere.get(word, ()):
                    hit = template.regex.search(line)
                    if hit is not None and (found is None or hit.start() < found[1].start()):
                        found = (template, hit)
            if found is None:
                return None
        template, hit = found
        if places and places[0][0] < hit.start():
            # the block may run on from earlier places in the line ("...Brunch. Start your")
            facts = _facts_of(template, hit)
            while (earlier := self._match_before(line, places, hit.start())) is not None:
                template, hit = earlier
                facts = _facts_of(template, hit) or facts
            return LineMatch(template.entry.kind, template.entry.language, hit.start(), facts)
        return LineMatch(
            template.entry.kind, template.entry.language, hit.start(), _facts_of(template, hit)
        )

    def _match_before(
        self, line: str, places: Sequence[tuple[int, str]], end: int
    ) -> tuple[Template, re.Match[str]] | None:
        """The template at the last place before ``end`` that runs exactly up to ``end``."""
        for offset, key in reversed(places):
            if offset >= end:
                continue
            for template in self._index.at_start.get(key, ()):
                if offset and not template.entry.glue:
                    continue
                hit = template.regex.match(line, offset, end)
                if hit is not None:
                    return template, hit
        return None

    def _line_match(self, template: Template, found: re.Match[str]) -> LineMatch:
        entry = template.entry
        return LineMatch(entry.kind, entry.language, found.start(), _facts_of(template, found))

    def _match_heading_suffixes(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """A heading's link text on a line of its own: "MORE STORIES FROM BRUNCH" / "View All"."""
        for index in _matched(result):  # (a link text set here is a heading's too)
            match = result[index]
            assert match is not None
            if match.kind != "more_stories":
                continue
            after = _next(lines, index)
            if (
                after is not None
                and result[after] is None
                and lines[after].strip().casefold() in self._heading_suffixes
            ):
                result[after] = LineMatch("more_stories", match.language, 0)

    def _match_neighbours(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """Entries that only count next to a line of their kind: "$149.99" under a banner."""
        kinds = self._index.neighbours
        queue = [i for i in _matched(result) if result[i].kind in kinds]  # type: ignore[union-attr]
        while queue:
            index = queue.pop()
            current = result[index]
            assert current is not None
            for other in (_previous(lines, index), _next(lines, index)):
                if other is None or result[other] is not None:
                    continue
                found = self._neighbour_cached(current.kind, lines[other])
                if found is not None:
                    result[other] = found
                    queue.append(other)

    def _neighbour(self, kind: str, line: str) -> LineMatch | None:
        """What ``line`` holds as the neighbour of a line of ``kind`` (its text alone decides)."""
        for template in self._index.neighbours[kind]:
            found = template.regex.search(line)
            if found is not None:
                return self._line_match(template, found)
        return None


def _without_matches(
    lines: Sequence[str], matches: Sequence[LineMatch | None], *, paragraphs: bool
) -> CleanResult:
    """``clean``'s result: the text without its matched lines (a glued match's head kept);
    ``paragraphs``: ``lines`` are stripped and non-empty already (``_clean_paragraphs``)."""
    kept: list[str] = []
    removed: dict[str, int] = {}
    interface: dict[str, int] = {}
    fallback: list[str] = []
    language: str | None = None
    # the edition facts (``first_facts``, in this loop): a catalog language's first
    facts: EditionFacts | None = None
    fallback_facts: EditionFacts | None = None
    done = 0  # the lines before this one are in kept
    for index in _matched(matches):
        # the unmatched lines before this one (the article's head, mostly) in one go
        if paragraphs:
            kept.extend(lines[done:index])
        else:
            kept.extend(filter(None, map(str.strip, lines[done:index])))
        done = index + 1
        match = matches[index]
        assert match is not None
        if facts is None and match.facts is not None and match.facts.has_values:
            if match.language != UNDETERMINED:
                facts = match.facts
            elif fallback_facts is None:
                fallback_facts = match.facts
        line = lines[index]
        head = line[: match.start].strip()
        if head:
            kept.append(head)
        if match.kind not in PROMPT_KINDS:
            interface[match.kind] = interface.get(match.kind, 0) + 1
            continue
        removed[match.language] = removed.get(match.language, 0) + 1
        if language is None:
            language = match.language
        if match.language == UNDETERMINED:
            fallback.append(line[match.start :].strip())
    if paragraphs:
        kept.extend(lines[done:])
    else:
        kept.extend(filter(None, map(str.strip, lines[done:])))
    return CleanResult(
        text="\n\n".join(kept),
        language=language,
        removed=removed,
        interface_removed=interface,
        facts=facts if facts is not None else fallback_facts,
        fallback_lines=fallback,
    )


def _facts_of(template: Template, found: re.Match[str]) -> EditionFacts | None:
    """The facts an edition line carries (``None`` for other kinds)."""
    if template.entry.kind != "edition":
        return None
    slots = found.groupdict()
    return edition_facts(slots.get("pub"), slots.get("date"), template.entry.language)


@lru_cache(maxsize=16)
def _default_matcher(languages: frozenset[str] | None) -> PromptMatcher:
    return PromptMatcher.from_directory(packaged_directory(), languages)
