"""The structural rules: interface text that no catalog file names, told by shape and place.

The brand ("Magzter GOLD") is never translated, dates are printed in English, and the
site's blocks keep their order in every language. So, whatever the interface language:

- a prompt block is the line naming the brand with the edition-shaped line before it and
  the short sign-in line after it (``_fallback``), also split at its link (``_split_signins``);
- a price banner is a line naming the brand with a price line at most three lines on
  (``_banners``);
- at the top of a text, before its title, a banner's caption and the Try-GOLD button
  (``_top_lines``);
- the last line of a text cut off by a length cap (``_cut_tail``).

``Structure.apply`` runs them, in that order, after the catalog's own templates matched.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Final

from aggregator.prompts.catalog import UNDETERMINED, Catalog, Entry, signin_halves
from aggregator.prompts.compiler import fixed_regex
from aggregator.prompts.cutoff import CutOff
from aggregator.prompts.lines import LINE_CACHE_SIZE
from aggregator.prompts.lines import first_open as _first_open
from aggregator.prompts.lines import matched as _matched
from aggregator.prompts.lines import next_line as _next
from aggregator.prompts.lines import previous_line as _previous
from aggregator.prompts.prefilter import case_variants
from aggregator.prompts.results import LineMatch
from aggregator.prompts.shapes import (
    PRICE_LINE,
    SENTENCE_END,
    SENTENCE_FINAL,
    SIGNIN_MAX_CHARS,
    edition_line_shape,
    is_button,
    is_caption,
    is_header_date,
    link_shaped,
    question_shaped,
    signin_text_shape,
)

# (every alternative starts with a digit: the lookahead again skips the other positions)
_COUNT_RE: Final = re.compile(r"(?=\d)(?:\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+\+?|\d{4,}\+?|\d+\+)")
# A banner's lines between its brand line and its price are short; its first line is shorter.
_BANNER_MAX_WORDS: Final = 30
_BANNER_HEAD_MAX_WORDS: Final = 12
# The kinds a cut-off last line may be the start of.
_CUT_KINDS: Final = frozenset(
    {"edition", "offer", "signin", "price_banner", "more_stories", "continue_app", "try_gold"}
)


class Structure:
    """The structural rules over one catalog: its brand, its sign-in halves, its cut-off
    starts (``cut_entries``: the templates a cut last line may be the start of)."""

    def __init__(self, catalog: Catalog, cut_entries: Collection[Entry]) -> None:
        self._cut_off = CutOff(e for e in cut_entries if e.kind in _CUT_KINDS)
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
        # The line shapes depend on the line's text alone, and LineMatch is immutable: they
        # are remembered per line, as a crawl meets an issue's prompt lines on all its pages.
        brand = self._brand_re
        self._edition_shape = lru_cache(maxsize=LINE_CACHE_SIZE)(
            lambda line: edition_line_shape(line, brand)
        )
        self._signin_text = lru_cache(maxsize=LINE_CACHE_SIZE)(
            lambda line: signin_text_shape(line, brand)
        )

    def clear_caches(self) -> None:
        """Forget the remembered line shapes."""
        self._edition_shape.cache_clear()
        self._signin_text.cache_clear()

    @property
    def brand_words(self) -> tuple[str, ...]:
        """The casings of the brand's longest word: a brand line holds one of them."""
        return self._brand_words

    def apply(
        self,
        brand: Sequence[int],
        lines: Sequence[str],
        result: list[LineMatch | None],
        kinds: Collection[str] | None = None,
    ) -> None:
        """Add what the structural rules find to ``result`` (the catalog's matches so far) in
        ``lines``; ``brand``: the lines holding one of ``brand_words``, in order (the
        matcher's one pass found them, ``anchors``); ``kinds``: the kinds in ``result``, if
        the caller has them."""
        if kinds is None:
            kinds = {m.kind for m in filter(None, result)}
        # the unmatched lines naming the brand (most texts: none, their brand lines are
        # catalog offers)
        brand_re = self._brand_re
        brand_lines = (
            [i for i in brand if result[i] is None and brand_re.search(lines[i])]
            if brand and brand_re is not None
            else []
        )
        has_offer = "offer" in kinds
        if brand_lines or "price_banner" in kinds:
            self._banners(lines, result, brand_lines)
        if brand_lines or has_offer:
            self._fallback(lines, result, brand_lines)
            self._split_signins(lines, result)
        self._top_lines(lines, result)
        self._cut_tail(lines, result)

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
            # the magazine count decides when one of the two neighbours is there, not both
            # (searched for only then)
            both = edition is not None and signin
            if not (strong or both) and (
                (edition is None and not signin) or _COUNT_RE.search(lines[index]) is None
            ):
                continue
            result[index] = LineMatch("offer", UNDETERMINED, 0)
            if edition is not None and before is not None:
                result[before] = edition
            if signin and after is not None:
                result[after] = LineMatch("signin", UNDETERMINED, 0)
        for index in _matched(result):
            match = result[index]
            assert match is not None
            if match.kind != "offer" or match.language == UNDETERMINED:
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

    def _split_signins(self, lines: Sequence[str], result: list[LineMatch | None]) -> None:
        """A sign-in line that an extractor split at its link, after an offer line: the
        question on a line of its own ("Already a subscriber ?", any catalog language's, or
        a short question in another where the block ends), then the link text ("Sign In",
        or a few words)."""
        for index in _matched(result):
            match = result[index]
            assert match is not None
            if match.kind != "offer":
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
                and (self._links.match(lines[link]) is not None or link_shaped(lines[link]))
            )
            if language is None:
                # a question in a language with no catalog file: only before more interface
                # text (the prompt's next copy, a heading), never before a card
                after = _next(lines, link) if link is not None else None
                closing = after is not None and result[after] is not None
                if not (linked and closing and question_shaped(text)):
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
            # the line's own shape first: most texts open on a long line, neither a caption
            # nor a button, and the title's tests look two lines on
            line = lines[index]
            before = _previous(lines, index)
            if before is not None and PRICE_LINE.match(lines[before]) and is_caption(line):
                found = LineMatch("price_banner", UNDETERMINED, 0)
            elif is_button(line):
                found = LineMatch("try_gold", UNDETERMINED, 0)
            else:
                return
            after = _next(lines, index)
            if after is None or (second := _next(lines, after)) is None:
                return  # the title, or all there is: never a button in a one- or two-liner
            if is_header_date(lines[after]) or is_header_date(lines[second]):
                return  # a title: Title / Publication|Date, or Title / Publication / |Date
            result[index] = found
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
            and len(line.strip()) <= SIGNIN_MAX_CHARS
            and line.strip()[-1] not in SENTENCE_FINAL
        ):
            result[last] = LineMatch("signin", previous.language, 0)
            return
        starts = [0, *(m.end() for m in SENTENCE_END.finditer(line))]
        found = self._cut_off.find(line, starts)
        if found is not None:
            start, entry = found
            result[last] = LineMatch(entry.kind, entry.language, start)
        elif self._brand_re is not None and line.strip()[-1] not in SENTENCE_FINAL:
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

    def _signin_shape(
        self, lines: Sequence[str], index: int, result: Sequence[LineMatch | None]
    ) -> bool:
        shaped = self._signin_text(lines[index])
        if shaped is not None:
            return shaped
        # No question mark: only as the block's last line, or before the block's second copy.
        after = _next(lines, index)
        if after is None:
            return True
        following = result[after]
        if following is not None:
            return following.kind == "edition"
        return self._edition_shape(lines[after]) is not None
