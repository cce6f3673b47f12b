"""The pipeline stages on a crawler from ``get_crawler``: what each does, counts and drops."""

from __future__ import annotations

from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from aggregator.items import Article, Teaser
from aggregator.pipelines.dedupe import DedupePipeline
from aggregator.pipelines.normalize import NormalizePipeline
from aggregator.pipelines.validate import ValidatePipeline
from aggregator.pipelines.wordcount import WordCountPipeline
from aggregator.settings import ITEM_PIPELINES
from aggregator.utils.item_fields import ItemFields


def article(**fields: Any) -> Article:
    values: dict[str, Any] = {
        "id": "a1",
        "url": "https://www.magzter.com/x",
        "body": "Text.",
        "crawled_at": "2026-01-01T00:00:00+00:00",
    }
    values.update(fields)
    return Article(**values)


def test_pipeline_order() -> None:
    order = [
        path.rsplit(".", 1)[-1] for path, _ in sorted(ITEM_PIPELINES.items(), key=lambda i: i[1])
    ]
    assert order == [
        "NormalizePipeline",
        "PromptPipeline",
        "DedupePipeline",
        "LanguagePipeline",
        "WordCountPipeline",
        "ValidatePipeline",
    ]


def test_normalize_unicode_and_paragraphs(crawler: Crawler, stats: StatsCollector) -> None:
    stage = NormalizePipeline.from_crawler(crawler)
    raw = (
        "  Cafe\u0301 owners\u00a0say   so.\u2028Second\u200b line \u2029\n\n\n\n"
        "Third\u0085Fourth  "
    )
    item = stage.process_item(
        article(body=raw, title=" A\u00a0title\u2028split ", authors=[" Ann  Lee", "Ann Lee"])
    )
    assert item.body == "Café owners say so.\n\nSecond line\n\nThird\n\nFourth"
    assert item.title == "A title split"
    assert item.authors == ["Ann Lee"]
    assert item.word_count == 0  # counted once, by the measure stage
    assert WordCountPipeline().process_item(item).word_count == 8
    assert stats.get_value("aggregator/normalize/changed") == 1
    assert "\u2028" not in item.body and "\u0085" not in item.body


def test_normalize_keeps_joiners_needed_by_scripts(crawler: Crawler) -> None:
    stage = NormalizePipeline.from_crawler(crawler)
    persian = "می\u200cخواهم"  # ZWNJ is part of the spelling
    assert stage.process_item(article(body=persian)).body == persian


@pytest.mark.parametrize("empty", [" \u00a0 ", ""])  # made empty, or empty already
def test_normalize_empty_optional_field_becomes_null(crawler: Crawler, empty: str) -> None:
    stage = NormalizePipeline.from_crawler(crawler)
    assert stage.process_item(article(standfirst=empty)).standfirst is None


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        (article(body=""), "article_empty_body"),
        (article(body="  "), "article_empty_body"),
        (article(url=""), "article_missing_url"),
        (Teaser(id="t", title="", source_url="https://x", position=1), "teaser_missing_title"),
        (Teaser(id="t", title="T", source_url="", position=1), "teaser_missing_source_url"),
    ],
)
def test_validate_drops_with_a_reason(
    item: object, reason: str, crawler: Crawler, stats: StatsCollector
) -> None:
    stage = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=reason):
        stage.process_item(item)
    assert stats.get_value(f"aggregator/dropped/{reason}") == 1


def test_validate_passes_a_good_item(crawler: Crawler, stats: StatsCollector) -> None:
    item = article()
    assert ValidatePipeline.from_crawler(crawler).process_item(item) is item
    assert not any(k.startswith("aggregator/dropped") for k in stats.get_stats())


def test_dedupe_keeps_the_first_of_each_id(crawler: Crawler, stats: StatsCollector) -> None:
    stage = DedupePipeline.from_crawler(crawler)
    first = article(url="https://www.magzter.com/nb/x")
    assert stage.process_item(first) is first
    with pytest.raises(DropItem):
        stage.process_item(article(url="https://www.magzter.com/de/x"))
    teaser = Teaser(
        id="a1", title="T", source_url="https://x", position=1
    )  # same id, other type: kept
    assert stage.process_item(teaser) is teaser
    assert stats.get_value("aggregator/dedupe/article_repeats") == 1
    assert stats.get_value("aggregator/dedupe/teaser_repeats") is None


def test_language_detected_only_when_undeclared(crawler: Crawler, stats: StatsCollector) -> None:
    from aggregator.pipelines.language import LanguagePipeline

    stage = LanguagePipeline.from_crawler(crawler)
    english = "The ferry timetable has changed again. Commuters now queue at the pier before dawn."
    assert stage.process_item(article(body=english)).language == "en"
    german = "Die Fähre fährt seltener als früher, aber die Fahrkarten sind teurer geworden."
    assert stage.process_item(article(body=german)).language == "de"
    assert stage.process_item(article(body=german, language="en")).language == "en"
    assert stage.process_item(article(body="Too short.")).language is None
    assert stats.get_value("aggregator/language/detected/en") == 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # CLD2's own codes are mapped to the BCP 47 subtags JSON-LD uses
        ("זהו סיפור על מזג האוויר בעיר הגדולה, ועל האנשים שגרים בה כבר שנים רבות.", "he"),
        (
            "這是一個關於天氣的故事，這座城市很大，人們在這裡已經住了很多年，每年冬天都有很多遊客來這裡看雪。",
            "zh",
        ),
        (
            "Regjeringen la fram et nytt forslag om skatt på fredag, og opposisjonen er sint.",
            "nb",  # CLD2's "no": one code a language (language_codes.toml)
        ),
        # text CLD2 refuses (control characters, a lone surrogate) is read without them
        ("The ferry\x01 timetable\x0b has changed again; commuters queue at the pier.", "en"),
        ("The ferry timetable \ud83d has changed again; commuters queue at the pier.", "en"),
    ],
    ids=["hebrew", "traditional-chinese", "norwegian", "control-chars", "lone-surrogate"],
)
def test_language_codes_and_refused_text(
    crawler: Crawler, stats: StatsCollector, text: str, language: str
) -> None:
    from aggregator.pipelines.language import LanguagePipeline

    assert LanguagePipeline.from_crawler(crawler).process_item(article(body=text)).language == (
        language
    )
    assert stats.get_value(f"aggregator/language/detected/{language}") == 1


def test_language_left_empty_and_counted_when_none_is_found(
    crawler: Crawler, stats: StatsCollector
) -> None:
    from aggregator.pipelines.language import LanguagePipeline

    numbers = "1234 5678 9012 3456 7890 1234 5678 9012 3456 7890 1234 5678 9012"
    assert (
        LanguagePipeline.from_crawler(crawler).process_item(article(body=numbers)).language is None
    )
    assert stats.get_value("aggregator/language/undetected") == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda: article(title="A title"),
        lambda: Teaser(id="t1", title="A title", source_url="https://x/", position=1),
        lambda: {"id": "d1", "title": "A title"},
    ],
    ids=["article", "teaser", "dict"],
)
def test_item_fields_read_and_write_as_item_adapter_does(make: Any) -> None:
    ours, theirs = make(), make()
    fields, adapter = ItemFields(ours), ItemAdapter(theirs)
    assert list(fields.field_names()) == list(adapter.field_names())
    for name in ("title", "body", "language", "no_such_field"):
        assert (name in fields) == (name in adapter)
        assert fields.get(name) == adapter.get(name)
    fields["title"] = adapter["title"] = "Another title"
    assert ours == theirs
    with pytest.raises(KeyError):
        ItemFields(Teaser(id="t", title="x", source_url="y", position=1))["body"] = "text"
