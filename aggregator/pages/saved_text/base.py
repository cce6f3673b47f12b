"""``PageText``: a saved page text as its lines and the matcher's scan of them, with the
look-around every reader of it (header, names, cards, body) shares."""

from __future__ import annotations

from aggregator.pages.saved_text.lines import page_lines
from aggregator.prompts import PREVIEW_KINDS, PromptMatcher
from aggregator.prompts.results import first_facts
from aggregator.site.urls import StoryUrl, parse_story_url
from aggregator.utils.encoding import repair_mojibake

# Interface lines that end the body (the prompt, or what stands in for it, or the heading).
BODY_END_KINDS = PREVIEW_KINDS | {"more_stories"}


# Interface lines that may follow those before the teaser list begins.
INTERFACE_RUN = BODY_END_KINDS | {"try_gold"}


# Interface lines printed above the header: the price banner, the Try-GOLD button.
TOP_KINDS = frozenset({"price_banner", "try_gold"})


class PageText:
    def __init__(
        self, url: str, text: str, matcher: PromptMatcher, story_url: StoryUrl | None = None
    ) -> None:
        """``story_url``: the parsed ``url``, when the caller has it already."""
        self.url = url
        self.story_url = story_url or parse_story_url(url)
        self.lines = page_lines(repair_mojibake(text))
        self.matcher = matcher
        # (what the catalog found per line: the prompt stage's clean of the body reuses it)
        self.matches, self.scanned = matcher.scan_page(self.lines)
        # each line's rule kind (None: no rule matched), read once: every reader asks it
        self.kinds: list[str | None] = [m.kind if m else None for m in self.matches]
        self.facts, self.facts_language = first_facts(self.matches)
        self.heading_index: int | None = None  # a "more stories" heading told by its shape

    def _kind(self, index: int) -> str | None:
        kinds = self.kinds
        return kinds[index] if 0 <= index < len(kinds) else None

    def _plain(self, *indexes: int) -> bool:
        """These lines exist and none of them is interface text."""
        matches, count = self.matches, len(self.lines)
        # a loop, not all(<generator>): this is called a few times a line
        for i in indexes:  # noqa: SIM110
            if not 0 <= i < count or matches[i] is not None:
                return False
        return True

    def _first_open(self, start: int) -> int | None:
        """The first line from ``start`` on that is not top-of-page interface text."""
        index = start
        while index < len(self.lines) and self._kind(index) in TOP_KINDS:
            index += 1
        return index if index < len(self.lines) else None
