"""``search_stories``: the results of ``scrapy search`` as stories, each story once.

An engine ranks items: an article and the teaser cards that point to it (the same headline,
the same summary) are separate matches, and a card can outrank its own article. A reader
looks for stories: here an article and its cards are one result, at the best place any of
them reached, counted (``Result.teasers``), linking to the article's URL; a card whose story
is in the index shows as that story. A card whose story is not in the index (premium, never
crawled) stays a card. ``Filters(type="teaser")`` asks for cards: they are listed as they
are, each marked with whether its story is in the index (``premium``).

Paging (``offset``) is over the stories: the engine is asked for more matches than a page
(``CANDIDATES`` times), since several of them may be one story.
"""

from __future__ import annotations

from dataclasses import replace

from aggregator.index.protocol import Filters, Index, Result

# matches asked of the engine for each story of a page: an issue's card shows on every story
# page of the issue, but the feeds hold one teaser a card (dedupe), so one story is at most
# its article and a card or two
CANDIDATES = 4


def search_stories(index: Index, query: str, filters: Filters, offset: int = 0) -> list[Result]:
    """The stories matching ``query``, from the ``offset``-th, ``filters.limit`` at most."""
    wanted = offset + filters.limit
    matches = index.search(query, replace(filters, limit=wanted * CANDIDATES))
    if filters.type == "teaser":
        return matches[offset:wanted]
    return collapse(index, matches)[offset:wanted]


def collapse(index: Index, matches: list[Result]) -> list[Result]:
    """Each story once, in the order of its first match: an article stands for its cards."""
    wanted = {m.story_id for m in matches if m.type == "teaser" and m.story_id}
    wanted -= {m.id for m in matches if m.type == "article"}
    fetched = {a.id: a for a in index.articles(sorted(wanted))}
    matched = {m.id: m for m in matches if m.type == "article"}
    stories = {**fetched, **matched}
    shown: list[Result] = []
    seen: set[str] = set()
    for match in matches:
        key = match.id if match.type == "article" else match.story_id
        story = stories.get(key) if key else None
        if story is None:  # a card of a story never crawled
            shown.append(match)
            continue
        if story.id in seen:
            continue
        seen.add(story.id)
        if story.id in matched and story is not match:  # a card ranked above its article
            story = replace(story, score=match.score)
        elif story is not match:  # the story found through its card alone: the card's text
            story = replace(story, score=match.score, snippet=match.snippet)
        shown.append(story)
    return shown
