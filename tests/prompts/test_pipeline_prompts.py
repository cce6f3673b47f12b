"""The prompt stage on a crawler from ``get_crawler``: cleaning, facts, stats, logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article, Teaser
from aggregator.pipelines.prompts import PromptPipeline
from tests.support.crawlers import open_crawler

BODY = ["First paragraph of the story.", "Second paragraph, with 12,000 words in it."]
NB_PROMPT = [
    "Denne historien er fra November 07, 2024-utgaven av The Independent.",
    "Start din 7-dagers gratis prøveperiode på Magzter GOLD for å få tilgang til tusenvis av "
    "utvalgte premiumhistorier og 9000+ magasiner og aviser.",
    "Allerede abonnent ? Logg på",
]
NL_PROMPT = [  # Dutch: no catalog file, caught by the structural fallback
    "Dit verhaal komt uit de January 2018-editie van Grazia.",
    "Start je 7-daagse gratis proefperiode van Magzter GOLD voor toegang tot duizenden "
    "premium verhalen en meer dan 9.000 tijdschriften en kranten.",
    "Al abonnee ? Aanmelden",
]


def pipeline(**settings: Any) -> tuple[PromptPipeline, StatsCollector]:
    """The prompt stage of a crawler with ``settings``, and its stats."""
    crawler = open_crawler(**settings)
    assert crawler.stats is not None
    return PromptPipeline.from_crawler(crawler), crawler.stats


def article(lines: list[str], **fields: Any) -> Article:
    return Article(
        id="a",
        url="https://www.magzter.com/nb/stories/x/P/S",
        body="\n\n".join(lines),
        crawled_at="t",
        **fields,
    )


def test_prompt_removed_and_facts_kept() -> None:
    stage, stats = pipeline()
    item = stage.process_item(article(BODY + NB_PROMPT + NB_PROMPT))
    assert item.body == "\n\n".join(BODY)
    assert item.prompt_language == "nb"
    assert item.publication == "The Independent"
    assert item.issue_label == "November 07, 2024"
    assert item.issue_date == "2024-11-07"
    assert item.is_preview is True
    assert stats.get_value("aggregator/prompts/removed/nb") == 6
    assert stats.get_value("aggregator/prompts/metadata_conflict") is None


def test_page_values_win_and_a_conflict_is_counted() -> None:
    stage, stats = pipeline()
    item = stage.process_item(
        article(BODY + NB_PROMPT, publication="The Sunday Independent", issue_date="2024-11-06")
    )
    assert (item.publication, item.issue_date) == ("The Sunday Independent", "2024-11-06")
    assert item.issue_label == "November 07, 2024"  # the page had none
    assert stats.get_value("aggregator/prompts/metadata_conflict") == 1


def test_a_monthly_stored_as_its_first_day_takes_the_month() -> None:
    stage, stats = pipeline()
    lines = [*BODY, "This story is from the January 2018 edition of Grazia."]
    item = stage.process_item(article(lines, issue_date="2018-01-01"))
    assert item.issue_date == "2018-01"
    assert stats.get_value("aggregator/prompts/metadata_conflict") is None


def test_no_prompt_leaves_the_item_alone() -> None:
    stage, stats = pipeline()
    item = stage.process_item(article(BODY))
    assert item.body == "\n\n".join(BODY)
    assert item.prompt_language is None and item.is_preview is False
    assert not [k for k in stats.get_stats() if k.startswith("aggregator/prompts")]


def test_fallback_is_counted_and_logged_once_per_line(caplog: pytest.LogCaptureFixture) -> None:
    stage, stats = pipeline()
    with caplog.at_level(logging.WARNING, logger="aggregator.pipelines.prompts"):
        first = stage.process_item(article(BODY + NL_PROMPT))
        stage.process_item(article(BODY + NL_PROMPT))
    assert first.body == "\n\n".join(BODY)
    assert first.prompt_language == "und"
    # the date is printed in English in every language; where the name sits in an unknown
    # language's sentence is not known, so the fallback leaves publication to the page
    assert (first.issue_label, first.issue_date, first.publication) == (
        "January 2018",
        "2018-01",
        None,
    )
    assert stats.get_value("aggregator/prompts/fallback") == 6
    warnings = [r for r in caplog.records if "no catalog entry" in r.getMessage()]
    assert len(warnings) == 3  # one per distinct line, not per item


def test_teaser_fields_are_cleaned() -> None:
    stage, _ = pipeline()
    teaser = Teaser(
        id="t",
        title="NIGHT SHIFT",
        source_url="https://x",
        position=1,
        summary="Twelve hours on the wards.This story is from the November 07, 2024 "
        "edition of The Independent.",
    )
    assert stage.process_item(teaser).summary == "Twelve hours on the wards."


def test_only_the_loaded_languages_are_matched_by_catalog() -> None:
    stage, _stats = pipeline(AGGREGATOR_PROMPTS_LANGUAGES=["en"])
    item = stage.process_item(article(BODY + NB_PROMPT))
    assert item.body == "\n\n".join(BODY)  # still removed, from its shape
    assert item.prompt_language == "und"


def test_switched_off() -> None:
    with pytest.raises(NotConfigured):
        pipeline(AGGREGATOR_PROMPTS_ENABLED=False)


@pytest.mark.parametrize(
    ("stand_in", "kind"),
    [
        (["Continue reading your story on the app"], "continue_app"),
        (["Go Unlimited with Magzter GOLD", "$149.99", "$74.99/Year"], "price_banner"),
    ],
)
def test_a_banner_or_app_line_instead_of_the_prompt_makes_a_preview(
    stand_in: list[str], kind: str
) -> None:
    stage, stats = pipeline()
    item = stage.process_item(article(BODY + stand_in))
    assert item.body == "\n\n".join(BODY)
    assert (item.is_preview, item.prompt_language) == (True, None)
    assert stats.get_value(f"aggregator/prompts/interface/{kind}") == len(stand_in)
