"""One suite, both engines (``index_url``: a SQLite file, a database of a throwaway
PostgreSQL cluster): upserts, the language rules with real text in each script, the query
language, filters, ranking and snippets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aggregator.index import Filters, Index, QueryError, open_index
from tests.support.index_records import article, teaser

LANGUAGES = [
    article(
        "ja1",
        "東京の新しい美術館",
        "この記事は東京の新しい美術館について書かれています。入場は無料です。",
        language="ja",
    ),
    article("zh1", "北京的新博物馆", "这篇文章介绍了北京的新博物馆和它的收藏。", language="zh"),
    article(
        "ar1",
        "متحف جديد في القاهرة",
        "افتتح المتحف الجديد أبوابه في القاهرة أمام الزوار يوم السبت",
        language="ar",
    ),
    article(
        "hi1",
        "दिल्ली में नया संग्रहालय",
        "नई दिल्ली में एक नया संग्रहालय खुला है और लोग बड़ी संख्या में आ रहे हैं",
        language="hi",
    ),
    article(
        "nb1",
        "Kaffe i Malmö",
        "Bøkene om kaffebarene i Tromsø ble skrevet av en journalist fra Malmö.",
        language="nb",
    ),
    article(
        "de1", "Die Häuser am Fluss", "Die alten Häuser stehen seit Jahrhunderten.", language="de"
    ),
    article(
        "es1",
        "Las canciones del verano",
        "Las canciones de la banda sonaron en todas las radios.",
        language="es",
    ),
    article("fr1", "Le Café de Flore", "Un café célèbre de Paris, fréquenté par les écrivains."),
]


@pytest.fixture
def index(index_url: str) -> Iterator[Index]:
    opened = open_index(index_url)
    yield opened
    opened.close()


@pytest.fixture
def languages(index: Index) -> Index:
    index.upsert(LANGUAGES)
    return index


def engine(index: Index) -> str:
    return type(index).__name__.removesuffix("Index").lower()


def ids(index: Index, query: str, **filters: object) -> list[str]:
    return [result.id for result in index.search(query, Filters(**filters))]  # type: ignore[arg-type]


# -- upserts ------------------------------------------------------------------------------------


def test_loading_the_same_items_twice_changes_nothing(index: Index) -> None:
    first = index.upsert(LANGUAGES)
    assert first.by_change == {"new": 8} and first.by_type == {"article": 8}
    second = index.upsert(LANGUAGES)
    assert second.by_change == {"unchanged": 8}
    assert index.count() == 8
    assert ids(index, "Malmö") == ["nb1"]


def test_a_changed_article_replaces_the_old_one(index: Index) -> None:
    index.upsert([article("a1", "Old headline", "The harbour was quiet.")])
    counts = index.upsert([article("a1", "New headline", "The market was busy.")])
    assert counts.by_change == {"updated": 1}
    assert index.count() == 1
    assert ids(index, "market") == ["a1"] and ids(index, "harbour") == []
    assert ids(index, "old") == [] and index.search("new", Filters())[0].title == "New headline"


def test_a_new_crawl_of_the_same_content_is_unchanged(index: Index) -> None:
    index.upsert([article("a1", "Title", "Body text.")])
    again = article("a1", "Title", "Body text.", crawled_at="2027-01-01T00:00:00+00:00")
    assert index.upsert([again]).by_change == {"unchanged": 1}


def test_a_transaction_that_fails_leaves_nothing(index: Index) -> None:
    with pytest.raises(RuntimeError), index.transaction():
        index.upsert([article("a1", "Kept out", "Never committed.")])
        raise RuntimeError("the feed broke here")
    assert index.count() == 0 and ids(index, "committed") == []


# -- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [("cafe", "fr1"), ("CAFÉ", "fr1"), ("malmo", "nb1"), ("MALMÖ", "nb1"), ("tromso", "nb1")],
)
def test_diacritics_and_case_do_not_matter(languages: Index, query: str, found: str) -> None:
    assert ids(languages, query) == [found]


@pytest.mark.parametrize(
    ("query", "found"),
    [("記事", ["ja1"]), ("美術館", ["ja1"]), ("無料", ["ja1"]), ("博物馆", ["zh1"]), ("記録", [])],
)
def test_text_without_spaces_is_searchable_by_any_word_inside(
    languages: Index, query: str, found: list[str]
) -> None:
    assert ids(languages, query) == found


@pytest.mark.parametrize(
    ("query", "found"),
    [("القاهرة", ["ar1"]), ("الزوار", ["ar1"]), ("संग्रहालय", ["hi1"]), ("दिल्ली", ["hi1"])],
)
def test_arabic_and_devanagari_words_match_as_words(
    languages: Index, query: str, found: list[str]
) -> None:
    assert ids(languages, query) == found


@pytest.mark.parametrize("part", ["संग्र", "هرة", "दिल"])
def test_part_of_an_arabic_or_devanagari_word_is_no_word(languages: Index, part: str) -> None:
    assert ids(languages, part) == []


@pytest.mark.parametrize(
    ("query", "found", "language"),
    [
        ("bøker", "nb1", "nb"),
        ("kaffebaren", "nb1", "nb"),
        ("Haus", "de1", "de"),
        ("canción", "es1", "es"),
    ],
)
def test_stemming_where_the_engine_has_it_exact_words_otherwise(
    languages: Index, query: str, found: str, language: str
) -> None:
    # PostgreSQL stems with the item's language: "bøker" finds "Bøkene", "Haus" "Häuser"
    expected = [found] if engine(languages) == "postgres" else []
    assert ids(languages, query) == expected
    assert ids(languages, query, language=language) == expected
    exact = {"bøker": "Bøkene", "kaffebaren": "kaffebarene", "Haus": "Häuser"}.get(
        query, "canciones"
    )
    assert ids(languages, exact) == [found]


# -- the query language -------------------------------------------------------------------------


@pytest.fixture
def harbour(index: Index) -> Index:
    index.upsert(
        [
            article("a1", "Harbour news", "The old harbour of Bergen was rebuilt after the fire."),
            article("a2", "Fire season", "The fire brigade rebuilt its station near the harbour."),
            article("a3", "Market day", "Fishermen sell their catch at the harbour market."),
        ]
    )
    return index


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("harbour rebuilt", {"a1", "a2"}),
        ('"harbour of Bergen"', {"a1"}),
        ('"rebuilt the harbour"', set()),
        ("harbour -fire", {"a3"}),
        ('harbour -"fire brigade"', {"a1", "a3"}),
        ("fisher*", {"a3"}),
        ("reb* -brigade", {"a1"}),
        ("bergen market", set()),
    ],
)
def test_words_phrases_exclusions_and_prefixes(harbour: Index, query: str, found: set[str]) -> None:
    assert set(ids(harbour, query)) == found


@pytest.mark.parametrize("query", ["-harbour", "", "— &", '"unclosed'])
def test_a_query_that_cannot_be_searched_says_why(harbour: Index, query: str) -> None:
    with pytest.raises(QueryError):
        harbour.search(query, Filters())


def test_excluding_a_word_of_a_script_without_spaces(languages: Index) -> None:
    assert ids(languages, "新 -記事") == ["zh1"]
    assert set(ids(languages, "Malmö -記事")) == {"nb1"}
    assert ids(languages, "記事 -Malmö") == ["ja1"]
    assert ids(languages, "記事 -美術館") == []
    assert ids(languages, "美術館 東京") == ["ja1"]


# -- filters, teasers ---------------------------------------------------------------------------


@pytest.fixture
def editions(index: Index) -> Index:
    index.upsert(
        [
            article(
                "a1",
                "Election night",
                "Votes counted.",
                publication="Outlook",
                language="en",
                issue_date="2024-11-07",
            ),
            article(
                "a2",
                "Election day",
                "Queues at dawn.",
                publication="Brunch",
                language="en-GB",
                issue_date="2024-12",
            ),
            article(
                "a3",
                "Valgnatt",
                "Election results from Oslo.",
                publication="Outlook",
                language="nb",
                issue_date="2025-01-15",
            ),
            teaser(
                "t1",
                "Election night",
                summary="Votes counted.",
                publication="Outlook",
                issue_date="2024-11-07",
                story_id="a1",
            ),
            teaser(
                "t2",
                "Election night",
                summary="Seen elsewhere.",
                publication="Brunch",
                issue_date="2024-11-07",
                story_id="a1",
                source_url="https://x/2",
            ),
            teaser(
                "t3",
                "Election secrets",
                summary="A premium story.",
                publication="Outlook",
                issue_date="2024-11-07",
                story_id="never-crawled",
            ),
        ]
    )
    return index


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        ({}, {"a1", "a2", "a3", "t1", "t2", "t3"}),
        ({"type": "article"}, {"a1", "a2", "a3"}),
        ({"type": "teaser"}, {"t1", "t2", "t3"}),
        ({"publication": "outlook"}, {"a1", "a3", "t1", "t3"}),
        ({"language": "en"}, {"a1", "a2"}),
        ({"language": "nb"}, {"a3"}),
        ({"since": "2024-12"}, {"a2", "a3"}),
        ({"since": "2024-11-08", "until": "2024-12"}, {"a2"}),
        ({"until": "2024-11"}, {"a1", "t1", "t2", "t3"}),
        ({"until": "2024"}, {"a1", "a2", "t1", "t2", "t3"}),
        ({"type": "article", "publication": "Outlook", "since": "2025"}, {"a3"}),
    ],
)
def test_filters(editions: Index, filters: dict[str, str], found: set[str]) -> None:
    assert set(ids(editions, "election", **filters)) == found


def test_limit(editions: Index) -> None:
    assert len(ids(editions, "election", limit=2)) == 2


def test_teasers_say_whether_their_story_was_crawled_and_articles_count_their_cards(
    editions: Index,
) -> None:
    results = {r.id: r for r in editions.search("election", Filters())}
    assert results["a1"].teasers == 2 and results["a2"].teasers == 0
    assert results["t1"].premium is False and results["t3"].premium is True
    assert results["t3"].as_json()["premium"] is True
    assert results["a1"].as_json()["teasers"] == 2
    assert {"id", "type", "title", "url", "score", "snippet"} <= set(results["t3"].as_json())


# -- ranking, snippets --------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match(index: Index) -> None:
    index.upsert(
        [
            article(
                "body1", "Notes from the coast", "A long walk; then the lighthouse came in view."
            ),
            article("title1", "The lighthouse", "Notes from a long walk on the coast."),
            article("body2", "Coastal walks", "We walked to the lighthouse and back."),
        ]
    )
    results = index.search("lighthouse", Filters())
    assert results[0].id == "title1" and len(results) == 3
    assert results[0].score > results[1].score


def test_snippets_mark_the_match(languages: Index, harbour: Index) -> None:
    (result,) = harbour.search('"harbour of Bergen"', Filters())
    assert "**harbour** **of** **Bergen**" in result.snippet or "**harbour of Bergen**" in (
        result.snippet
    )
    (japanese,) = languages.search("美術館", Filters(type="article"))
    assert "**美術館**" in japanese.snippet and "\u200b" not in japanese.snippet
    (french,) = languages.search("cafe", Filters())
    assert "**café**" in french.snippet
