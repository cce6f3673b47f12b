"""Removing prompt blocks and interface lines from article text, keeping the edition facts."""

from __future__ import annotations

from typing import Any

import pytest

from aggregator.prompts import CleanResult, EditionFacts, LineMatch, PromptMatcher
from tests.support.crawlers import clean
from tests.support.paths import SITE_EXPECTED
from tests.support.shared import seed_text, shared_params, site_expected, site_stories, site_story

BODY = [
    "The ferry timetable has changed again. Commuters now queue at the pier before dawn.",
    "Fares are higher, the operator admits, and the boats are older than most of the crew.",
]

EN = [
    "This story is from the May 10, 2025 edition of Brunch.",
    "Start your 7-day Magzter GOLD free trial to access thousands of curated premium stories, "
    "and 9,000+ magazines and newspapers.",
    "Already a subscriber ? Sign In",
]
NB = [
    "Denne historien er fra November 07, 2024-utgaven av The Independent.",
    "Start din 7-dagers gratis prøveperiode på Magzter GOLD for å få tilgang til tusenvis av "
    "utvalgte premiumhistorier og 9000+ magasiner og aviser.",
    "Allerede abonnent ? Logg på",
]
NB_2025 = [
    NB[0],
    "Abonner på Magzter GOLD for å få tilgang til tusenvis av kuraterte premiumhistorier og "
    "over 9000 magasiner og aviser.",
    "Allerede abonnent? Logg på",
]
DE = [
    "Diese Geschichte stammt aus der May 17, 2025-Ausgabe von Brunch.",
    "Starten Sie Ihre 7-tägige kostenlose Testversion von Magzter GOLD, um auf Tausende "
    "kuratierte Premium-Storys sowie über 8.000 Zeitschriften und Zeitungen zuzugreifen.",
    "Bereits Abonnent ? Anmelden",
]
DE_2025 = [
    DE[0],
    "Abonnieren Sie Magzter GOLD, um auf Tausende kuratierter Premium-Geschichten und über "
    "9.000 Zeitschriften und Zeitungen zuzugreifen.",
    "Sie sind bereits Abonnent? Anmelden",
]
ES = [
    "Esta historia es de la edición January 2018 de Grazia.",
    "Comience su prueba gratuita de Magzter GOLD de 7 días para acceder a miles de historias "
    "premium seleccionadas y a más de 9,000 revistas y periódicos.",
    "Ya eres suscriptor ? Conectar",
]
AR = [
    "هذه القصة مأخوذة من طبعة November 07, 2024 من The Independent.",
    "ابدأ النسخة التجريبية المجانية من Magzter GOLD لمدة 7 أيام للوصول إلى آلاف القصص المتميزة "
    "المنسقة وأكثر من 9,000 مجلة وصحيفة.",
    "بالفعل مشترك ? تسجيل الدخول",
]
AR_2025 = [
    "هذه القصة من طبعة May 17, 2025 من Brunch.",
    "اشترك في Magzter GOLD للوصول إلى آلاف القصص المتميزة المنسقة، وأكثر من 9000 مجلة وصحيفة.",
    "هل أنت مشترك بالفعل؟ تسجيل الدخول",
]
FR_PLACEHOLDERS = [
    "This story is from the {{IssueName}} edition of {{MagazineName}}.",
    EN[1],
    "Already a subscriber ? Sign In",
]

BLOCKS = {
    "en": (EN, EditionFacts("Brunch", "May 10, 2025", "2025-05-10")),
    "nb": (NB, EditionFacts("The Independent", "November 07, 2024", "2024-11-07")),
    "nb-2025": (NB_2025, EditionFacts("The Independent", "November 07, 2024", "2024-11-07")),
    "de": (DE, EditionFacts("Brunch", "May 17, 2025", "2025-05-17")),
    "de-2025": (DE_2025, EditionFacts("Brunch", "May 17, 2025", "2025-05-17")),
    "es": (ES, EditionFacts("Grazia", "January 2018", "2018-01")),
    "ar": (AR, EditionFacts("The Independent", "November 07, 2024", "2024-11-07")),
    "ar-2025": (AR_2025, EditionFacts("Brunch", "May 17, 2025", "2025-05-17")),
}


def second_copy(block: list[str]) -> list[str]:
    """The paywall copy: no space before the question mark."""
    return [line.replace(" ?", "?").replace(" ؟", "؟") for line in block]


# The seed and the reference mirror are third-party text: they live in ../shared, never in
# this repository. The tests that read them skip, saying so, when ../shared is absent.


def site_story_params() -> list[Any]:
    """Collection-time parameters: the story pages, or one skipped parameter without them."""
    return shared_params(
        SITE_EXPECTED,
        lambda: [pytest.param(a["path"], id=a["path"]) for a in site_expected()["articles"]],
    )


# --- the seed -----------------------------------------------------------------------------------


def test_seed_first_twelve_lines(matcher: PromptMatcher) -> None:
    lines = seed_text().split("\n")
    assert len(lines) == 32
    result = matcher.clean("\n".join(lines[:12]))
    assert result.text.split("\n\n") == lines[:6]
    assert result.language == "nb"
    assert result.removed == {"nb": 6}
    assert result.interface_removed == {}
    assert result.fallback_lines == []
    assert result.facts == EditionFacts("The Independent", "November 07, 2024", "2024-11-07")


def test_seed_whole_page_keeps_the_teasers_and_removes_only_the_prompts(
    matcher: PromptMatcher,
) -> None:
    seed = seed_text()
    lines = seed.split("\n")
    result = matcher.clean(seed)
    assert result.removed == {"nb": 6}
    assert result.text.split("\n\n") == lines[:6] + lines[12:]
    assert len(lines[12:]) == 20  # ten teaser cards, title and summary


def test_seed_scan_positions(matcher: PromptMatcher) -> None:
    found = matcher.scan(seed_text().split("\n"))
    kinds = [(i, m.kind, m.language) for i, m in enumerate(found) if m is not None]
    assert kinds == [
        (6, "edition", "nb"),
        (7, "offer", "nb"),
        (8, "signin", "nb"),
        (9, "edition", "nb"),
        (10, "offer", "nb"),
        (11, "signin", "nb"),
    ]
    edition = found[6]
    assert isinstance(edition, LineMatch) and edition.start == 0
    assert edition.facts == EditionFacts("The Independent", "November 07, 2024", "2024-11-07")


# --- every language, every variant --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_block_once(name: str) -> None:
    block, facts = BLOCKS[name]
    language = name.split("-")[0]
    result = clean(*BODY, *block)
    assert result.text == "\n\n".join(BODY)
    assert result.language == language
    assert result.removed == {language: 3}
    assert result.facts == facts
    assert result.fallback_lines == []


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_block_twice_classic(name: str) -> None:
    block, facts = BLOCKS[name]
    language = name.split("-")[0]
    result = clean(*BODY, *block, *second_copy(block))
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {language: 6}
    assert result.facts == facts


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_blank_line_dump_without_signin(matcher: PromptMatcher, name: str) -> None:
    block, facts = BLOCKS[name]
    language = name.split("-")[0]
    result = matcher.clean("\n\n".join([*BODY, *block[:2]]) + "\n")
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {language: 2}
    assert result.facts == facts


@pytest.mark.parametrize("name", sorted(BLOCKS))
@pytest.mark.parametrize("subset", [(0,), (1,), (2,), (0, 2), (1, 2)])
def test_any_subset_of_the_block(name: str, subset: tuple[int, ...]) -> None:
    block, _ = BLOCKS[name]
    language = name.split("-")[0]
    result = clean(*BODY, *(block[i] for i in subset))
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {language: len(subset)}


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_glued_to_the_last_sentence(name: str) -> None:
    block, facts = BLOCKS[name]
    language = name.split("-")[0]
    last = "He rebuilt the menu around a single dish."
    result = clean(BODY[0], last + block[0], *block[1:])
    assert result.text == "\n\n".join([BODY[0], last])
    assert result.removed == {language: 3}
    assert result.facts == facts


def test_glued_with_a_space_and_after_a_closing_quote() -> None:
    for last in ["It was good. ", "“It was good.”", "It was good!", "(It was good.)"]:
        result = clean(last + DE_2025[0], DE_2025[1])
        assert result.text == last.strip(), last
        assert result.removed == {"de": 2}


def test_glued_observed_example(matcher: PromptMatcher) -> None:
    text = (
        "The chef rebuilt the menu around a single dish.Diese Geschichte stammt aus der "
        "May 17, 2025-Ausgabe von Brunch."
    )
    (found,) = matcher.scan([text])
    assert found is not None and found.kind == "edition" and found.language == "de"
    assert text[: found.start] == "The chef rebuilt the menu around a single dish."
    assert matcher.clean(text).text == "The chef rebuilt the menu around a single dish."


def test_whole_block_run_together_on_one_line() -> None:
    line = "It was all gone." + " ".join(EN)
    result = clean(BODY[0], line)
    assert result.text == "\n\n".join([BODY[0], "It was all gone."])
    assert result.language == "en"
    assert result.facts == BLOCKS["en"][1]


def test_block_in_the_middle_of_the_text() -> None:
    result = clean(BODY[0], *NB, BODY[1], *NB)
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"nb": 6}


def test_mixed_languages_localized_edition_then_english_offer() -> None:
    result = clean(*BODY, NB[0], EN[1], EN[2])
    assert result.text == "\n\n".join(BODY)
    assert result.language == "nb"
    assert result.removed == {"nb": 1, "en": 2}
    assert result.facts == BLOCKS["nb"][1]


def test_mixed_languages_german_edition_english_offer_german_signin() -> None:
    result = clean(*BODY, DE[0], EN[1], DE[2])
    assert result.removed == {"de": 2, "en": 1}
    assert result.language == "de"


def test_placeholders_of_fr_pages(matcher: PromptMatcher) -> None:
    result = clean(*BODY, *FR_PLACEHOLDERS, *second_copy(FR_PLACEHOLDERS))
    assert result.text == "\n\n".join(BODY)
    assert result.language == "en"
    assert result.removed == {"en": 6}
    assert result.facts is None  # placeholders carry no facts
    (edition, *_) = matcher.scan(FR_PLACEHOLDERS)
    assert edition is not None
    assert edition.facts == EditionFacts(None, None, None)


def test_facts_come_from_the_first_edition_line_with_values() -> None:
    result = clean(*BODY, *FR_PLACEHOLDERS, *EN)
    assert result.facts == BLOCKS["en"][1]


def test_partial_placeholder(matcher: PromptMatcher) -> None:
    (found,) = matcher.scan(["This story is from the {{IssueName}} edition of Grazia."])
    assert found is not None
    assert found.facts == EditionFacts("Grazia", None, None)


@pytest.mark.parametrize(
    ("label", "iso"),
    [
        ("November 07, 2024", "2024-11-07"),
        ("January 2018", "2018-01"),
        ("13 April 2024", "2024-04-13"),
        ("May 17, 2025", "2025-05-17"),
    ],
)
def test_issue_dates(matcher: PromptMatcher, label: str, iso: str) -> None:
    (found,) = matcher.scan([f"This story is from the {label} edition of Outlook."])
    assert found is not None
    assert found.facts == EditionFacts("Outlook", label, iso)


def test_nbsp_in_the_date_label_is_normalized(matcher: PromptMatcher) -> None:
    (found,) = matcher.scan(["This story is from the May\u00a010,\u00a02025 edition of Brunch."])
    assert found is not None and found.facts is not None
    assert found.facts.issue_label == "May 10, 2025"


@pytest.mark.parametrize("count", ["9,000+", "9000+", "9,000", "8500", "8.000", "9.000", "10,000"])
def test_counts(matcher: PromptMatcher, count: str) -> None:
    for block in (EN, NB, DE, ES, AR):
        offer = next(
            block[1].replace(c, count)
            for c in ("9,000+", "9000+", "9,000", "8.000")
            if c in block[1]
        )
        assert matcher.scan([offer]) != [None], offer


def test_windows_line_endings_and_indentation(matcher: PromptMatcher) -> None:
    result = matcher.clean("\r\n".join([*BODY, *("   " + line for line in NB)]) + "\r\n")
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"nb": 3}


def test_no_prompt(matcher: PromptMatcher) -> None:
    result = clean(*BODY)
    assert result == CleanResult("\n\n".join(BODY), None, {}, {}, None, [])
    assert matcher.clean("") == CleanResult("", None, {}, {}, None, [])


def test_paragraphs_are_the_non_empty_lines(matcher: PromptMatcher) -> None:
    result = matcher.clean("\n\n  " + BODY[0] + "  \n\n\n" + BODY[1] + "\n")
    assert result.text == "\n\n".join(BODY)


# --- interface lines ----------------------------------------------------------------------------


def test_try_gold_lines() -> None:
    for line in [
        "Try GOLD - Free",
        "Versuchen GOLD - Frei",
        "Prøve GULL - Gratis",
        "يحاول ذهب - حر",
    ]:
        result = clean(line, *BODY)
        assert result.text == "\n\n".join(BODY), line
        assert result.interface_removed == {"try_gold": 1}
        assert result.language is None


def test_price_banner_with_bare_price_lines() -> None:
    result = clean(
        *BODY,
        "Go Unlimited with Magzter GOLD",
        "Get unlimited access to 9,000+ magazines, newspapers and Premium stories for just",
        "$149.99",
        "$74.99/Year",
    )
    assert result.text == "\n\n".join(BODY)
    assert result.interface_removed == {"price_banner": 4}
    assert result.removed == {}
    assert result.language is None


def test_bare_price_lines_alone_are_kept() -> None:
    result = clean(BODY[0], "$149.99", BODY[1], "$74.99/Year")
    assert result.interface_removed == {}
    assert result.text.count("\n\n") == 3


@pytest.mark.parametrize(
    "heading",
    [
        "MORE STORIES FROM OUTLOOKView All",
        "MORE STORIES FROM BRUNCH View All",
        "FLERE HISTORIER FRA BRUNCHSe alt",
        "FLERE HISTORIER FRA The Independent Se alt",
        "WEITERE ARTIKEL AUS BRUNCHAlle anzeigen",
        "WEITERE GESCHICHTEN VON Brunch",
        "MÁS HISTORIAS DE BRUNCHVer todo",
        "المزيد من القصص من Outlook",
    ],
)
def test_more_stories_headings(heading: str) -> None:
    result = clean(*BODY, heading)
    assert result.text == "\n\n".join(BODY)
    assert result.interface_removed == {"more_stories": 1}


def test_continue_reading_on_the_app() -> None:
    result = clean(*BODY, "Continue reading your story on the app")
    assert result.text == "\n\n".join(BODY)
    assert result.interface_removed == {"continue_app": 1}


def test_teaser_card_metadata_blank_line_dump(matcher: PromptMatcher) -> None:
    cards = [
        "MORE STORIES FROM THE INDEPENDENTView All",
        "NIGHT SHIFT",
        "The Independent",
        "NIGHT SHIFT",
        "A hospital porter’s twelve hours, told one corridor at a time.",
        "time-read",
        "5 mins  |",
        "November 07, 2024",
    ]
    result = matcher.clean("\n\n".join([*BODY, *NB[:2], *cards]))
    assert result.removed == {"nb": 2}
    assert result.interface_removed == {"more_stories": 1, "card_meta": 3}
    assert result.text.split("\n\n") == [*BODY, *cards[1:5]]


def test_teaser_card_metadata_2025_layout() -> None:
    cards = ["Brunch", "Crème de la crème", "A pastry school’s finals.", "3 mins", "May 17, 2025"]
    result = clean(*BODY, *DE_2025, "WEITERE GESCHICHTEN VON Brunch", *cards)
    assert result.interface_removed == {"more_stories": 1, "card_meta": 2}
    assert result.text.split("\n\n") == [*BODY, *cards[:3]]


def test_card_meta_only_as_whole_lines() -> None:
    kept = [
        "It takes 3 mins to boil an egg.",
        "Prep time: 10 mins",
        "The time-read feature is new.",
        "November 07, 2024",  # a date line with no read-time line next to it is kept
    ]
    result = clean(*kept)
    assert result.interface_removed == {}
    assert result.text.split("\n\n") == kept
    removed = clean(BODY[0], "3 mins", BODY[1])
    assert removed.interface_removed == {"card_meta": 1}


def test_2025_page_shape(matcher: PromptMatcher) -> None:
    text = "\n".join(
        [
            "Versuchen GOLD - Frei",
            "Crème de la crème",
            "Brunch",
            "|May 17, 2025",
            *BODY,
            *DE_2025,
            "WEITERE GESCHICHTEN VON Brunch",
        ]
    )
    result = matcher.clean(text)
    assert result.text.split("\n\n") == ["Crème de la crème", "Brunch", "|May 17, 2025", *BODY]
    assert result.language == "de"
    assert result.interface_removed == {"try_gold": 1, "more_stories": 1}


# --- traps: article text about subscriptions, the brand, editions -------------------------------

TRAPS = [
    "Magzter GOLD now counts more than a million paying readers, the company said.",
    "She laughed at the pop-up that asked “Already a subscriber?” before every article.",
    "The collector’s edition that started a bidding war",
    "This story is from the archive of our sister paper.",
    "This story is from the 2019 edition of the festival guide, reprinted with permission.",
    "Start your day with a glass of water, not a phone.",
    "Already a subscriber? Then you know the drill: sign in and read on.",
    "More stories from survivors emerged as the week wore on.",
    "Go Unlimited, the campaign’s slogan, was everywhere that summer.",
    "Try gold-plated cutlery and you will never go back.",
    "Continue reading your story on the app, the notification said, and she did.",
    "Readers who subscribe to Magzter GOLD get 9,000+ magazines, analysts noted.",
    "The price was $149.99 at launch.",
    "Denne historien er fra en annen tid.",
    "Sie sind bereits Abonnent? Dann wissen Sie, was kommt.",
]


@pytest.mark.parametrize("trap", TRAPS)
def test_trap_is_kept(trap: str) -> None:
    result = clean(BODY[0], trap, BODY[1])
    assert result.text == "\n\n".join([BODY[0], trap, BODY[1]])
    assert result.removed == {} and result.interface_removed == {}
    assert result.language is None


def test_story_about_the_aggregator_business() -> None:
    paragraphs = [
        "Magzter, the digital newsstand, said on Tuesday that it had raised new funding.",
        "Magzter GOLD now counts more than a million paying readers, the company said.",
        "The service, launched in 2011, offers more than 9,000 titles.",
        "The collector’s edition that started a bidding war",
        "Its founder said the November 07, 2024 results were the best yet.",
        "Magzter GOLD subscribers read 40 minutes a day on average.",
        "Already a subscriber? Most readers never see that question twice.",
    ]
    result = clean(*paragraphs)
    assert result.text.split("\n\n") == paragraphs
    assert result.removed == {} and result.fallback_lines == []


def test_traps_next_to_a_real_block() -> None:
    result = clean(TRAPS[0], *BODY, *EN, TRAPS[2])
    assert result.text.split("\n\n") == [TRAPS[0], *BODY, TRAPS[2]]
    assert result.removed == {"en": 3}


# --- the site's pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", site_story_params())
def test_site_article_bodies(matcher: PromptMatcher, page: str) -> None:
    story = site_story(page)
    assert story["body_paragraphs"] and len(story["prompt_paragraphs"]) == 3
    paragraphs: list[str] = story["body_paragraphs"] + story["prompt_paragraphs"]
    found = matcher.scan(paragraphs)
    n_body = len(story["body_paragraphs"])
    assert found[:n_body] == [None] * n_body
    assert all(m is not None and m.kind in ("edition", "offer", "signin") for m in found[n_body:])
    result = matcher.clean("\n\n".join(paragraphs))
    assert result.text.split("\n\n") == story["body_paragraphs"]
    assert result.fallback_lines == []


@pytest.mark.parametrize("page", site_story_params())
def test_site_page_text(matcher: PromptMatcher, page: str) -> None:
    """The page's visible text as a dump: cta, body, both prompt copies, teasers."""
    story = site_story(page)
    assert story["cards"] and story["more_stories_heading"]
    cards = [
        line
        for card in story["cards"]
        for line in (
            card["magazine"],
            card["title"],
            card["summary"],
            card["read_time"],
            card["date"],
        )
    ]
    lines = [
        *story["gold_cta"],
        *story["body_paragraphs"],
        *story["prompt_paragraphs"],
        *story["overlay_lines"],
        story["more_stories_heading"],
        *cards,
    ]
    result = matcher.clean("\n".join(lines))
    teaser_text = [
        line
        for card in story["cards"]
        for line in (card["magazine"], card["title"], card["summary"])
    ]
    assert result.text.split("\n\n") == story["body_paragraphs"] + teaser_text
    assert sum(result.removed.values()) == 3 + len(story["overlay_lines"])
    assert result.interface_removed["more_stories"] == 1
    assert result.interface_removed["card_meta"] == 2 * len(story["cards"])
    assert result.interface_removed.get("try_gold", 0) == len(story["gold_cta"])
    assert result.fallback_lines == []


def test_site_teasers_are_never_interface(matcher: PromptMatcher) -> None:
    checked = 0
    for story in site_stories():
        for card in story["cards"]:
            lines = [card["magazine"], card["title"], card["summary"]]
            assert matcher.scan(lines) == [None, None, None]
            checked += 1
    assert checked >= 15  # ten cards on the seed's page, and the others'


def test_site_prompt_languages(matcher: PromptMatcher) -> None:
    languages = {}
    for story in site_stories():
        result = matcher.clean("\n".join(story["body_paragraphs"] + story["prompt_paragraphs"]))
        languages[story["page"].split("/")[0]] = result.language
    assert languages == {
        "ar": "ar",
        "de": "de",
        "es": "es",
        "fr": "en",
        "nb": "nb",
        "stories": "en",
    }


# --- construction -------------------------------------------------------------------------------


def test_default_is_cached_and_subsettable() -> None:
    assert PromptMatcher.default() is PromptMatcher.default()
    assert PromptMatcher.default(["nb"]) is PromptMatcher.default(("nb",))
    only_nb = PromptMatcher.default(["nb"])
    assert only_nb.languages == ("nb",)
    result = only_nb.clean("\n".join([*BODY, *NB]))
    assert result.removed == {"nb": 3}
    # a German block with only Norwegian loaded: the structural fallback takes it
    german = only_nb.clean("\n".join([*BODY, *DE]))
    assert german.text == "\n\n".join(BODY)
    assert german.removed == {"und": 3}
    assert german.language == "und"


def test_scan_returns_one_entry_per_line(matcher: PromptMatcher) -> None:
    lines = ["", *BODY, "", *EN, "   "]
    found = matcher.scan(lines)
    assert len(found) == len(lines)
    assert [m is not None for m in found] == [False, False, False, False, True, True, True, False]
