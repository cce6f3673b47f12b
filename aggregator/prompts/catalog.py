"""The catalog of the aggregator's interface strings, and the compiler that makes them regexes.

The strings live in data files, one per interface language: ``strings/<lang>.toml``. Each
file groups templates by kind (see ``KINDS``); a template is the string as the site prints
it, with named slots ``{date}``, ``{pub}``, ``{count}`` (and ``{price}`` for the shared
structural rules). ``strings/common.toml`` holds the language-neutral entries (teaser-card
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

Loading and checking the files is this module's job (and deriving the entries the files
imply: sign-in lines that mix two languages' halves); ``compiler`` turns entries into
patterns, ``prefilter`` indexes them, ``matcher`` scans text, ``fallback`` catches what no
file names.

``compiler`` says how tolerant a compiled template is (whitespace, apostrophes, counts,
placeholders, case, a glued start).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Final

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
    "navigation",
)
PROMPT_KINDS: Final = frozenset({"edition", "offer", "signin"})
# What a preview page shows where the rest of the story would be: the prompt, a price banner
# or a link to the app. One home: the saved-text page and the prompt stage read it.
PREVIEW_KINDS: Final = PROMPT_KINDS | {"price_banner", "continue_app"}

#: The file of language-neutral entries; its entries have language ``UNDETERMINED``.
COMMON_FILE: Final = "common.toml"
UNDETERMINED: Final = "und"
#: The slots a template may hold (``compiler`` has a pattern for each).
SLOTS: Final = ("date", "pub", "count", "price")

_ENTRY_KEYS: Final = frozenset(
    {"template", "examples", "anchor", "suffixes", "needs_neighbor", "glue", "note"}
)
_FILE_KEYS: Final = frozenset({"name", "brand", *KINDS})
SLOT_RE: Final = re.compile(r"\{(\w*)\}")
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
        return tuple(SLOT_RE.findall(self.template))

    def fixed_parts(self) -> list[str]:
        """The template's fixed text, between the slots."""
        return SLOT_RE.split(self.template)[::2]

    def words(self) -> list[str]:
        """The fixed words of the template (not of its optional suffixes)."""
        return [w for part in self.fixed_parts() for w in _WORD_RE.findall(part)]


@dataclass(frozen=True)
class Catalog:
    languages: tuple[str, ...]
    entries: tuple[Entry, ...]
    brand: str | None = None


def packaged_directory() -> Traversable:
    """The packaged strings, through importlib.resources: also inside a zipped egg (scrapyd)."""
    return files("aggregator.prompts") / "strings"


def available_languages(directory: Traversable) -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in directory.iterdir()
            if entry.name.endswith(".toml") and entry.name != COMMON_FILE
        )
    )


def load_catalog(directory: Traversable, languages: Collection[str] | None = None) -> Catalog:
    """Load ``<lang>.toml`` files (all, or only ``languages``) and ``common.toml`` if present."""
    available = available_languages(directory)
    if not available:
        # a packaging fault (the strings left out of a wheel or egg) must not pass for a
        # crawl that found no prompts
        raise CatalogError(f"no catalog file (<language>.toml) in {directory}")
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


def _read(path: Traversable) -> dict[str, Any]:
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
    bad = [s for s in slots if s not in SLOTS]
    if bad:
        raise CatalogError(f"{where}: unknown slot(s) {bad}; slots are {list(SLOTS)}")
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
