"""The prefilter: which words start which templates, as one regex over a whole text.

Every template is anchored at a line start or a glue point (a sentence end). One regex (a
trie over the templates' first words, in the casings pages print them) finds the places a
template may begin; only those places are tried, with only the templates that start with
the word found there. Templates that start with a slot are found by a fixed word anywhere
in the line instead (``choose_anchor``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from aggregator.prompts.catalog import SLOT_RE, Entry
from aggregator.prompts.compiler import GLUE_CHARS, compile_template
from aggregator.prompts.lines import LineIndex

#: The start key of templates that begin with a number ("{count} mins"), at a line start.
NUMBER_KEY: Final = "#"
_LEADING_WORD: Final = re.compile(r"[^\w\s]{0,2}\w+")


def start_key(entry: Entry) -> tuple[str, bool] | None:
    """The word a template's text starts with (with any punctuation before it, as in
    "¿Ya"), and whether a word boundary ends it.

    Every template is anchored at a line start or a glue point, so the prefilter only looks
    for these words there. ``(NUMBER_KEY, False)`` for line-start templates that begin with
    ``{count}`` or ``{price}``; ``None`` when the template starts with another slot (such
    templates are found by a word anywhere in the line instead, see ``choose_anchor``).
    """
    pieces = SLOT_RE.split(entry.template)
    first = pieces[0].lstrip()
    if first:
        found = _LEADING_WORD.match(first)
        if found is None:
            return None
        rest = first[found.end() :]
        return found.group(), bool(rest) or len(pieces) == 1
    if not entry.glue and pieces[1] in ("count", "price"):
        return NUMBER_KEY, False
    return None


def choose_anchor(entry: Entry, word_counts: Mapping[str, int]) -> str | None:
    """The fixed word a line must contain for ``entry`` to be tried on it (lowercased).

    An explicit ``anchor`` wins; otherwise the word of five letters or more shared by the
    fewest templates (``word_counts``), then the longest; short words only when there is no
    long one. ``None`` for entries with no fixed word (tried on neighbours only).
    """
    if entry.anchor is not None:
        return entry.anchor.lower()
    words = [w.lower() for w in entry.words() if not w.isdigit()]
    if not words:
        return None
    long_words = [w for w in words if len(w) >= 5] or words
    return min(long_words, key=lambda w: (word_counts.get(w, 0), -len(w)))


def trie_regex(words: Mapping[str, bool]) -> str:
    """One alternation over ``words`` with shared prefixes factored out.

    ``words`` maps each word to whether it must end at a word boundary (``(?!\\w)``).
    Longer words are tried first.
    """
    trie: dict[str, Any] = {}
    for word, boundary in words.items():
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = r"(?!\w)" if boundary else ""

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(node[""])
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


def case_variants(word: str) -> set[str]:
    """The casings a word is printed in: as written, UPPER, Capitalized, lower."""
    return {word, word.upper(), word.capitalize(), word.lower()}


def leading_case_variants(word: str) -> set[str]:
    """The casings a line's first word is printed in: as written, UPPER, Capitalized."""
    return {word, word.upper(), word.capitalize()}


@dataclass(frozen=True)
class Template:
    entry: Entry
    regex: re.Pattern[str]
    order: int


#: Per line index: (offset in the line, start key) of each place a template may begin.
Places = dict[int, list[tuple[int, str]]]


class Index:
    """The compiled templates, indexed by the word they start with (or, for templates that
    start with a slot, by a fixed word anywhere in the line), and the one prefilter regex
    that finds where in a text they may begin."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        word_counts = Counter(w for e in entries for w in {x.lower() for x in e.words()})
        at_start: defaultdict[str, list[Template]] = defaultdict(list)
        glue_words: dict[str, bool] = {}  # printed form -> needs a word boundary after it
        line_words: dict[str, bool] = {}  # the same, for templates matched at line starts only
        anywhere: defaultdict[str, list[Template]] = defaultdict(list)
        neighbours: defaultdict[str, list[Template]] = defaultdict(list)
        for order, entry in enumerate(entries):
            template = Template(entry, compile_template(entry), order)
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
        # the first words as printed, kept for the engines that look for them all at once
        # (``anchors``): after a glue point or a line start, and at line starts only
        self.glue_words: frozenset[str] = frozenset(glue_words)
        self.line_words: frozenset[str] = frozenset(line_words)
        self.number_at_line_start = NUMBER_KEY in at_start
        self.neighbours: dict[str, tuple[Template, ...]] = {
            kind: tuple(ts) for kind, ts in neighbours.items()
        }
        self.at_start: dict[str, tuple[Template, ...]] = {
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
        self.prefilter = re.compile(rf"[\n{GLUE_CHARS}](?:{'|'.join(alternatives) or '(?!)'})")
        # Templates that start with a slot ("{pub}'s {date} issue"): found by a word anywhere.
        self.anywhere: dict[str, tuple[Template, ...]] = {
            key: tuple(
                sorted(
                    (t for anchor, ts in anywhere.items() if anchor in key for t in ts),
                    key=lambda t: t.order,
                )
            )
            for key in anywhere
        }
        self.anywhere_words: frozenset[str] = frozenset(
            v for w in anywhere for v in case_variants(w)
        )
        self.anywhere_re: re.Pattern[str] | None = (
            re.compile(trie_regex(dict.fromkeys(self.anywhere_words, False))) if anywhere else None
        )

    def line_places(self, line: str) -> list[tuple[int, str]]:
        """The places of ``places`` in one line of a text: the same (offset, start key), as no
        prefilter match runs over a line's end (the lead is the line's newline or a glue
        character in it, then spaces that are no newline and a word)."""
        found = []
        for hit in self.prefilter.finditer("\n" + line):
            lead = hit.start()  # 0: the line's own newline; else the glue character's
            word = hit[hit.lastgroup or 0]
            found.append((lead, NUMBER_KEY if word[:1].isdigit() else word.lower()))
        return found

    def line_anywhere(self, line: str) -> set[str]:
        """The anchor words of slot-first templates in one line (as ``places`` finds them)."""
        if self.anywhere_re is None:
            return set()
        return {hit.group().lower() for hit in self.anywhere_re.finditer(line)}

    def places(self, text: str, lines: LineIndex) -> tuple[Places, dict[int, set[str]]]:
        """Where templates may begin: per line, (offset, start key) at line starts and glue
        points, and the anchor words of slot-first templates."""
        places: Places = {}
        padded = "\n" + text
        for hit in self.prefilter.finditer(padded):
            # hit.start() is the lead character's offset in padded: a newline (its line
            # starts at hit.start() in text) or a glue character (at hit.start() - 1 in text;
            # the place is right after it, at hit.start()).
            lead = hit.start()
            if padded[lead] == "\n":
                index, offset = lines.line_of(lead), 0
            else:
                index, offset = lines.line_of(lead - 1), lines.column_of(lead)
            word = hit[hit.lastgroup or 0]  # the "line" or "word" group
            key = NUMBER_KEY if word[:1].isdigit() else word.lower()
            found = places.get(index)
            if found is None:
                places[index] = [(offset, key)]
            else:
                found.append((offset, key))
        anywhere: dict[int, set[str]] = {}
        if self.anywhere_re is not None:
            for hit in self.anywhere_re.finditer(text):
                index = lines.line_of(hit.start())
                anywhere.setdefault(index, set()).add(hit.group().lower())
        return places, anywhere
