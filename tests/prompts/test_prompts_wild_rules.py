"""The rules for shapes the live site prints and generated mirrors never showed, one at a time:
the date grammar, banners and buttons in any language, mixed and split sign-in lines, cut-off
texts, headers under banners, "more stories" headings in languages with no catalog file.

Each rule is checked where it must fire and where it must not (an article line it could be
mistaken for). ``test_dumps_wild.py`` runs the same shapes through a real crawl.
"""

from __future__ import annotations

import pytest

from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.site.dates import find_label, issue_date, label_precision, parse_label

BODY = [
    "The river rose again in August, and the villagers moved their cattle to the embankment.",
    "Officials blame land disputes and a contractor who walked away halfway through the work.",
]
EN_OFFER = (
    "Start your 7-day Magzter GOLD free trial to access thousands of curated premium stories, "
    "and 9,000+ magazines and newspapers."
)
NL_EDITION = "Dit verhaal komt uit de March Second 2023-editie van Champak."
NL_OFFER = (
    "Abonneer je op Magzter GOLD voor toegang tot duizenden geselecteerde premiumverhalen en "
    "meer dan 10.000 tijdschriften en kranten."
)
NL_BANNER = [
    "Ga onbeperkt met Magzter GOLD",
    "Ga onbeperkt met Magzter GOLD",
    "Krijg onbeperkte toegang tot meer dan 9000 tijdschriften, kranten en verhalen voor slechts",
    "$149.99",
    "$74.99/Jaar",
]


def kinds(matcher: PromptMatcher, *lines: str) -> list[str | None]:
    return [m.kind if m else None for m in matcher.scan(list(lines))]


# --- the date grammar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "iso", "precision"),
    [
        ("November 07, 2024", "2024-11-07", "day"),
        ("Nov. 7th, 2024", "2024-11-07", "day"),
        ("13 April 2024", "2024-04-13", "day"),
        ("July 05 - 11, 2024", "2024-07-05", "day"),
        ("March 2nd 2023", "2023-03-02", "day"),
        ("NOVEMBER 07, 2024", "2024-11-07", "day"),
        ("January 2018", "2018-01", "month"),
        ("January - February 2018", "2018-01", "month"),
        ("March Second 2023", "2023-03", "month"),
        ("October First 2016", "2016-10", "month"),
        ("May second 2024", "2024-05", "month"),
        ("2024-11-07", "2024-11-07", "day"),
    ],
)
def test_issue_labels(label: str, iso: str, precision: str) -> None:
    parsed = parse_label(label)
    assert parsed is not None and (parsed.iso, parsed.precision) == (iso, precision)
    assert label_precision(label) == precision
    assert find_label(f"from the {label}-utgaven av") == label


def test_machine_dates_take_the_printed_precision() -> None:
    assert issue_date("2023-03-01", "March Second 2023") == "2023-03"
    assert issue_date("2023-03-16", "March Second 2023") == "2023-03"
    assert issue_date("2024-11-07T00:00:00", "November 07, 2024") == "2024-11-07"
    assert issue_date("2018-06-01", "Summer 2018") == "2018-06"  # outside the grammar: no day


def test_month_names_in_running_text_are_no_dates() -> None:
    assert find_label("they may second 2024 motions") is None
    assert find_label("march 2023 was wet") is None
    assert parse_label("Summer 2018") is None


# --- edition lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "language", "label"),
    [
        (
            "This story is from the November First 2023 edition of Champak.",
            "en",
            "November First 2023",
        ),
        ("Denne historien er fra March Second 2023-utgaven av Champak.", "nb", "March Second 2023"),
        (NL_EDITION, "und", "March Second 2023"),
        ("यह कहानी Champak के May second 2024 संस्करण से है।", "und", "May second 2024"),
        (
            "この記事は Champak の October First 2016 版に掲載されています。",
            "und",
            "October First 2016",
        ),
    ],
)
def test_fortnightly_edition_lines(
    matcher: PromptMatcher, line: str, language: str, label: str
) -> None:
    offer = EN_OFFER if language != "und" else NL_OFFER
    result = matcher.clean("\n".join([*BODY, line, offer]))
    assert result.text.split("\n\n") == BODY
    assert result.language == language
    assert result.facts is not None
    month = {"November": "2023-11", "March": "2023-03", "May": "2024-05", "October": "2016-10"}
    assert (result.facts.issue_label, result.facts.issue_date) == (label, month[label.split()[0]])
    if language != "und":
        assert result.facts.publication == "Champak"


def test_edition_line_without_its_final_stop(matcher: PromptMatcher) -> None:
    assert kinds(matcher, "This story is from the January 2025 edition of Outlook") == ["edition"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"{BODY[0]}।यह कहानी Outlook के November 07, 2024 संस्करण से है।", f"{BODY[0]}।"),
        (
            "村人たちは待った。この記事は Outlook の November 07, 2024 版に掲載されています。",
            "村人たちは待った。",
        ),
        (f"{BODY[0][:-1]}' he said.This story is from the May 10, 2025 edition of Brunch.", None),
    ],
)
def test_edition_line_glued_in_any_script(
    matcher: PromptMatcher, text: str, kept: str | None
) -> None:
    result = matcher.clean(f"{text}\n{EN_OFFER}")
    assert result.removed
    assert result.text == (kept or text.split("This story")[0])


# --- sign-in lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Already a subscriber ? Logg på", "en"),
        ("Already a subscriber? Anmelden", "en"),
        ("Allerede abonnent ? Sign In", "nb"),
    ],
)
def test_mixed_sign_in_lines(matcher: PromptMatcher, line: str, language: str) -> None:
    (found,) = matcher.scan([line])
    assert found is not None and (found.kind, found.language) == ("signin", language)


def test_sign_in_split_at_its_link(matcher: PromptMatcher) -> None:
    lines = [*BODY, EN_OFFER, "Already a subscriber ?", "Sign In", "Why the rain came late?"]
    assert kinds(matcher, *lines)[-3:] == ["signin", "signin", None]


def test_a_question_headline_with_a_short_summary_is_a_card(matcher: PromptMatcher) -> None:
    lines = [*BODY, NL_EDITION, NL_OFFER, "Is it over?", "Not yet"]
    assert kinds(matcher, *lines)[-2:] == [None, None]


# --- banners, captions, buttons ---------------------------------------------------------------


def test_banner_in_a_language_with_no_catalog_file(matcher: PromptMatcher) -> None:
    lines = [*NL_BANNER, "Het perfecte cadeau Geef nu", "Probeer GOUD - Vrij", *BODY]
    assert kinds(matcher, *lines) == [
        *["price_banner"] * 6,
        "try_gold",
        None,
        None,
    ]


@pytest.mark.parametrize(
    "price", ["$74.99/वर्ष", "$74.99/年", "$74.99/Año", "€49,99 / Jahr", "US$74.99"]
)
def test_price_lines_in_any_script(matcher: PromptMatcher, price: str) -> None:
    assert (
        kinds(matcher, *BODY, "Ga onbeperkt met Magzter GOLD", price)[-2:] == ["price_banner"] * 2
    )


def test_a_title_under_the_banner_is_no_caption(matcher: PromptMatcher) -> None:
    # 2025 header with no button: Title / Publication / |Date
    lines = [*NL_BANNER, "De slimme vos", "Champak", "|March Second 2023", *BODY]
    assert kinds(matcher, *lines)[5:] == [None] * 5


def test_button_shapes_only_at_the_top(matcher: PromptMatcher) -> None:
    assert kinds(matcher, "Denemek ALTIN - Özgür", "Title", *BODY)[0] == "try_gold"
    # a title of that shape (a header's source line follows it) is a title
    assert kinds(matcher, "Kolkata - Mumbai", "Outlook|May 17, 2025", *BODY)[0] is None
    # further down, the same shape is article text
    assert kinds(matcher, BODY[0], "Kolkata - Mumbai", BODY[1]) == [None] * 3
    # a short text of that shape (a title, a card) is never a button
    assert kinds(matcher, "Kolkata - Mumbai", BODY[0]) == [None, None]


# --- cut-off texts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "kind"),
    [
        ("This story is from the November 2022 edition", "edition"),
        ("This story is from the Nov", "edition"),
        ("Diese Gesch", "edition"),
        ("Start your 7-day Magzter", "offer"),
        ("MORE STORIES FROM OUTL", "more_stories"),
        ("Continue reading your st", "continue_app"),
    ],
)
def test_a_cut_last_line_that_starts_a_catalog_line(
    matcher: PromptMatcher, last: str, kind: str
) -> None:
    assert kinds(matcher, *BODY, last) == [None, None, kind]


@pytest.mark.parametrize(
    "last",
    [
        "This st",  # too short to tell from "This still…"
        "This story is from the heart of the valley.",  # runs on as no prompt does
        "Start your day with a walk",
    ],
)
def test_article_lines_that_are_no_cut_prompt(matcher: PromptMatcher, last: str) -> None:
    assert kinds(matcher, *BODY, last) == [None, None, None]


def test_a_lone_title_is_never_a_cut_prompt(matcher: PromptMatcher) -> None:
    assert kinds(matcher, "Continue reading") == [None]
    assert matcher.clean("Continue reading").text == "Continue reading"


def test_cut_after_an_offer_line_in_any_language(matcher: PromptMatcher) -> None:
    assert kinds(matcher, *BODY, NL_EDITION, NL_OFFER, "Al abon")[-1] == "signin"
    assert kinds(matcher, *BODY, NL_EDITION, NL_OFFER[:60])[-2:] == ["edition", "offer"]


def test_cut_inside_a_banner_in_any_language(matcher: PromptMatcher) -> None:
    assert kinds(matcher, *BODY, *NL_BANNER[:2]) == [None, None, "price_banner", "price_banner"]
    assert kinds(matcher, *BODY, NL_BANNER[0], NL_BANNER[2][:40])[-2:] == ["price_banner"] * 2
    # an article sentence naming the brand is kept, at the end too
    trap = "Magzter GOLD now counts more than a million paying readers, the company said."
    assert kinds(matcher, *BODY, trap) == [None, None, None]


# --- dump pages -------------------------------------------------------------------------------


def dump(matcher: PromptMatcher, url: str, *lines: str) -> SavedTextPage:
    return SavedTextPage(url, "\n".join(lines), matcher)


NL_URL = "https://www.magzter.com/nl/stories/lifestyle/Readers-Digest-UK/DE-IMKER-VAN-HACKNEY"


def test_unknown_edition_line_names_the_publication_by_its_slug(matcher: PromptMatcher) -> None:
    edition = "Dit verhaal komt uit de November 07, 2024-editie van Reader's Digest UK."
    page = dump(matcher, NL_URL, *BODY, edition, NL_OFFER, "Al abonnee? Inloggen")
    assert page.publication == "Reader's Digest UK"
    assert page.sources["publication"] == "edition_slug"
    assert page.sources["edition"] == "edition_fallback"


@pytest.mark.parametrize(
    "heading",
    [
        "MEER VERHALEN VAN READER'S DIGEST UKAlles bekijken",
        "READERS DIGEST UK से और कहानियाँसभी देखें",
        "その他のストーリー READER'S DIGEST UKすべて表示",
    ],
)
def test_unknown_heading_is_neither_card_nor_publication(
    matcher: PromptMatcher, heading: str
) -> None:
    page = dump(
        matcher, NL_URL, *BODY, NL_EDITION, NL_OFFER, "Al abonnee? Inloggen", heading,
        "Reader's Digest UK", "Ten minutes a day", "Simple exercises that work", "3 mins",
        "November 07, 2024",
    )  # fmt: skip
    assert [(c.title, c.summary, c.publication) for c in page.cards] == [
        ("Ten minutes a day", "Simple exercises that work", "Reader's Digest UK")
    ]
    assert heading not in (page.article("t") or pytest.fail()).body


def test_a_card_headline_naming_the_publication_stays_a_card(matcher: PromptMatcher) -> None:
    page = dump(
        matcher, NL_URL, *BODY, NL_EDITION, NL_OFFER, "Al abonnee? Inloggen",
        "Reader's Digest UK at 100", "A century of condensed books", "The beekeeper", "Forty hives",
    )  # fmt: skip
    assert [c.title for c in page.cards] == ["Reader's Digest UK at 100", "The beekeeper"]


@pytest.mark.parametrize(
    ("lines", "shape"),
    [
        (["Title here", "Outlook | |May 17, 2025", "The deck", "By Ann Lee"], "classic"),
        (["Title here", "Outlook|July Second 2023", "The deck", "Title here"], "classic"),
        (["Probeer GOUD - Vrij", "Title here", "Outlook", "|May 17, 2025", "The deck"], "2025"),
        ([*NL_BANNER, "Title here", "Outlook", "| |May 17, 2025", "The deck", "- Ann Lee"], "2025"),
    ],
)
def test_headers_under_banners_and_buttons(
    matcher: PromptMatcher, lines: list[str], shape: str
) -> None:
    page = dump(matcher, NL_URL, *lines, *BODY)
    assert page.header.shape == shape
    assert (page.header.title, page.publication, page.header.standfirst) == (
        "Title here",
        "Outlook",
        "The deck",
    )
    article = page.article("t")
    assert article is not None and article.body.split("\n\n") == BODY
    assert page.sources["title"] == f"header_{shape}"
