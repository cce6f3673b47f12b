"""A story page as a text extractor saved it (web-text corpora): text in, items out.

The text is segmented into its parts (see ../shared/prompts-observed.md, "Shapes"):

    [header]  classic: Title / Publication|Date / standfirst / byline (/ Title again)
              2025:    Try-GOLD line / Title / Publication / |Date / standfirst
    body      paragraphs, then the prompt block(s) and other interface lines
    teasers   an optional "more stories" heading, then cards in one of three shapes:
              classic  Headline / Summary
              blank    Headline / Publication / Headline / Summary / time-read / 5 mins | / Date
              2025     Publication / Headline / Summary / 3 mins / Date

Like the HTML pages, the body keeps the prompt lines as printed: the prompt stage removes
them, fills ``prompt_language`` and counts them, for both sources alike. What this class
does read from the prompt is where the body ends and the edition line's facts.

Everything is one pass or a constant look-around per line: the matcher's scan, then the
header (first lines), the body bounds (first interface line) and the cards (one pass).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from urllib.parse import unquote

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
from ftfy.badness import is_bad

from aggregator.items import Article, Teaser
from aggregator.pages.base import RepeatCheck, make_teaser
from aggregator.prompts import PROMPT_KINDS, PromptMatcher
from aggregator.prompts.catalog import UNDETERMINED
from aggregator.prompts.compiler import SENTENCE_ENDS
from aggregator.prompts.results import first_facts
from aggregator.prompts.shapes import BAR_DATE_LINE, SOURCE_LINE
from aggregator.site.dates import LABEL, parse_issue_date
from aggregator.site.urls import StoryUrl, article_id, parse_story_url, teaser_id
from aggregator.utils.text import join_paragraphs

# What a preview page shows where the rest of the story would be.
PREVIEW_KINDS = PROMPT_KINDS | {"price_banner", "continue_app"}
# Interface lines that end the body (the prompt, or what stands in for it, or the heading).
BODY_END_KINDS = PREVIEW_KINDS | {"more_stories"}
# Interface lines that may follow those before the teaser list begins.
INTERFACE_RUN = BODY_END_KINDS | {"try_gold"}
# Interface lines printed above the header: the price banner, the Try-GOLD button.
TOP_KINDS = frozenset({"price_banner", "try_gold"})
DATE_LINE = re.compile(LABEL)
# A "more stories" heading is short; its words before any glued link text are in capitals.
HEADING_MAX_CHARS = 100
HEADING_UPPER_SHARE = 0.8
# How far below the top interface lines (banner, button) a header's title may begin.
HEADER_REACH = 3
# Stray extractor noise: image placeholders, Markdown images (also linked ones).
NOISE = re.compile(
    r"^(?:(?:image|img|\[image\])\s*)+$"
    r"|^\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?$",
    re.I,
)
BY = re.compile(r"^(?:by\s+|[-‐‑‒–—]\s*)", re.I)
DASH_BYLINE = re.compile(r"^[-‐‑‒–—]\s*\S")
AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|&|\band\b)\s*")
BYLINE_MAX_CHARS = 60
BYLINE_NOT_LAST = frozenset(SENTENCE_ENDS + ":;")
SLUG_JUNK = re.compile(r"[^A-Z0-9]+")
NOT_ALNUM = re.compile(r"[\W_]+")
# UTF-8 read as Windows-1252 always leaves a lead byte's letter (Â..ô) before a continuation
# byte's character (U+0080..U+00BF, or what cp1252 maps 0x80..0x9F to): a necessary condition,
# checked before ftfy's costlier is_bad. Searched in the text's UTF-8 bytes, where the lead
# letters all begin with 0xC3: a literal prefix the regex engine skips to quickly.
_CONTINUATION = sorted({bytes([b]).decode("sloppy-windows-1252") for b in range(0x80, 0xC0)})
MOJIBAKE_HINT = re.compile(
    rb"\xc3[\x82-\xb4](?:" + b"|".join(re.escape(c.encode()) for c in _CONTINUATION) + rb")"
)
# Mojibake repair only: keep the text's quotes, widths, ligatures and control characters.
REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
)


def slugify(headline: str) -> str:
    """The site's story slug: "I'm far happier" -> "I-M-FAR-HAPPIER"."""
    return SLUG_JUNK.sub("-", headline.upper()).strip("-")


@lru_cache(maxsize=4096)  # card titles: an issue's cards are printed on all its pages
def slug_key(text: str) -> str:
    """Letters and digits only, case and accents folded: a headline and its URL slug agree
    on this whatever the site did with apostrophes ("I-M-…" or "IM-…") and accents."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    if not folded.isascii():  # accents: drop the combining marks NFKD split off
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return NOT_ALNUM.sub("", folded)


def repair(text: str) -> str:
    """Mojibake repair (UTF-8 read as Windows-1252), only on text that looks broken. Most
    texts are settled by ``isascii`` or the quick ``MOJIBAKE_HINT``; ftfy's badness check (a
    large regex) runs only on the rest, its repair only on broken ones. ftfy works line by
    line, so a text that is only partly broken keeps its good lines as they are."""
    if text.isascii() or MOJIBAKE_HINT.search(text.encode("utf-8", "replace")) is None:
        return text
    if not is_bad(text):
        return text
    return ftfy.fix_text(text, REPAIR)


@dataclass
class Header:
    shape: str  # "classic", "2025" or "none"
    end: int  # index of the first line after the header
    title: str | None = None
    publication: str | None = None
    issue_label: str | None = None
    standfirst: str | None = None
    byline: str | None = None


@dataclass(frozen=True)
class Card:
    title: str
    summary: str | None
    publication: str | None = None  # as the card prints it (blank and 2025 shapes)
    meta: tuple[str, ...] = ()  # the card's metadata lines: "5 mins |", "November 07, 2024"


class SavedTextPage:
    def __init__(
        self, url: str, text: str, matcher: PromptMatcher, story_url: StoryUrl | None = None
    ) -> None:
        """``story_url``: the parsed ``url``, when the caller has it already."""
        self.url = url
        self.story_url = story_url or parse_story_url(url)
        self.lines = page_lines(repair(text))
        self.matcher = matcher
        # (what the catalog found per line: the prompt stage's clean of the body reuses it)
        self.matches, self._scanned = matcher.scan_page(self.lines)
        self.facts, self.facts_language = first_facts(self.matches)
        self.heading_index: int | None = None  # a "more stories" heading told by its shape
        self.header = self._header()
        self.body_end, self.teaser_start = self._body_bounds()
        self.cards, self.teaser_shape = self._cards()

    # -- segmentation ---------------------------------------------------------------------

    def _kind(self, index: int) -> str | None:
        match = self.matches[index] if 0 <= index < len(self.matches) else None
        return match.kind if match else None

    def _plain(self, *indexes: int) -> bool:
        """These lines exist and none of them is interface text."""
        return all(0 <= i < len(self.lines) and self.matches[i] is None for i in indexes)

    def _header(self) -> Header:
        """The header, at the top or under the top interface lines (banner, button):

        classic  Title / Publication|Date / standfirst / byline (/ Title again)
        2025     Title / Publication / |Date / standfirst / - Byline (/ Title again)

        Its source line (``Publication|Date``, ``|Date``) finds it; the title is the line
        above (the line above the publication in 2025), never an interface line.
        """
        top = self._first_open(0)
        if top is None:
            return Header("none", len(self.lines))
        for date_at in range(top + 1, min(top + HEADER_REACH + 2, len(self.lines))):
            if not self._plain(date_at):
                break
            line = self.lines[date_at]
            if "|" not in line:  # both source-line shapes hold one; the regexes cost more
                continue
            bar = BAR_DATE_LINE.match(line)
            if bar is not None and date_at - 2 >= top and self._plain(date_at - 2, date_at - 1):
                title = self.lines[date_at - 2]
                header = Header("2025", date_at + 1, title, self.lines[date_at - 1], bar["date"])
                return self._header_tail(header)
            source = SOURCE_LINE.match(line)
            if source is not None and self._plain(date_at - 1):
                title = self.lines[date_at - 1]
                header = Header("classic", date_at + 1, title, source["pub"], source["date"])
                return self._header_tail(header)
        return Header("none", top)

    def _header_tail(self, header: Header) -> Header:
        """Standfirst, byline and the title printed again, after the source line."""
        index = header.end
        for _ in range(3):
            if not self._plain(index):
                break
            line = self.lines[index]
            if line == header.title:
                index += 1
                break
            if header.byline is None and (BY.match(line) or DASH_BYLINE.match(line)):
                if len(line.split()) > 8:
                    break
                header.byline = line
            elif header.standfirst is None and header.byline is None:
                header.standfirst = line
            elif (
                header.byline is None
                and _looks_like_byline(line)
                and self._plain(index + 1)
                and self.lines[index + 1] == header.title
            ):
                header.byline = line
            else:
                break
            index += 1
        header.end = index
        # classic, no title again: a short name line after the standfirst is the byline
        if (
            header.shape == "classic"
            and header.byline is None
            and header.standfirst is not None
            and self._plain(index)
            and _looks_like_byline(self.lines[index])
        ):
            header.byline, header.end = self.lines[index], index + 1
        return header

    def _top_preview_marks(self) -> bool:
        """A price banner above the header: what the page shows a reader who has no
        subscription (the HTML layouts' ``.price-banner``). The prompt and banner lines in
        the body make a preview too: the prompt stage derives that, for both sources."""
        top = self._first_open(0)
        end = len(self.lines) if top is None else top
        return any(self._kind(i) == "price_banner" for i in range(end))

    def _first_open(self, start: int) -> int | None:
        """The first line from ``start`` on that is not top-of-page interface text."""
        index = start
        while index < len(self.lines) and self._kind(index) in TOP_KINDS:
            index += 1
        return index if index < len(self.lines) else None

    def _body_bounds(self) -> tuple[int, int]:
        """(first line after the body, first line of the teaser list)."""
        start = self.header.end
        count = len(self.lines)
        for index in range(start, count):
            kind = self._kind(index)
            if kind in BODY_END_KINDS:
                tail = index + 1
                while tail < count and self._kind(tail) in INTERFACE_RUN:
                    tail += 1
                if tail < count and self._kind(tail) is None and self._is_heading(tail):
                    self.heading_index = tail
                    tail += 1
                return index, tail
            if kind == "card_meta":  # no prompt, no heading: the first card tells
                first_card = self._card_start(index, start)
                return first_card, first_card
        return count, count

    def _card_start(self, meta: int, floor: int) -> int:
        """Where the card whose first metadata line is ``meta`` begins."""
        lines = self.lines
        # blank: Headline / Publication / Headline again (/ Summary)
        for size in (4, 3):
            start = meta - size
            if start >= floor and lines[start] == lines[start + 2]:
                return start
        # 2025: Publication / Headline (/ Summary)
        known = (self._named_publication or "").casefold()
        if known and meta - 2 >= floor and lines[meta - 2].casefold() == known:
            return meta - 2
        return max(floor, meta - 3)

    def _cards(self) -> tuple[list[Card], str]:
        chunks: list[tuple[list[str], tuple[str, ...]]] = []
        current: list[str] = []
        meta: list[str] = []
        for index in range(self.teaser_start, len(self.lines)):
            kind = self._kind(index)
            if kind == "card_meta":
                meta.append(self.lines[index])
                continue
            if kind is not None:
                continue  # a second prompt copy, a heading: interface, not a card
            if meta:
                if current:
                    chunks.append((current, tuple(meta)))
                current, meta = [], []
            current.append(self.lines[index])
        if not chunks and not meta:
            return self._classic_cards(current)
        if current or meta:
            chunks.append((current, tuple(meta)))
        blank = any(len(c) >= 3 and c[0] == c[2] for c, _ in chunks) or any(
            "|" in line or "time-read" in line.casefold() for _, m in chunks for line in m
        )
        read = self._blank_card if blank else self._gold_card
        cards = []
        for number, (lines, card_meta) in enumerate(chunks, 1):
            # a text cut off before the last card's metadata: is its summary there?
            card = read(lines, card_meta, cut=number == len(chunks) and not card_meta)
            if card is not None:
                cards.append(card)
        return cards, "blank" if blank else "2025"

    @staticmethod
    def _classic_cards(lines: list[str]) -> tuple[list[Card], str]:
        # an odd line out is a headline whose summary never began: a truncated text
        cards = [Card(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
        return cards, "classic" if cards else "none"

    @staticmethod
    def _blank_card(lines: Sequence[str], meta: tuple[str, ...], cut: bool) -> Card | None:
        """Headline / Publication / Headline again / Summary."""
        if len(lines) >= 3 and lines[0] == lines[2]:
            if cut and len(lines) == 3:
                return None
            return Card(lines[0], " ".join(lines[3:]) or None, lines[1], meta)
        if cut or len(lines) < 2:
            return None  # cut before the headline's second copy: no summary yet
        return Card(lines[0], " ".join(lines[2:]) or None, lines[1], meta)

    def _gold_card(self, lines: Sequence[str], meta: tuple[str, ...], cut: bool) -> Card | None:
        """Publication / Headline / Summary."""
        if len(lines) >= 3:
            return Card(lines[1], " ".join(lines[2:]), lines[0], meta)
        if cut:
            return None  # cut before the summary began
        if len(lines) == 2:
            known = (self._named_publication or "").casefold()
            if known and lines[0].casefold() == known:
                return Card(lines[1], None, lines[0], meta)
            return Card(lines[0], lines[1], None, meta)
        return Card(lines[0], None, None, meta) if lines else None

    # -- fields ---------------------------------------------------------------------------

    @property
    def header_shape(self) -> str:
        return self.header.shape

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

    @property
    def publication(self) -> str | None:
        return self._publication[0]

    @cached_property
    def _publication(self) -> tuple[str | None, str]:
        """(publication, the rule that found it): the header's, else the edition line's
        (from a catalog template, or the words that spell the URL's slug), else the cards';
        only when nothing names it, the URL's slug."""
        if self.header.publication:
            return self.header.publication, "header"
        if self.facts is not None and self.facts.publication:
            return self.facts.publication, "edition"
        if self._edition_name:
            return self._edition_name, "edition_slug"
        own = self.own_card
        for card in (own, *self.cards) if own else self.cards:
            if card.publication:
                return card.publication, "card"
        if self.story_url:
            return unquote(self.story_url.publication_slug).replace("-", " "), "url_slug"
        return None, "none"

    @property
    def sources(self) -> dict[str, str]:
        """Which rule filled each field read from the text, for the stats
        (``aggregator/dumps/<field>/<source>``): what was read, what was guessed."""
        own = self.own_card
        header = f"header_{self.header.shape}"
        if self.header.issue_label:
            edition = header
        elif self.facts is None:
            edition = "none"
        else:
            edition = "edition_fallback" if self.facts_language == UNDETERMINED else "edition"
        return {
            "title": header if self.header.title else "own_card" if own else "none",
            "standfirst": header if self.header.standfirst else "own_card" if own else "none",
            "authors": header if self.header.byline else "none",
            "publication": self._publication[1],
            "edition": edition,
        }

    @cached_property
    def own_card(self) -> Card | None:
        """The teaser card of the page's own story: its headline slugified is the URL's slug."""
        if self.story_url is None:
            return None
        slug = slug_key(unquote(self.story_url.slug))
        return next((c for c in self.cards if slug_key(c.title) == slug), None) if slug else None

    def body_lines(self) -> list[str]:
        """Body paragraphs as printed, the prompt lines that close it included."""
        return [
            line
            for index, line in enumerate(self.lines[self.header.end : self.teaser_start])
            if self._kind(self.header.end + index) != "more_stories"
            and self.header.end + index != self.heading_index
        ]

    def article(self, crawled_at: str) -> Article | None:
        body = join_paragraphs(self.body_lines())
        if not body:
            return None
        self.matcher.expect(body, self._scanned)  # the body's lines are scanned already
        own = self.own_card
        if self.header.issue_label:
            label: str | None = self.header.issue_label
            issue_date = parse_issue_date(self.header.issue_label)
        else:
            label = self.facts.issue_label if self.facts else None
            issue_date = self.facts.issue_date if self.facts else None
        canonical = self.story_url.canonical_url if self.story_url else None
        return Article(
            id=article_id(canonical) if canonical else article_id(self.url),
            url=self.url,
            canonical_url=canonical,
            locale=self.story_url.locale if self.story_url else None,
            title=self.header.title or (own.title if own else None),
            standfirst=self.header.standfirst or (own.summary if own else None),
            authors=authors(self.header.byline) if self.header.byline else [],
            publication=self.publication,
            issue_date=issue_date,
            issue_label=label,
            category=self.story_url.category if self.story_url else None,
            body=body,
            is_preview=self._top_preview_marks(),
            source="dump",
            crawled_at=crawled_at,
        )

    def teasers(self, skip: RepeatCheck | None = None) -> list[Teaser]:
        """The cards as teasers. ``skip``: a card whose teaser ``skip`` says was exported
        already is not built (its id is its publication and title); it keeps its place in
        the positions of the cards after it."""
        page_publication = self.publication
        teasers = []
        for position, card in enumerate(self.cards, 1):
            publication = card.publication or page_publication
            if skip is not None and skip(_card_teaser_id(publication, card.title)):
                continue
            teasers.append(
                make_teaser(
                    source_url=self.url,
                    title=card.title,
                    summary=card.summary,
                    url=None,  # a saved text keeps no links
                    publication=publication,
                    issue_date=_card_date(card.meta),
                    read_time=" ".join(card.meta),
                    position=position,
                )
            )
        return teasers


def page_lines(text: str) -> list[str]:
    """The text's lines, each collapsed (``aggregator.utils.text.collapse``), empty lines and
    extractor noise left out."""
    raw = text.split("\n")
    if "  " not in text and all(map(str.isprintable, raw)):
        # the common text: no line break but "\n" (the others are not printable), no
        # whitespace but single spaces, so each line needs only its ends trimmed
        lines = [line for line in map(str.strip, raw) if line]
    else:
        lines = [line for line in map(_one_line, text.splitlines()) if line]
    return [line for line in lines if not _is_noise(line)]


def _is_noise(line: str) -> bool:
    # NOISE begins with "i", "[" or "!" (any case): other ASCII first letters cannot match
    first = line[0]
    return (not first.isascii() or first in "iI[!") and NOISE.match(line) is not None


def _one_line(raw: str) -> str:
    """``aggregator.utils.text.collapse``, cheaper: most lines need only their ends trimmed (a
    printable line has no whitespace but plain spaces)."""
    line = raw.strip()
    if "  " in line or not line.isprintable():
        return " ".join(line.split())
    return line


@lru_cache(maxsize=1024)  # a dump holds a few hundred publications, on many pages each
def _slug_pattern(publication_slug: str) -> re.Pattern[str] | None:
    chars = NOT_ALNUM.sub("", unquote(publication_slug))
    if not chars:
        return None
    return re.compile(r"[\W_]*".join(map(re.escape, chars)), re.IGNORECASE)


@lru_cache(maxsize=4096)  # the same cards on every page of an issue: one SHA-1 each
def _card_teaser_id(publication: str | None, title: str) -> str:
    return teaser_id(None, publication, title)


def _card_date(meta: tuple[str, ...]) -> str | None:
    label = next((line for line in meta if DATE_LINE.fullmatch(line)), None)
    return parse_issue_date(label) if label else None


def _glued_link(line: str, start: int) -> int:
    """Where link text glued to a heading in capitals begins ("…CHAMPAKAlles bekijken"):
    the last capital that follows a capital and comes before a small letter."""
    for index in range(len(line) - 2, max(start, 1) - 1, -1):
        if line[index - 1].isupper() and line[index].isupper() and line[index + 1].islower():
            return index
    return len(line)


def _looks_like_byline(line: str) -> bool:
    """A short name line ("By Helen Coffey", "Vir Sanghvi"): no sentence punctuation."""
    words = line.split()
    return 0 < len(words) <= 6 and len(line) <= BYLINE_MAX_CHARS and line[-1] not in BYLINE_NOT_LAST


def authors(byline: str) -> list[str]:
    """The names a byline lists: "By Sanya Kapoor and Meher Bajwa" -> two names."""
    names = (name.strip() for name in AUTHOR_SEPARATOR.split(BY.sub("", byline)))
    return list(dict.fromkeys(name for name in names if name))
