"""Find and remove the aggregator's subscription prompts and interface lines in article text.

How a text is scanned (``PromptMatcher._scan``):

1. Every template is anchored on the end of a line, and begins at a line start or at a glue
   point (right after a sentence end, when a dump ran the prompt into the article text). One
   prefilter regex, the same whatever the number of languages, runs once over the text: at a
   line start or a glue point, the first word of some template (a trie over all of them).
   Text with no prompt costs about that one scan.
2. Only those places are tried, and only with the templates that start with the word found
   there: the per-template regexes never run on most lines. (Templates that start with a
   ``{pub}`` or ``{date}`` slot are found by a fixed word anywhere in the line instead.)
3. Context rules: entries marked ``needs_neighbor`` (bare price lines, a teaser card's date)
   only match next to a line of their kind; the structural fallback catches prompts in
   languages with no catalog file from the shape of the block around the never-translated
   brand (see ``_fallback``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Final

from aggregator.dates import LABEL, parse_issue_date
from aggregator.prompts.catalog import (
    GLUE_CHARS,
    NUMBER_KEY,
    PLACEHOLDER,
    PROMPT_KINDS,
    SENTENCE_ENDS,
    UNDETERMINED,
    Catalog,
    Entry,
    case_variants,
    choose_anchor,
    compile_template,
    fixed_regex,
    is_placeholder,
    leading_case_variants,
    load_catalog,
    mixed_signins,
    packaged_directory,
    signin_halves,
    start_key,
    trie_regex,
)
from aggregator.prompts.cutoff import CutOff
from aggregator.prompts.shapes import PRICE_LINE, is_button, is_caption, is_header_date


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


@dataclass(frozen=True)
class _Template:
    entry: Entry
    regex: re.Pattern[str]
    order: int


# --- structural fallback shapes (language-neutral) -------------------------------------------

_DATE_RE: Final = re.compile(rf"{PLACEHOLDER}|{LABEL}")
_COUNT_RE: Final = re.compile(r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+\+?|\d{4,}\+?|\d+\+")
# A sentence end followed by more text on the same line.
_SENTENCE_END: Final = re.compile(rf"""[{SENTENCE_ENDS}]["”’'»)\]]*\s*(?=\S)""")
_WORD: Final = re.compile(r"\w")
_QUESTION: Final = frozenset("?？؟")
# An edition line is a short sentence; a sign-in line a few words.
_EDITION_MAX_WORDS: Final = 25
_EDITION_MAX_CHARS: Final = 250
# (a Hindi sign-in line runs to ten words: "क्या आप पहले से ही ग्राहक हैं? साइन इन करें")
_SIGNIN_MAX_WORDS: Final = 12
_SIGNIN_MAX_CHARS: Final = 70
_LINK_MAX_CHARS: Final = 25
_LINE_CACHE_SIZE: Final = 20_000
# A banner's lines between its brand line and its price are short; its first line is shorter.
_BANNER_MAX_WORDS: Final = 30
_BANNER_HEAD_MAX_WORDS: Final = 12
_SENTENCE_FINAL: Final = frozenset(SENTENCE_ENDS)
# The kinds a cut-off last line may be the start of.
_CUT_KINDS: Final = frozenset(
    {"edition", "offer", "signin", "price_banner", "more_stories", "continue_app", "try_gold"}
)


class PromptMatcher:
    """Removes localized prompt blocks and interface lines; keeps the edition facts."""

    languages: tuple[str, ...]

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.languages = catalog.languages
        word_counts = Counter(w for e in catalog.entries for w in {x.lower() for x in e.words()})
        at_start: defaultdict[str, list[_Template]] = defaultdict(list)
        glue_words: dict[str, bool] = {}  # printed form -> needs a word boundary after it
        line_words: dict[str, bool] = {}  # the same, for templates matched at line starts only
        anywhere: defaultdict[str, list[_Template]] = defaultdict(list)
        neighbours: defaultdict[str, list[_Template]] = defaultdict(list)
        # the catalog's entries, then the sign-in lines that mix two languages' halves
        entries = (*catalog.entries, *mixed_signins(catalog.entries))
        for order, entry in enumerate(entries):
            template = _Template(entry, compile_template(entry), order)
            if entry.needs_neighbor:
                neighbours[entry.kind].append(template)
                continue
            key = start_key(entry)
            if key is None:
                anchor = choose_anchor(entry, word_counts)
                if anchor is not None:  # else rejected when loading
                    anywhere[anchor].append(template)
                continue
            word, boundary = key
            at_start[word.lower()].append(template)
            if word == NUMBER_KEY:
                continue
            target, variants = (
                (glue_words, leading_case_variants(word))
                if entry.glue
                else (line_words, case_variants(word))
            )
            for variant in variants:
                # a word that starts several templates needs a boundary only if all do
                target[variant] = target.get(variant, True) and boundary
        self._neighbour_templates: dict[str, tuple[_Template, ...]] = {
            kind: tuple(ts) for kind, ts in neighbours.items()
        }
        self._at_start: dict[str, tuple[_Template, ...]] = {
            word: tuple(ts) for word, ts in at_start.items()
        }
        # The prefilter, one regex for all languages, scanned once over "\n" + text (so that
        # the first line has its newline too). At a line start or a glue point (a sentence
        # end), a word that some template starts with, as printed (as written, UPPER or
        # Capitalized); at a line start only, a digit ("3 mins") or the first word of a
        # template that is matched at line starts only ("time-read"). A lookahead skips the
        # lowercase letters that follow most glue characters ("Russia’s") unless a template
        # starts with one.
        lower_start = any(w[:1].isascii() and w[:1].islower() for w in glue_words)
        upper = "" if lower_start else r"(?=[^\sa-z])"
        line_start = [r"\d"] if NUMBER_KEY in at_start else []
        if line_words:
            line_start.append(trie_regex(line_words))
        alternatives = []
        if line_start:
            alternatives.append(rf"(?<=\n)[^\S\n]*(?P<line>{'|'.join(line_start)})")
        if glue_words:
            alternatives.append(rf"[^\S\n]*{upper}(?P<word>{trie_regex(glue_words)})")
        self._prefilter = re.compile(rf"[\n{GLUE_CHARS}](?:{'|'.join(alternatives) or '(?!)'})")
        # Templates that start with a slot ("{pub}'s {date} issue"): found by a word anywhere.
        self._anywhere: dict[str, tuple[_Template, ...]] = {
            key: tuple(
                sorted(
                    (t for anchor, ts in anywhere.items() if anchor in key for t in ts),
                    key=lambda t: t.order,
                )
            )
            for key in anywhere
        }
        self._anywhere_re: re.Pattern[str] | None = (
            re.compile(trie_regex({v: False for w in anywhere for v in case_variants(w)}))
            if anywhere
            else None
        )
        self._line_cache: dict[
            tuple[str, tuple[tuple[int, str], ...], frozenset[str]], LineMatch | None
        ] = {}
        self._heading_suffixes = frozenset(
            " ".join(suffix.split()).casefold()
            for entry in catalog.entries
            if entry.kind == "more_stories"
            for suffix in entry.suffixes
        )
        self._cut_off = CutOff(
            [t.entry for ts in self._at_start.values() for t in ts if t.entry.kind in _CUT_KINDS]
        )
        # a sign-in line that an extractor split at its link: question / link text
        halves = signin_halves(catalog.entries)
        self._questions = {
            language: re.compile(rf"^\s*{fixed_regex(question)}\s*$", re.IGNORECASE)
            for language, question, _ in halves
        }
        self._links = re.compile(
            rf"^\s*(?:{'|'.join(fixed_regex(link) for _, _, link in halves) or '(?!)'})\s*$",
            re.IGNORECASE,
        )
        self._brand_re: re.Pattern[str] | None = None
        self._brand_words: tuple[str, ...] = ()
        if catalog.brand:
            self._brand_re = re.compile(fixed_regex(catalog.brand), re.IGNORECASE)
            brand_word = max(re.findall(r"\w+", catalog.brand), key=len)
            self._brand_words = tuple(sorted(case_variants(brand_word)))

    # --- construction --------------------------------------------------------------------

    @classmethod
    def default(cls, languages: Collection[str] | None = None) -> PromptMatcher:
        """The matcher over the packaged catalog (all languages, or only ``languages``).

        Cached: the same arguments give the same (immutable) matcher.
        """
        return _default_matcher(None if languages is None else frozenset(languages))

    @classmethod
    def from_directory(cls, path: Path, languages: Collection[str] | None = None) -> PromptMatcher:
        return cls(load_catalog(Path(path), languages))

    # --- matching --------------------------------------------------------------------------

    def scan(self, lines: Sequence[str]) -> list[LineMatch | None]:
        """One entry per line: what interface text the line holds, or ``None``."""
        return self._scan("\n".join(lines), lines)

    def clean(self, text: str) -> CleanResult:
        """Remove prompt and interface lines; paragraphs are the non-empty lines of ``text``."""
        lines = text.split("\n")
        matches = self._scan(text, lines)
        if not any(matches):
            kept = [s for s in (line.strip() for line in lines) if s]
            return CleanResult(text="\n\n".join(kept), language=None)
        kept = []
        removed: dict[str, int] = {}
        interface: dict[str, int] = {}
        fallback: list[str] = []
        language: str | None = None
        facts: EditionFacts | None = None
        fallback_facts: EditionFacts | None = None
        for line, match in zip(lines, matches, strict=True):
            if match is None:
                stripped = line.strip()
                if stripped:
                    kept.append(stripped)
                continue
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
            if match.facts is not None and match.facts.has_values:
                if match.language != UNDETERMINED:
                    facts = facts or match.facts
                else:
                    fallback_facts = fallback_facts or match.facts
        return CleanResult(
            text="\n\n".join(kept),
            language=language,
            removed=removed,
            interface_removed=interface,
            facts=facts or fallback_facts,
            fallback_lines=fallback,
        )

    # --- internals -------------------------------------------------------------------------

    def _scan(self, text: str, lines: Sequence[str]) -> list[LineMatch | None]:
        result: list[LineMatch | None] = [None] * len(lines)
        starts: list[int] = []  # line start offsets in text, computed on the first hit
        # per line: (offset in the line, start key) of each place a template may begin
        places: dict[int, list[tuple[int, str]]] = {}
        padded = "\n" + text
        for hit in self._prefilter.finditer(padded):
            if not starts:
                starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
            # hit.start() is the lead character's offset in padded: a newline (its line
            # starts at hit.start() in text) or a glue character (at hit.start() - 1 in text).
            if padded[hit.start()] == "\n":
                index, offset = bisect_right(starts, hit.start()) - 1, 0
            else:
                index = bisect_right(starts, hit.start() - 1) - 1
                offset = hit.start() - starts[index]
            word = hit.group(hit.lastgroup or 0)  # the "line" or "word" group
            key = NUMBER_KEY if word[:1].isdigit() else word.lower()
            places.setdefault(index, []).append((offset, key))
        anywhere: dict[int, set[str]] = {}
        if self._anywhere_re is not None:
            for hit in self._anywhere_re.finditer(text):
                if not starts:
                    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
                index = bisect_right(starts, hit.start()) - 1
                anywhere.setdefault(index, set()).add(hit.group().lower())
        has_offer = False
        for index in sorted(places.keys() | anywhere.keys()):
            match = self._match_line_cached(
                lines[index], tuple(places.get(index, ())), frozenset(anywhere.get(index, ()))
            )
            if match is not None:
                result[index] = match
                has_offer = has_offer or match.kind == "offer"
        if self._neighbour_templates and (places or anywhere):
            self._match_neighbours(lines, result)
        if self._heading_suffixes:
            self._match_heading_suffixes(lines, result)
        brand_lines = self._brand_lines(text, lines, result, starts)
        if brand_lines or any(m is not None and m.kind == "price_banner" for m in result):
            self._banners(lines, result, brand_lines)
        if brand_lines or has_offer:
            self._fallback(lines, result, brand_lines)
        if has_offer or brand_lines:
            self._split_signins(lines, result)
        self._top_lines(lines, result)
        self._cut_tail(lines, result)
        return result

    def _brand_lines(
        self,
        text: str,
        lines: Sequence[str],
        result: Sequence[LineMatch | None],
        starts: list[int],
    ) -> list[int]:
        """Unmatched lines that name the brand."""
        if self._brand_re is None:
            return []
        hits = []
        for word in self._brand_words:
            position = text.find(word)
            while position != -1:
                hits.append(position)
                position = text.find(word, position + len(word))
        if not hits:
            return []
        if not starts:
            starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
        found: set[int] = set()
        for position in hits:
            index = bisect_right(starts, position) - 1
            if index not in found and result[index] is None and self._brand_re.search(lines[index]):
                found.add(index)
        return sorted(found)

    def _match_line_cached(
        self, line: str, places: tuple[tuple[int, str], ...], words: frozenset[str]
    ) -> LineMatch | None:
        """``_match_line``, remembered: it depends on nothing but its arguments, and the same
        offer and sign-in lines come back on every page (LineMatch is immutable)."""
        key = (line, places, words)
        try:
            return self._line_cache[key]
        except KeyError:
            pass
        if len(self._line_cache) >= _LINE_CACHE_SIZE:
            self._line_cache.clear()  # bounded: a crawl's lines are mostly its own
        match = self._line_cache[key] = self._match_line(line, places, words)
        return match

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
                for template in self._anywhere.get(word, ()):
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
    ) -> tuple[_Template, re.Match[str]] | None:
        """The template at the last place before ``end`` that runs exactly up to ``end``."""
        for offset, key in reversed(places):
            if offset >= end:
                continue
            for template in self._at_start.get(key, ()):
                if offset and not template.entry.glue:
                    continue
                hit = template.regex.match(line, offset, end)
                if hit is not None:
                    return template, hit
        return None

    def _line_match(self, template: _Template, found: re.Match[str]) -> LineMatch:
        entry = template.entry
        return LineMatch(entry.kind, entry.language, found.start(), _facts_of(template, found))

    def _match_heading_suffixes(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """A heading's link text on a line of its own: "MORE STORIES FROM BRUNCH" / "View All"."""
        for index, match in enumerate(result):
            if match is None or match.kind != "more_stories":
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
        queue = [
            i for i, m in enumerate(result) if m is not None and m.kind in self._neighbour_templates
        ]
        while queue:
            index = queue.pop()
            current = result[index]
            assert current is not None
            for other in (_previous(lines, index), _next(lines, index)):
                if other is None or result[other] is not None:
                    continue
                for template in self._neighbour_templates[current.kind]:
                    found = template.regex.search(lines[other])
                    if found is not None:
                        result[other] = self._line_match(template, found)
                        queue.append(other)
                        break

    def _banners(
        self, lines: Sequence[str], result: list[LineMatch | None], brand_lines: list[int]
    ) -> None:
        """Price banners in any language: a banner line (a catalog one, or a line naming the
        brand) with a price line at most three lines on. The lines between (the first line
        printed twice, the "unlimited access ... for just" line) and the price lines that
        follow are the banner's too."""
        heads = sorted(
            {
                *(i for i in brand_lines if result[i] is None),
                *(
                    i
                    for i, m in enumerate(result)
                    if m is not None and m.kind == "price_banner" and not PRICE_LINE.match(lines[i])
                ),
            }
        )
        for head in heads:
            steps, index = 0, head
            price: int | None = None
            while steps < 3 and (following := _next(lines, index)) is not None:
                steps, index = steps + 1, following
                if PRICE_LINE.match(lines[index]):
                    price = index
                    break
                if len(lines[index].split()) > _BANNER_MAX_WORDS:
                    break
            if price is None:
                continue
            found = result[head]
            language = found.language if found is not None else UNDETERMINED
            line: int | None = head
            while line is not None and (line <= price or PRICE_LINE.match(lines[line])):
                if result[line] is None or line == price:
                    result[line] = LineMatch("price_banner", language, 0)
                line = _next(lines, line)

    def _split_signins(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """A sign-in line that an extractor split at its link, after an offer line: the
        question on a line of its own ("Already a subscriber ?", any catalog language's, or
        a short question in another where the block ends), then the link text ("Sign In",
        or a few words)."""
        for index, match in enumerate(result):
            if match is None or match.kind != "offer":
                continue
            question = _next(lines, index)
            if question is None or result[question] is not None:
                continue
            text = lines[question].strip()
            language = next(
                (code for code, regex in self._questions.items() if regex.match(text)), None
            )
            link = _next(lines, question)
            linked = (
                link is not None
                and result[link] is None
                and (self._links.match(lines[link]) is not None or _link_shaped(lines[link]))
            )
            if language is None:
                # a question in a language with no catalog file: only before more interface
                # text (the prompt's next copy, a heading), never before a card
                after = _next(lines, link) if link is not None else None
                closing = after is not None and result[after] is not None
                if not (linked and closing and _question_shaped(text)):
                    continue
            result[question] = LineMatch("signin", language or UNDETERMINED, 0)
            if linked and link is not None:
                result[link] = LineMatch("signin", language or UNDETERMINED, 0)

    def _top_lines(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """Interface lines told by their place at the top of a text, before its title: the
        banner's seasonal caption right under its price line, and the Try-GOLD button
        ("<word(s)> - <word>") in languages with no catalog file. A line that a header's
        source line follows (its title) is neither."""
        index = _first_open(lines, result)
        while index is not None:
            after = _next(lines, index)
            if after is None or _next(lines, after) is None:
                return  # the title, or all there is: never a button in a one- or two-liner
            if is_header_date(lines[after]) or (
                (second := _next(lines, after)) is not None and is_header_date(lines[second])
            ):
                return  # a title: Title / Publication|Date, or Title / Publication / |Date
            before = _previous(lines, index)
            below_price = before is not None and PRICE_LINE.match(lines[before]) is not None
            if below_price and is_caption(lines[index]):
                result[index] = LineMatch("price_banner", UNDETERMINED, 0)
            elif is_button(lines[index]):
                result[index] = LineMatch("try_gold", UNDETERMINED, 0)
            else:
                return
            index = _first_open(lines, result, index)

    def _cut_tail(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """A text cut off by a corpus' length cap can end inside interface text. Its last
        line is interface text when it is the start of a catalog prompt or banner line (at
        the line's start or glued after a sentence), or when it follows an offer line (a cut
        sign-in line, in any language). Only in a text of more than one line: a title or a
        summary on its own is never taken for a cut prompt."""
        last = _previous(lines, len(lines))
        if last is None or result[last] is not None:
            return
        before = _previous(lines, last)
        if before is None:
            return
        line = lines[last]
        previous = result[before]
        if (
            previous is not None
            and previous.kind == "offer"
            and len(line.strip()) <= _SIGNIN_MAX_CHARS
            and line.strip()[-1] not in _SENTENCE_FINAL
        ):
            result[last] = LineMatch("signin", previous.language, 0)
            return
        starts = [0, *(m.end() for m in _SENTENCE_END.finditer(line))]
        found = self._cut_off.find(line, starts)
        if found is not None:
            start, entry = found
            result[last] = LineMatch(entry.kind, entry.language, start)
        elif self._brand_re is not None and line.strip()[-1] not in _SENTENCE_FINAL:
            self._cut_brand_block(lines, result, last, before, self._brand_re)

    def _cut_brand_block(
        self,
        lines: Sequence[str],
        result: list[LineMatch | None],
        last: int,
        before: int,
        brand: re.Pattern[str],
    ) -> None:
        """A text cut inside a prompt or a banner in a language with no catalog file: the
        cut last line names the brand (an offer line after an edition line, else the head
        of a banner), or follows an unmatched line naming it (the rest of that block)."""

        def edition_at(index: int | None) -> LineMatch | None:
            if index is None:
                return None
            found = result[index]
            if found is not None:
                return found if found.kind == "edition" else None
            return self._edition_shape(lines[index])

        if brand.search(lines[last]):
            edition = edition_at(before)
            if edition is not None:
                result[before], result[last] = edition, LineMatch("offer", UNDETERMINED, 0)
            elif len(lines[last].split()) <= _BANNER_HEAD_MAX_WORDS:
                result[last] = LineMatch("price_banner", UNDETERMINED, 0)
                if result[before] is None and lines[before].strip() == lines[last].strip():
                    result[before] = result[last]  # the banner's first line, printed twice
            return
        if result[before] is not None or not brand.search(lines[before]):
            return
        earlier = _previous(lines, before)
        edition = edition_at(earlier)
        if edition is not None and earlier is not None:
            result[earlier] = edition
            result[before] = LineMatch("offer", UNDETERMINED, 0)
            result[last] = LineMatch("signin", UNDETERMINED, 0)
        elif len(lines[before].split()) <= _BANNER_HEAD_MAX_WORDS:
            result[before] = LineMatch("price_banner", UNDETERMINED, 0)
            result[last] = LineMatch("price_banner", UNDETERMINED, 0)

    def _fallback(
        self, lines: Sequence[str], result: list[LineMatch | None], brand_lines: list[int]
    ) -> None:
        """Prompts in languages with no catalog file, caught from the block's shape.

        The brand ("Magzter GOLD") is never translated. A line naming it is the offer line
        when its context is a prompt's: the edition-shaped line before it (a short sentence
        with the issue date as the site prints it, followed by the publication's name) and/or
        the short sign-in line after it, or a catalog edition/sign-in line next to it. A lone
        brand line needs two of: edition neighbour, sign-in neighbour, a magazine count.
        Catalog offer lines (mixed languages: a localized edition line before an English
        offer line) take the same unknown neighbours.
        """
        for index in brand_lines:
            if result[index] is not None:
                continue
            before, after = _previous(lines, index), _next(lines, index)
            before_match = result[before] if before is not None else None
            after_match = result[after] if after is not None else None
            strong = (before_match is not None and before_match.kind == "edition") or (
                after_match is not None and after_match.kind == "signin"
            )
            edition = (
                self._edition_shape(lines[before])
                if before is not None and before_match is None
                else None
            )
            signin = (
                after is not None
                and after_match is None
                and self._signin_shape(lines, after, result)
            )
            counted = _COUNT_RE.search(lines[index]) is not None
            if not (
                strong or (edition is not None and (counted or signin)) or (signin and counted)
            ):
                continue
            result[index] = LineMatch("offer", UNDETERMINED, 0)
            if edition is not None and before is not None:
                result[before] = edition
            if signin and after is not None:
                result[after] = LineMatch("signin", UNDETERMINED, 0)
        for index, match in enumerate(result):
            if match is None or match.kind != "offer" or match.language == UNDETERMINED:
                continue
            before, after = _previous(lines, index), _next(lines, index)
            if before is not None and result[before] is None:
                result[before] = self._edition_shape(lines[before])
            if (
                after is not None
                and result[after] is None
                and self._signin_shape(lines, after, result)
            ):
                result[after] = LineMatch("signin", UNDETERMINED, 0)

    def _edition_shape(self, line: str) -> LineMatch | None:
        """An edition line in an unknown language: its last sentence, if that is one."""
        if _DATE_RE.search(line) is None:
            return None
        bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(line))]
        for start in reversed(bounds):
            segment = line[start:]
            date = _DATE_RE.search(segment)
            if date is not None:
                break
        else:  # pragma: no cover - the whole line holds a date
            return None
        sentence = segment.strip()
        if len(sentence) > _EDITION_MAX_CHARS or len(sentence.split()) > _EDITION_MAX_WORDS:
            return None
        if sentence[-1] in "?!？؟" or not _WORD.search(segment[date.end() :]):
            return None
        if self._brand_re is not None and self._brand_re.search(sentence):
            return None
        facts = _facts(None, date.group(), UNDETERMINED)
        return LineMatch("edition", UNDETERMINED, start, facts)

    def _signin_shape(
        self, lines: Sequence[str], index: int, result: Sequence[LineMatch | None]
    ) -> bool:
        text = lines[index].strip()
        if len(text) > _SIGNIN_MAX_CHARS or len(text.split()) > _SIGNIN_MAX_WORDS:
            return False
        if text[-1] in ".!。" or _DATE_RE.search(text):
            return False
        if self._brand_re is not None and self._brand_re.search(text):
            return False
        if text[-1] in _QUESTION:
            # a sign-in line goes on after its question ("? Sign In", "؟ تسجيل الدخول");
            # a line that ends on one is a headline ("Why is it still so warm?")
            return False
        if any(ch in _QUESTION for ch in text):
            return True
        # No question mark: only as the block's last line, or before the block's second copy.
        after = _next(lines, index)
        if after is None:
            return True
        following = result[after]
        if following is not None:
            return following.kind == "edition"
        return self._edition_shape(lines[after]) is not None


def _facts_of(template: _Template, found: re.Match[str]) -> EditionFacts | None:
    """The facts an edition line carries (``None`` for other kinds)."""
    if template.entry.kind != "edition":
        return None
    slots = found.groupdict()
    return _facts(slots.get("pub"), slots.get("date"), template.entry.language)


@lru_cache(maxsize=4096)
def _facts(pub: str | None, label: str | None, language: str) -> EditionFacts:
    publication = None if pub is None or is_placeholder(pub) else " ".join(pub.split())
    if label is None or is_placeholder(label):
        return EditionFacts(publication, None, None)
    label = " ".join(label.split())
    lang = None if language == UNDETERMINED else language
    return EditionFacts(publication, label, parse_issue_date(label, lang))


def _previous(lines: Sequence[str], index: int) -> int | None:
    index -= 1
    while index >= 0:
        if lines[index].strip():
            return index
        index -= 1
    return None


def _question_shaped(text: str) -> bool:
    """A sign-in question on its own: a few words ending in a question mark."""
    return (
        len(text) <= _SIGNIN_MAX_CHARS
        and len(text.split()) <= _SIGNIN_MAX_WORDS
        and text[-1:] in _QUESTION
    )


def _link_shaped(line: str) -> bool:
    """A sign-in link's text on its own: one to three words, no digits, no sentence end."""
    text = line.strip()
    return (
        0 < len(text) <= _LINK_MAX_CHARS
        and len(text.split()) <= 3
        and text[-1] not in _SENTENCE_FINAL
        and not any(ch.isdigit() for ch in text)
    )


def _first_open(
    lines: Sequence[str], result: Sequence[LineMatch | None], after: int = -1
) -> int | None:
    """The first non-empty line after ``after`` that is not interface text, if only interface
    text (or nothing) comes before it."""
    index = _next(lines, after)
    while index is not None and result[index] is not None:
        index = _next(lines, index)
    return index


def _next(lines: Sequence[str], index: int) -> int | None:
    index += 1
    while index < len(lines):
        if lines[index].strip():
            return index
        index += 1
    return None


@lru_cache(maxsize=16)
def _default_matcher(languages: frozenset[str] | None) -> PromptMatcher:
    return PromptMatcher.from_directory(packaged_directory(), languages)
