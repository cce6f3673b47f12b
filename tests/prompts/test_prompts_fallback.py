"""The structural fallback: prompts in interface languages that have no catalog file."""

from __future__ import annotations

import pytest

from aggregator.prompts import EditionFacts, PromptMatcher
from tests.support.crawlers import clean

BODY = [
    "The old pier now leans halfway into the harbour after the storm.",
    "Neighbours said the water rose faster than anyone had seen before.",
]
EN_OFFER = (
    "Start your 7-day Magzter GOLD free trial to access thousands of curated premium stories, "
    "and 9,000+ magazines and newspapers."
)
EN_SIGNIN = "Already a subscriber ? Sign In"

# Plausible translations, written for these tests (not observed on the site).
UNKNOWN = {
    "nl": [
        "Dit verhaal komt uit de November 07, 2024-editie van The Independent.",
        "Start je 7-daagse gratis proefperiode van Magzter GOLD voor toegang tot duizenden "
        "geselecteerde premiumverhalen en 9.000+ tijdschriften en kranten.",
        "Al abonnee ? Aanmelden",
    ],
    "tr": [
        "Bu hikaye The Independent dergisinin November 07, 2024 sayısından alınmıştır.",
        "Binlerce seçkin premium hikayeye ve 9.000'den fazla dergi ve gazeteye erişmek için "
        "Magzter GOLD'a abone olun.",
        "Zaten abone misiniz? Oturum aç",
    ],
    "ja": [
        "この記事は The Independent の November 07, 2024 版に掲載されています。",
        "7 日間の Magzter GOLD 無料トライアルを開始して、厳選された何千ものプレミアム ストーリーや "
        "9,000 以上の雑誌や新聞にアクセスしましょう。",
        "すでに購読者ですか？ サインイン",
    ],
    "it": [
        "Questa storia è tratta dall'edizione November 07, 2024 di The Independent.",
        "Inizia la tua prova gratuita di 7 giorni di Magzter GOLD per accedere a migliaia di "
        "storie premium selezionate e a oltre 9.000 riviste e giornali.",
        "Sei già abbonato? Accedi",
    ],
    "fr": [
        "Cet article est tiré de l’édition du November 07, 2024 de The Independent.",
        "Abonnez-vous à Magzter GOLD pour accéder à des milliers d’articles premium et à plus "
        "de 9 000 magazines et journaux.",
        "Déjà abonné ? Se connecter",
    ],
}
FACTS = EditionFacts(None, "November 07, 2024", "2024-11-07")


def relaxed(block: list[str]) -> list[str]:
    return [line.replace(" ?", "?") for line in block]


@pytest.mark.parametrize("language", sorted(UNKNOWN))
def test_unknown_language_block(language: str) -> None:
    block = UNKNOWN[language]
    result = clean(*BODY, *block)
    assert result.text == "\n\n".join(BODY)
    assert result.language == "und"
    assert result.removed == {"und": 3}
    assert result.fallback_lines == block
    assert result.facts == FACTS


@pytest.mark.parametrize("language", sorted(UNKNOWN))
def test_unknown_language_block_twice(language: str) -> None:
    block = UNKNOWN[language]
    result = clean(*BODY, *block, *relaxed(block), "NIGHT SHIFT", "A teaser summary.")
    assert result.text.split("\n\n") == [*BODY, "NIGHT SHIFT", "A teaser summary."]
    assert result.removed == {"und": 6}


@pytest.mark.parametrize("language", sorted(UNKNOWN))
def test_unknown_language_without_signin(matcher: PromptMatcher, language: str) -> None:
    block = UNKNOWN[language]
    result = matcher.clean("\n\n".join([*BODY, *block[:2]]))
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"und": 2}


@pytest.mark.parametrize("language", sorted(UNKNOWN))
def test_unknown_language_without_edition(language: str) -> None:
    block = UNKNOWN[language]
    result = clean(*BODY, *block[1:])
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"und": 2}
    assert result.facts is None


def test_unknown_edition_glued_to_the_last_sentence() -> None:
    block = UNKNOWN["nl"]
    result = clean(BODY[0], BODY[1] + block[0], *block[1:])
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"und": 3}
    assert result.fallback_lines[0] == block[0]


def test_unknown_edition_then_english_offer() -> None:
    """Mixed: a localized edition line (no catalog) followed by the English free-trial line."""
    block = UNKNOWN["nl"]
    result = clean(*BODY, block[0], EN_OFFER, EN_SIGNIN)
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"und": 1, "en": 2}
    assert result.language == "und"  # the page's interface language is not known
    assert result.fallback_lines == [block[0]]
    assert result.facts == FACTS


def test_unknown_edition_then_english_offer_then_unknown_signin() -> None:
    block = UNKNOWN["nl"]
    result = clean(*BODY, block[0], EN_OFFER, block[2], block[0], EN_OFFER)
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"und": 3, "en": 2}


def test_catalog_edition_then_unknown_offer() -> None:
    edition = "This story is from the November 07, 2024 edition of The Independent."
    offer = "Abonneer je op Magzter GOLD voor toegang tot duizenden premiumverhalen."
    result = clean(*BODY, edition, offer)
    assert result.text == "\n\n".join(BODY)
    assert result.removed == {"en": 1, "und": 1}
    assert result.language == "en"
    assert result.facts == EditionFacts("The Independent", "November 07, 2024", "2024-11-07")


def test_month_only_and_placeholder_editions() -> None:
    block = UNKNOWN["nl"]
    monthly = "Dit verhaal komt uit de January 2018-editie van Grazia."
    result = clean(*BODY, monthly, *block[1:])
    assert result.removed == {"und": 3}
    assert result.facts == EditionFacts(None, "January 2018", "2018-01")
    placeholder = "Dit verhaal komt uit de {{IssueName}}-editie van {{MagazineName}}."
    result = clean(*BODY, placeholder, *block[1:])
    assert result.removed == {"und": 3}
    assert result.facts is None


def test_scan_reports_und(matcher: PromptMatcher) -> None:
    found = matcher.scan([*BODY, *UNKNOWN["tr"]])
    assert found[:2] == [None, None]
    assert [(m.kind, m.language) for m in found[2:] if m is not None] == [
        ("edition", "und"),
        ("offer", "und"),
        ("signin", "und"),
    ]


# --- what the fallback must keep ---------------------------------------------------------------


def test_lone_gold_sentence_is_kept() -> None:
    gold = "Magzter GOLD now counts more than a million paying readers, the company said."
    result = clean(BODY[0], gold, BODY[1])
    assert result.text.split("\n\n") == [BODY[0], gold, BODY[1]]
    assert result.fallback_lines == []
    assert result.language is None


def test_gold_sentence_with_count_after_a_dated_paragraph_is_kept() -> None:
    paragraphs = [
        "The deal closed on March 3, 2025.",
        "Magzter GOLD now bundles more than 9,000 titles, the company said.",
        "Analysts were unimpressed.",
    ]
    result = clean(*paragraphs)
    assert result.text.split("\n\n") == paragraphs


def test_gold_sentence_before_a_short_heading_is_kept() -> None:
    paragraphs = [
        "The company also said Magzter GOLD would be sold in more countries next year.",
        "THE NEXT STEP",
        "Its founder says growth will come from schools.",
    ]
    result = clean(*paragraphs)
    assert result.text.split("\n\n") == paragraphs


def test_gold_sentence_between_dated_paragraph_and_question() -> None:
    """Only a dated paragraph with the date followed by a name is edition-shaped."""
    paragraphs = [
        "The service launched on May 10, 2025.",
        "Is Magzter GOLD worth it?",
        "Why now?",
    ]
    result = clean(*paragraphs)
    assert result.text.split("\n\n") == paragraphs


def test_long_paragraph_is_not_an_edition_line() -> None:
    long = (
        "In an interview published in the November 07, 2024 edition of The Independent, the "
        "chief executive spoke at length about the company's plans for the coming year, its "
        "hiring, its debts and the markets it wants to enter next."
    )
    offer = UNKNOWN["nl"][1]
    result = clean(long, offer, UNKNOWN["nl"][2])
    assert result.text == long
    assert result.removed == {"und": 2}


def test_signin_without_question_mark_only_at_the_block_end() -> None:
    block = UNKNOWN["nl"]
    result = clean(*BODY, block[0], block[1], "Aanmelden")
    assert result.removed == {"und": 3}
    teaser = ["NIGHT SHIFT", "A hospital porter’s twelve hours, told corridor by corridor."]
    result = clean(*BODY, block[0], block[1], *teaser)
    assert result.removed == {"und": 2}
    assert result.text.split("\n\n") == [*BODY, *teaser]
