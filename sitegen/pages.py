"""A story's page in one locale: its prompt copies, headings and teaser cards, worded in the
page's locale (``content.wording()``); the article text itself is never translated."""

from __future__ import annotations

from dataclasses import replace

from sitegen.content import wording
from sitegen.model import Issue, Prompt, StoryPage, StorySpec


def make_prompt(
    locale: str, wording_name: str, issue: Issue, *, first_copy: bool, count: str | None = None
) -> Prompt:
    """The prompt block as printed on a ``locale`` page (``first_copy``: the classic first copy,
    with a space before the question mark)."""
    w = wording().prompts[(locale, wording_name)]
    values = {"date": issue.label, "pub": issue.publication.name, "count": count or w.count}
    return Prompt(
        language=w.language,
        edition=w.edition if "{{" in w.edition else w.edition.format(**values),
        offer=w.offer.format(**values),
        ask=w.ask_first if first_copy else w.ask,
        action=w.action,
    )


def more_heading(locale: str, family: str, publication: str) -> tuple[str, str | None]:
    """The "More stories" heading and its "View All" text (None: no link)."""
    more = wording().more_stories[(locale, family)]
    name = publication.upper() if more.upper else publication
    return more.heading.format(pub=name), more.view_all


def build_story_page(spec: StorySpec, locale: str, siblings: list[StorySpec]) -> StoryPage:
    """``spec`` mirrored under ``locale``; ``siblings``: the stories of its issue (the cards)."""
    issue = spec.issue
    family = "2025" if spec.layout == "gold2025" or spec.wording == "2025" else "classic"
    previewed = "free" not in spec.variants
    printed = previewed and not ({"price-banner", "app-cta"} & set(spec.variants))
    prompt = overlay = None
    if printed:
        first = spec.wording == "classic"
        prompt = make_prompt(locale, spec.wording, issue, first_copy=first, count=spec.count)
        if spec.layout == "classic":
            overlay = make_prompt(locale, spec.wording, issue, first_copy=False, count=spec.count)
        if "mixed-prompt" in spec.variants:
            # a localized edition line followed by the English free-trial line
            english = make_prompt("en", "classic", issue, first_copy=first)
            prompt = replace(prompt, offer=english.offer)
            if overlay is not None:
                overlay = replace(overlay, offer=english.offer)
    heading, view_all = more_heading(locale, family, issue.publication.name)
    cards = []
    for sibling in siblings:
        target_locale = locale if locale in sibling.locales else sibling.link_locale
        cards.append(sibling.card(target_locale))
    return StoryPage(
        path=spec.path(locale),
        canonical_url=spec.canonical_url,
        lang=locale,
        layout=spec.layout,
        title=spec.title,
        standfirst=spec.standfirst,
        authors=spec.authors,
        issue=issue,
        category=spec.category,
        paragraphs=spec.paragraphs,
        prompt=prompt,
        overlay_prompt=overlay,
        gold_cta=wording().gold_cta[locale] if spec.layout == "gold2025" else None,
        more_heading=heading,
        view_all=view_all if spec.layout in ("classic", "gold2025") else None,
        cards=cards,
        is_free="free" in spec.variants,
        price_banner="price-banner" in spec.variants,
        app_cta="app-cta" in spec.variants,
    )
