"""SavedTextPage: a saved page text segmented into header, body, prompt and teaser cards.

End-to-end outputs (through the pipelines) are in test_dumps_crawl.py; these check the
segmentation itself, one shape or edge at a time.
"""

from __future__ import annotations

from typing import Any

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
import pytest

from aggregator.pages.saved_text import NOISE, SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.site.urls import slug_key, slugify, stable_id
from aggregator.utils.encoding import repair_mojibake as repair
from aggregator.utils.text import collapse
from tests.support.paths import SEED_URL, SHAPES
from tests.support.records import read_jsonl
from tests.support.shared import seed_text

URL = "https://www.magzter.com/stories/lifestyle/Brunch/THE-OWN-STORY"
EN_EDITION = "This story is from the May 10, 2025 edition of Brunch."
EN_OFFER = (
    "Start your 7-day Magzter GOLD free trial to access thousands of curated premium stories, "
    "and 9,000+ magazines and newspapers."
)
EN_SIGNIN = "Already a subscriber ? Sign In"
BODY = [
    "The first paragraph of the story, long enough to read as article text and not a title.",
    "The second paragraph, which ends the part of the story a preview shows.",
]


def page(matcher: PromptMatcher, *lines: str, url: str = URL) -> SavedTextPage:
    return SavedTextPage(url, "\n".join(lines), matcher)


def shapes() -> dict[str, dict[str, Any]]:
    return {record["name"]: record for record in read_jsonl(SHAPES)}


def pairs(p: SavedTextPage) -> list[tuple[str, str | None]]:
    return [(card.title, card.summary) for card in p.cards]


# -- the seed -------------------------------------------------------------------------------


def test_seed_segments(matcher: PromptMatcher) -> None:
    text = seed_text()
    p = SavedTextPage(SEED_URL, text, matcher)
    raw = [line for line in text.splitlines() if line.strip()]
    assert p.header_shape == "none"
    assert p.teaser_shape == "classic"
    assert p.body_lines()[:6] == raw[:6]
    assert [m.kind if m else None for m in p.matches[6:12]] == ["edition", "offer", "signin"] * 2
    assert pairs(p) == [(raw[i], raw[i + 1]) for i in range(12, len(raw), 2)]
    article = p.article("2026-01-01T00:00:00+00:00")
    assert article is not None
    assert len(raw) == 32
    assert (article.title, article.standfirst) == (raw[28], raw[29])  # the page's own card
    assert (article.publication, article.issue_date) == ("The Independent", "2024-11-07")


# -- headers --------------------------------------------------------------------------------


def test_classic_header_with_byline_and_title_again(matcher: PromptMatcher) -> None:
    p = page(
        matcher,
        "Why is the river so low?",
        "The Independent | November 07, 2024",
        "Hydrologists explain the dry autumn",
        "By Maren Holt",
        "Why is the river so low?",
        *BODY,
    )
    assert p.header_shape == "classic"
    assert p.body_lines() == BODY
    article = p.article("t")
    assert article is not None
    assert article.title == "Why is the river so low?"
    assert article.standfirst == "Hydrologists explain the dry autumn"
    assert article.authors == ["Maren Holt"]
    assert (article.publication, article.issue_label, article.issue_date) == (
        "The Independent",
        "November 07, 2024",
        "2024-11-07",
    )


def test_classic_header_without_byline(matcher: PromptMatcher) -> None:
    p = page(matcher, "Paper trail", "Grazia|January 2018", "Why stationery is back", *BODY)
    assert p.header_shape == "classic"
    assert p.body_lines() == BODY
    article = p.article("t")
    assert article is not None
    assert (article.authors, article.issue_date) == ([], "2018-01")


def test_classic_header_title_again_without_byline(matcher: PromptMatcher) -> None:
    p = page(matcher, "Paper trail", "Grazia|January 2018", "The deck", "Paper trail", *BODY)
    assert p.body_lines() == BODY
    assert p.header.byline is None


def test_2025_header(matcher: PromptMatcher) -> None:
    p = page(
        matcher,
        "Try GOLD - Free",
        "The night market returns",
        "Brunch",
        "|May 10, 2025",
        "It used to close at nine. Now it opens then.",
        *BODY,
    )
    assert p.header_shape == "2025"
    assert p.body_lines() == BODY
    article = p.article("t")
    assert article is not None
    assert (article.title, article.standfirst) == (
        "The night market returns",
        "It used to close at nine. Now it opens then.",
    )
    assert (article.publication, article.issue_date) == ("Brunch", "2025-05-10")


def test_try_gold_line_alone_is_not_body(matcher: PromptMatcher) -> None:
    p = page(matcher, "Versuchen GOLD - Frei", *BODY)
    assert p.header_shape == "none"
    assert p.body_lines() == BODY


def test_no_header_when_second_line_is_prose(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY)
    assert p.header_shape == "none"
    assert p.body_lines() == BODY


# -- body bounds ----------------------------------------------------------------------------


def test_prompt_lines_stay_in_the_body_as_printed(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, EN_SIGNIN, "Headline", "Summary")
    assert p.body_lines() == [*BODY, EN_EDITION, EN_OFFER, EN_SIGNIN]
    assert pairs(p) == [("Headline", "Summary")]


def test_glued_prompt_ends_the_body(matcher: PromptMatcher) -> None:
    glued = (
        "He immersed himself in the latest trends.Diese Geschichte stammt aus der "
        "May 17, 2025-Ausgabe von Brunch."
    )
    p = page(matcher, BODY[0], glued, "Bereits Abonnent ? Anmelden", "Headline", "Summary")
    assert p.body_lines() == [BODY[0], glued, "Bereits Abonnent ? Anmelden"]
    assert pairs(p) == [("Headline", "Summary")]
    article = p.article("t")
    assert article is not None
    assert (article.publication, article.issue_date) == ("Brunch", "2025-05-17")


def test_heading_without_prompt_ends_the_body(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, "MORE STORIES FROM BRUNCHView All", "Headline", "Summary")
    assert p.body_lines() == BODY
    assert pairs(p) == [("Headline", "Summary")]
    article = p.article("t")
    assert article is not None
    assert article.is_preview is False


BLANK_META = ["time-read", "5 mins  |", "May 10, 2025"]


@pytest.mark.parametrize(
    ("card", "shape"),
    [
        (["Headline", "Brunch", "Headline", "Summary", *BLANK_META], "blank"),
        (["Headline", "Brunch", "Headline", *BLANK_META], "blank"),
        (["Brunch", "Headline", "Summary", "3 mins", "May 10, 2025"], "2025"),
    ],
)
def test_card_shape_ends_the_body_without_prompt_or_heading(
    matcher: PromptMatcher, card: list[str], shape: str
) -> None:
    p = page(matcher, *BODY, *card)
    assert p.body_lines() == BODY
    assert p.teaser_shape == shape
    assert [(c.title, c.publication) for c in p.cards] == [("Headline", "Brunch")]


def test_2025_card_without_summary_and_no_heading(matcher: PromptMatcher) -> None:
    header = ["Try GOLD - Free", "Title", "Brunch", "|May 10, 2025", "The deck"]
    p = page(matcher, *header, *BODY, "Brunch", "Headline", "3 mins", "May 10, 2025")
    assert p.body_lines() == BODY
    assert [(c.title, c.summary, c.publication) for c in p.cards] == [("Headline", None, "Brunch")]


def test_price_banner_and_old_app_line_end_the_body(matcher: PromptMatcher) -> None:
    banner = [
        "Go Unlimited with Magzter GOLD",
        "Get unlimited access to 9,000+ magazines, newspapers and Premium stories for just",
        "$149.99",
        "$74.99/Year",
    ]
    p = page(matcher, *BODY, *banner, "Headline", "Summary")
    assert p.body_lines() == [*BODY, *banner]
    assert pairs(p) == [("Headline", "Summary")]
    old = page(matcher, *BODY, "Continue reading your story on the app", "Headline", "Summary")
    assert pairs(old) == [("Headline", "Summary")]
    article = old.article("t")
    assert article is not None
    # the body keeps the line as printed: the prompt stage removes it and marks the
    # preview (test_pipeline_prompts), for both sources alike
    assert article.body.endswith("Continue reading your story on the app")


def test_uncatalogued_prompt_splits_body_from_teasers(matcher: PromptMatcher) -> None:
    dutch = [
        "Dit verhaal komt uit de November 07, 2024-editie van The Independent.",
        "Start je gratis proefperiode van 7 dagen van Magzter GOLD voor toegang tot duizenden "
        "premiumverhalen en meer dan 9.000 tijdschriften en kranten.",
        "Al abonnee? Inloggen",
    ]
    p = page(matcher, *BODY, *dutch, "Headline one", "Summary one", "Headline two", "Summary two")
    assert [m.language if m else None for m in p.matches[2:5]] == ["und"] * 3
    assert p.body_lines() == [*BODY, *dutch]
    assert pairs(p) == [("Headline one", "Summary one"), ("Headline two", "Summary two")]
    article = p.article("t")
    assert article is not None
    assert article.issue_date == "2024-11-07"  # the fallback's facts: a date, no publication
    assert article.publication == "Brunch"  # so the URL's slug


def test_no_prompt_no_heading_no_cards_is_all_body(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, "A line", "Another line")
    assert p.body_lines() == [*BODY, "A line", "Another line"]
    assert p.cards == []
    assert p.teaser_shape == "none"


# -- cards and truncation ---------------------------------------------------------------------

BLANK_CARD = ["First", "Brunch", "First", "First summary", *BLANK_META]


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        ([], None),
        # cut before the summary began: the headline kept, its summary unknown
        (["Second"], ("Second", None)),
        (["Seco"], ("Seco", None)),  # cut inside the headline
        (["Second", "Brunch"], ("Second", None)),
        (["Second", "Brunch", "Second"], ("Second", None)),
        (["Second", "Brunch", "Sec"], ("Second", None)),  # cut inside the headline's copy
        (["Second", "Brunch", "Second", "The summary beg"], ("Second", "The summary beg")),
        (["Second", "Brunch", "Second", "Summary", "time-read"], ("Second", "Summary")),
    ],
)
def test_truncated_blank_cards(
    matcher: PromptMatcher, tail: list[str], kept: tuple[str, str | None] | None
) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, *BLANK_CARD, *tail)
    expected = [("First", "First summary")] + ([kept] if kept else [])
    assert pairs(p) == expected


@pytest.mark.parametrize(
    ("tail", "kept"),
    [
        (["Brunch"], None),  # cut before the headline: no card
        (["Brun"], None),  # cut inside the publication's name
        (["Brunch", "Brunch"], None),  # the publication printed twice
        (["Brunch", "Second"], ("Second", None)),
        (["Brunch", "Brunch", "Sec"], ("Sec", None)),
        (["Brunch", "Second", "The summ"], ("Second", "The summ")),
    ],
)
def test_truncated_2025_cards(
    matcher: PromptMatcher, tail: list[str], kept: tuple[str, str | None] | None
) -> None:
    first = ["Brunch", "First", "First summary", "3 mins", "May 10, 2025"]
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, *first, *tail)
    expected = [("First", "First summary")] + ([kept] if kept else [])
    assert pairs(p) == expected


def test_truncated_classic_cards(matcher: PromptMatcher) -> None:
    cards = ["One", "Summary one", "Two", "Summary t"]
    prompt = [EN_EDITION, EN_OFFER, EN_SIGNIN]
    assert pairs(page(matcher, *BODY, *prompt, *cards)) == [
        ("One", "Summary one"),
        ("Two", "Summary t"),
    ]
    assert pairs(page(matcher, *BODY, *prompt, *cards[:3])) == [
        ("One", "Summary one"),
        ("Two", None),  # cut before its summary: the headline is a card's
    ]


def test_card_metadata_read(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, *BLANK_CARD)
    (teaser,) = p.teasers()
    assert (teaser.read_time_minutes, teaser.issue_date, teaser.publication) == (
        5,
        "2025-05-10",
        "Brunch",
    )


def test_second_prompt_copy_between_cards_is_not_a_card(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, "One", "Summary one", EN_SIGNIN, "Two", "Summary two")
    assert pairs(p) == [("One", "Summary one"), ("Two", "Summary two")]


def test_teasers_have_no_link(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, EN_SIGNIN, "Headline", "Summary")
    (teaser,) = p.teasers()
    assert teaser.url is None and teaser.canonical_url is None and teaser.story_id is None
    assert teaser.source_url == URL
    assert teaser.position == 1
    assert teaser.id == stable_id("teaser", "brunch", "headline")


# -- noise and repair -------------------------------------------------------------------------


def test_image_noise_dropped(matcher: PromptMatcher) -> None:
    p = page(
        matcher,
        "image",
        "![A caption](https://cdn.magzter.com/x/1.jpg)",
        BODY[0],
        "Image",
        '[![A caption](https://cdn.magzter.com/x/2.jpg "t")](https://example.com/)',
        BODY[1],
        EN_EDITION,
        "One",
        "image",
        "Summary one",
    )
    assert p.body_lines() == [*BODY, EN_EDITION]
    assert pairs(p) == [("One", "Summary one")]


def test_the_word_image_in_prose_is_kept(matcher: PromptMatcher) -> None:
    line = "image is everything, the designer says."
    assert page(matcher, line).body_lines() == [line]


def test_mojibake_repaired_exactly() -> None:
    good = "It’s “café” – naïve\nprøveperiode på 9,000+\nplain ‘quoted’ line"
    broken = good.encode("utf-8").decode("sloppy-windows-1252")
    assert repair(broken) == good
    assert repair(good) is good  # not touched when it does not look broken


def test_mojibake_fixture_round_trips() -> None:
    record = shapes()["mojibake"]
    repaired = repair(record["text"])
    assert "Ã" not in repaired and "â€" not in repaired
    assert repaired.encode("utf-8").decode("sloppy-windows-1252") == record["text"]


def test_partly_broken_text_keeps_its_good_lines() -> None:
    good = "Ein Straßencafé – “frisch”"
    assert repair(f"{good}\n{good.encode('utf-8').decode('sloppy-windows-1252')}") == (
        f"{good}\n{good}"
    )


# -- title, standfirst and publication without a header ----------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "I-M-NOT-LEAVING-THE-CITY-YET",
        "IM-NOT-LEAVING-THE-CITY-YET",
        "im-not-leaving-the-city-yet",
    ],
)
def test_own_card_found_whatever_the_apostrophe(matcher: PromptMatcher, slug: str) -> None:
    url = f"https://www.magzter.com/stories/newspaper/The-Independent/{slug}"
    p = page(
        matcher,
        *BODY,
        "This story is from the November 07, 2024 edition of The Independent.",
        "Other story",
        "Other summary",
        "I'm not leaving the city yet",
        "A columnist on staying put",
        url=url,
    )
    article = p.article("t")
    assert article is not None
    assert (article.title, article.standfirst) == (
        "I'm not leaving the city yet",
        "A columnist on staying put",
    )


def test_slugs() -> None:
    assert slugify("I'm not leaving") == "I-M-NOT-LEAVING"
    assert slug_key("Crème de la crème") == slug_key("CREME-DE-LA-CREME")


def test_no_header_no_own_card_leaves_title_empty(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, "Other story", "Other summary")
    article = p.article("t")
    assert article is not None
    assert (article.title, article.standfirst) == (None, None)


def test_publication_order(matcher: PromptMatcher) -> None:
    url = "https://www.magzter.com/stories/lifestyle/Mans-World-India/THE-WATCHMAKER"
    cards = ["Man's World India", "The watchmaker", "Summary", "3 mins", "March 2025"]
    # the cards name it: not the URL's slug
    assert page(matcher, *BODY, *cards, url=url).publication == "Man's World India"
    # nothing names it: the URL's slug
    assert page(matcher, *BODY, url=url).publication == "Mans World India"
    # the edition line names it
    edition = "This story is from the March 2025 edition of Man's World."
    assert page(matcher, *BODY, edition, *cards, url=url).publication == "Man's World"


def test_catalog_edition_facts_preferred_over_the_fallback(matcher: PromptMatcher) -> None:
    p = page(
        matcher,
        *BODY,
        "Dit verhaal komt uit de November 07, 2024-editie van The Independent.",
        "Start je gratis proefperiode van 7 dagen van Magzter GOLD voor toegang tot duizenden "
        "premiumverhalen en meer dan 9.000 tijdschriften en kranten.",
        "Al abonnee? Inloggen",
        "This story is from the December 05, 2024 edition of The Independent.",
    )
    article = p.article("t")
    assert article is not None
    assert (article.publication, article.issue_date) == ("The Independent", "2024-12-05")


def test_locale_category_and_canonical_from_the_url(matcher: PromptMatcher) -> None:
    article = SavedTextPage(SEED_URL, "\n".join(BODY), matcher).article("t")
    assert article is not None
    assert (article.locale, article.category, article.source) == ("nb", "newspaper", "dump")
    assert article.canonical_url == SEED_URL.replace("/nb/", "/")


def test_empty_body_gives_no_article(matcher: PromptMatcher) -> None:
    assert page(matcher, "MORE STORIES FROM BRUNCH", "One", "Summary").article("t") is None
    # a body of prompt lines only is left to the pipelines (validation counts the drop)
    article = page(matcher, EN_EDITION, EN_OFFER, "One", "Summary").article("t")
    assert article is not None
    assert article.body == f"{EN_EDITION}\n\n{EN_OFFER}"


# -- shapes that once misled the matcher -------------------------------------------------------


def test_question_headline_after_offer_without_signin(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, EN_OFFER, "Who counts the missing voters?", "Summary")
    assert pairs(p) == [("Who counts the missing voters?", "Summary")]


def test_view_all_on_its_own_line(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, "MORE STORIES FROM BRUNCH", "View All", "Headline", "Summary")
    assert pairs(p) == [("Headline", "Summary")]


def test_one_minute_card_meta(matcher: PromptMatcher) -> None:
    # 2025 shape: Publication / Headline / Summary / read time / date
    p = page(
        matcher,
        *BODY,
        "MORE STORIES FROM BRUNCH",
        "Brunch",
        "Headline",
        "Summary here",
        "1 min",
        "May 17, 2025",
        "Brunch",
        "Second",
        "Its summary",
        "3 mins",
        "May 17, 2025",
    )
    assert pairs(p) == [("Headline", "Summary here"), ("Second", "Its summary")]


def test_repeat_cards_are_not_built_and_keep_the_positions(matcher: PromptMatcher) -> None:
    p = page(matcher, *BODY, EN_EDITION, "One", "Summary one", "Two", "Summary two", "3", "S3")
    asked: list[str] = []

    def seen(teaser_id: str) -> bool:
        asked.append(teaser_id)
        return teaser_id == stable_id("teaser", "brunch", "two")

    every = p.teasers()
    kept = p.teasers(skip=seen)
    assert asked == [t.id for t in every]  # each card asked with the id its teaser has
    assert [(t.title, t.position) for t in kept] == [("One", 1), ("3", 3)]
    assert kept == [every[0], every[2]]


@pytest.mark.parametrize(
    "text",
    [
        "Title\nPub|May 10, 2025\n\n  A   line  with\u00a0spaces \nimage\n",  # the long way
        "Title\r\nSecond\x0bthird\u2028fourth\x1cfifth",  # breaks other than \n
        "Title\nA line\n  Indented line \n\nLast",  # the quick way
        "İmage\n[image] img\nKept",  # noise in any case, a dotted capital I too
    ],
)
def test_lines_read_as_collapsed_and_noise_free(matcher: PromptMatcher, text: str) -> None:
    want = [
        line
        for line in (collapse(raw) for raw in text.splitlines())
        if line and not NOISE.match(line)
    ]
    assert page(matcher, text).lines == want
