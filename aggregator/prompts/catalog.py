"""The catalog of the aggregator's interface strings, and the compiler that makes them regexes.

The strings live in data files, one per interface language: ``catalog/<lang>.toml``. Each
file groups templates by kind (see ``KINDS``); a template is the string as the site prints
it, with named slots ``{date}``, ``{pub}``, ``{count}`` (and ``{price}`` for the shared
structural rules). ``catalog/common.toml`` holds the language-neutral entries (teaser-card
metadata, bare price lines) and the brand name that the structural fallback keys on.

Adding a language is adding a file: nothing here knows any language.

File format (TOML; the language code is the file name)::

    name = "Norsk bokmål"                  # optional, for people

    [[edition]]                            # the kind: one of KINDS
    template = "Denne historien er fra {date}-utgaven av {pub}."
    examples = ["Denne historien er fra November 07, 2024-utgaven av The Independent."]

    [[more_stories]]
    template = "FLERE HISTORIER FRA {pub}"
    suffixes = ["Se alt"]                  # optional trailing link text, may be glued
    examples = ["FLERE HISTORIER FRA BRUNCHSe alt"]

Other entry keys: ``anchor`` (the fixed word to find a template that starts with a slot
by), ``glue = false`` (whole lines only, never after a sentence on the same line),
``needs_neighbor = true`` (only next to a line of the same kind), ``note`` (free text).
Every entry must match each of its ``examples`` (the tests check it).

A compiled template is tolerant the way text dumps of the site vary: any run of whitespace
(NBSP and U+202F included), an optional space before ``? ! :``, straight or curly
apostrophes, any dash for a hyphen, the count in any form (``9,000+``, ``8.000``, ``8500``),
unrendered ``{{Placeholder}}`` values in any slot, and case. It is anchored on the whole
line, or on the tail of a line that ends a sentence with no break before the interface text
("...latest trends.Diese Geschichte stammt aus der ...").
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from aggregator.dates import LABEL

#: Every kind an entry can have. The first three are the subscription prompt proper.
KINDS: Final = (
    "edition",
    "offer",
    "signin",
    "try_gold",
    "price_banner",
    "more_stories",
    "continue_app",
    "card_meta",
)
PROMPT_KINDS: Final = frozenset({"edition", "offer", "signin"})

#: The file of language-neutral entries; its entries have language ``UNDETERMINED``.
COMMON_FILE: Final = "common.toml"
UNDETERMINED: Final = "und"

_ENTRY_KEYS: Final = frozenset(
    {"template", "examples", "anchor", "suffixes", "needs_neighbor", "glue", "note"}
)
_FILE_KEYS: Final = frozenset({"name", "brand", *KINDS})

# --- slot patterns ----------------------------------------------------------------------------

#: An unrendered template placeholder, as fr/ pages print them: ``{{IssueName}}``.
PLACEHOLDER: Final = r"\{\{[^{}\n]{1,60}\}\}"
_PLACEHOLDER_RE: Final = re.compile(rf"\s*{PLACEHOLDER}\s*")

# A printed issue label: the grammar (day, month, fortnight) lives in aggregator.dates.

#: A magazine count: "9,000+", "9000+", "8.000", "8500", "10,000", "9 000".
COUNT: Final = r"(?:\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+\+?|\d+\+?)"
#: A bare price: "$149.99", "$74.99/Year", "₹ 1,499", "149,99 €".
PRICE: Final = (
    r"(?:(?:(?:US|CA|AU|NZ|SG|HK|A|S)?\$|[€£₹¥]|Rs\.?|USD|EUR|INR|GBP)\s?\d[\d.,]*"
    r"|\d[\d.,]*\s?[$€£₹¥])"
    # the period word in any language and script ("/Year", "/Año", "/年", "/वर्ष")
    r"(?:\s*/\s*[^\s/\d]{1,12})?"
)

# A publication name inside a sentence: does not end a sentence itself ("Brunch. Start your..."),
# except after a short abbreviation ("St. Louis Magazine", "Hello!").
_PUB: Final = r"(?:[^\n.!?]|[.!?](?!\s)|(?:(?<=\b\w)|(?<=\b\w\w)|(?<=\b\w\w\w))\.){1,150}?"

_SLOT_PATTERNS: Final[Mapping[str, str]] = {
    "date": rf"(?:{PLACEHOLDER}|{LABEL})",
    "pub": _PUB,
    "count": rf"(?:{PLACEHOLDER}|{COUNT})",
    "price": PRICE,
}
# A publication name that ends the template (a heading: "MORE STORIES FROM {pub}") is a name,
# not a sentence: at most six words, not ending in sentence punctuation.
_TERMINAL_PUB: Final = rf"(?:{PLACEHOLDER}|\S+?(?:\s+\S+?){{0,5}}?(?<![.!?…:;,]))"

# --- fixed-text tolerance ---------------------------------------------------------------------

_CHAR_CLASSES: Final[Mapping[str, str]] = {
    **dict.fromkeys("'’‘ʼ`´", "['’‘ʼ`´]"),
    **dict.fromkeys('"“”„«»', '["“”„«»]'),
    **dict.fromkeys("-‐‑‒–—", "[-‐‑‒–—]"),
    **dict.fromkeys(",،", "[,،]"),
    **dict.fromkeys("?？؟", "[?？؟]"),
}
# Punctuation that dumps may print with a space before it ("subscriber ? Sign In").
_SPACE_BEFORE: Final = frozenset("?？؟!:")
# What may end the sentence a prompt is glued to, with no line break in between.
#: What ends a sentence, in the scripts the site prints (Latin, CJK, Arabic, Devanagari, Urdu).
SENTENCE_ENDS: Final = ".!?…。？؟।॥۔｡！"
GLUE_CHARS: Final = SENTENCE_ENDS + r""""”’'»)\]"""
GLUE_BEFORE: Final = f"[{GLUE_CHARS}]"

_SLOT_RE: Final = re.compile(r"\{(\w*)\}")
_FINAL_STOPS: Final = ".。।"
_WORD_RE: Final = re.compile(r"\w+")


class CatalogError(ValueError):
    """A catalog file that does not follow the format."""


@dataclass(frozen=True)
class Entry:
    """One interface string of one language."""

    kind: str
    language: str
    template: str
    examples: tuple[str, ...] = ()
    anchor: str | None = None
    suffixes: tuple[str, ...] = ()
    needs_neighbor: bool = False
    glue: bool = True
    source: str = ""

    @property
    def slots(self) -> tuple[str, ...]:
        return tuple(_SLOT_RE.findall(self.template))

    def fixed_parts(self) -> list[str]:
        """The template's fixed text, between the slots."""
        return _SLOT_RE.split(self.template)[::2]

    def words(self) -> list[str]:
        """The fixed words of the template (not of its optional suffixes)."""
        return [w for part in self.fixed_parts() for w in _WORD_RE.findall(part)]


@dataclass(frozen=True)
class Catalog:
    languages: tuple[str, ...]
    entries: tuple[Entry, ...]
    brand: str | None = None


def packaged_directory() -> Path:
    return Path(__file__).parent / "catalog"


def available_languages(directory: Path) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in directory.glob("*.toml") if p.name != COMMON_FILE))


def load_catalog(directory: Path, languages: Collection[str] | None = None) -> Catalog:
    """Load ``<lang>.toml`` files (all, or only ``languages``) and ``common.toml`` if present."""
    available = available_languages(directory)
    if languages is None:
        chosen = available
    else:
        missing = sorted(set(languages) - set(available))
        if missing:
            raise CatalogError(
                f"no catalog file for language(s) {missing} in {directory}; "
                f"available: {list(available)}"
            )
        chosen = tuple(lang for lang in available if lang in set(languages))
    entries: list[Entry] = []
    brand: str | None = None
    common = directory / COMMON_FILE
    if common.is_file():
        data = _read(common)
        brand_value = data.get("brand")
        if brand_value is not None and not isinstance(brand_value, str):
            raise CatalogError(f"{common}: 'brand' must be a string")
        brand = brand_value
        entries.extend(_entries(data, UNDETERMINED, common.name))
    for lang in chosen:
        path = directory / f"{lang}.toml"
        entries.extend(_entries(_read(path), lang, path.name))
    return Catalog(languages=chosen, entries=tuple(entries), brand=brand)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def _entries(data: Mapping[str, Any], language: str, source: str) -> Iterator[Entry]:
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise CatalogError(f"{source}: unknown key(s) {sorted(unknown)}; kinds are {KINDS}")
    for kind in KINDS:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise CatalogError(f"{source}: '{kind}' must be an array of tables ([[{kind}]])")
        for item in items:
            yield _entry(item, kind, language, source)


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogError(f"{what} must be a list of strings")
    return tuple(value)


def _entry(item: Any, kind: str, language: str, source: str) -> Entry:
    where = f"{source}: [[{kind}]]"
    if not isinstance(item, dict):
        raise CatalogError(f"{where} must be a table")
    unknown = set(item) - _ENTRY_KEYS
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {sorted(unknown)}")
    template = item.get("template")
    if not isinstance(template, str) or not template.strip():
        raise CatalogError(f"{where}: 'template' must be a non-empty string")
    where = f"{source}: [[{kind}]] {template!r}"
    anchor = item.get("anchor")
    if anchor is not None and not isinstance(anchor, str):
        raise CatalogError(f"{where}: 'anchor' must be a string")
    needs_neighbor = item.get("needs_neighbor", False)
    glue = item.get("glue", True)
    if not isinstance(needs_neighbor, bool) or not isinstance(glue, bool):
        raise CatalogError(f"{where}: 'needs_neighbor' and 'glue' must be booleans")
    entry = Entry(
        kind=kind,
        language=language,
        template=template,
        examples=_strings(item.get("examples", []), f"{where}: 'examples'"),
        anchor=anchor,
        suffixes=_strings(item.get("suffixes", []), f"{where}: 'suffixes'"),
        needs_neighbor=needs_neighbor,
        glue=glue,
        source=source,
    )
    slots = entry.slots
    bad = [s for s in slots if s not in _SLOT_PATTERNS]
    if bad:
        raise CatalogError(f"{where}: unknown slot(s) {bad}; slots are {list(_SLOT_PATTERNS)}")
    repeated = [s for s, n in Counter(slots).items() if n > 1]
    if repeated:
        raise CatalogError(f"{where}: slot(s) {repeated} used twice")
    words = {w.lower() for w in entry.words()}
    if anchor is not None and anchor.lower() not in words:
        raise CatalogError(f"{where}: anchor {anchor!r} is not a fixed word of the template")
    if not words and not needs_neighbor:
        raise CatalogError(f"{where}: a template with no fixed word needs 'needs_neighbor = true'")
    return entry


_QUESTION_MARK: Final = re.compile(r"\s*[?？؟]")


def signin_halves(entries: Collection[Entry]) -> list[tuple[str, str, str]]:
    """(language, question, link text) of each sign-in entry that has both halves."""
    halves: list[tuple[str, str, str]] = []
    for entry in entries:
        if entry.kind != "signin":
            continue
        mark = _QUESTION_MARK.search(entry.template)
        if mark is not None and entry.template[mark.end() :].strip():
            question, link = entry.template[: mark.end()], entry.template[mark.end() :]
            halves.append((entry.language, question.strip(), link.strip()))
    return halves


def mixed_signins(entries: Collection[Entry]) -> list[Entry]:
    """Sign-in lines that mix languages, as pages print them: one language's question and
    another's link text ("Already a subscriber ? Logg på"). Derived from the catalog's own
    sign-in entries; the question's language is the line's."""
    halves = signin_halves(entries)
    known = {entry.template for entry in entries if entry.kind == "signin"}
    derived: list[Entry] = []
    for language, question, _ in halves:
        for other, _, link in halves:
            template = f"{question} {link}"
            if other != language and template not in known:
                known.add(template)
                derived.append(Entry("signin", language, template, source="mixed"))
    return derived


# --- compiler ---------------------------------------------------------------------------------


def fixed_regex(text: str) -> str:
    """A tolerant regex for a run of fixed template text."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            prev = text[i - 1] if i > 0 else ""
            nxt = text[j] if j < n else ""
            near_punct = (prev and not prev.isalnum()) or (nxt and not nxt.isalnum())
            out.append(r"\s*" if near_punct else r"\s+")
            i = j
            continue
        if ch in _SPACE_BEFORE and (i == 0 or not text[i - 1].isspace()):
            out.append(r"\s*")
        out.append(_CHAR_CLASSES.get(ch) or re.escape(ch))
        i += 1
    return "".join(out)


def template_regex(entry: Entry) -> str:
    """The regex source of ``entry``, slots as named groups, anchored on the line's end."""
    pieces = _SLOT_RE.split(entry.template.rstrip())
    # a slot that ends the template (a heading's "{pub}") is a name, not a sentence's part
    open_end = not pieces[-1].strip()
    # a sentence's final stop may be lost to the extractor ("... edition of Outlook")
    final_stop = pieces[-1][-1:] in _FINAL_STOPS
    if final_stop:
        pieces[-1] = pieces[-1][:-1]
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            out.append(fixed_regex(piece))
            continue
        terminal = index == len(pieces) - 2 and open_end
        pattern = _TERMINAL_PUB if piece == "pub" and terminal else _SLOT_PATTERNS[piece]
        out.append(f"(?P<{piece}>{pattern})")
    body = "".join(out) + (rf"[{_FINAL_STOPS}]?" if final_stop else "")
    if entry.suffixes:
        body += r"(?:\s*(?:" + "|".join(fixed_regex(s) for s in entry.suffixes) + "))?"
    start = rf"(?:^|(?<={GLUE_BEFORE}))\s*" if entry.glue else r"^\s*"
    return rf"{start}{body}\s*$"


def compile_template(entry: Entry) -> re.Pattern[str]:
    return re.compile(template_regex(entry), re.IGNORECASE)


def is_placeholder(value: str) -> bool:
    return _PLACEHOLDER_RE.fullmatch(value) is not None


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
    pieces = _SLOT_RE.split(entry.template)
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
