"""The prompt stage's clean of a saved-text page's body takes the page's scan of its lines
(``PromptMatcher.expect``): the same result as a clean that scans the body anew."""

from __future__ import annotations

import pytest

from aggregator.pages.saved_text import SavedTextPage
from aggregator.prompts import PromptMatcher
from aggregator.prompts.catalog import load_catalog, packaged_directory
from aggregator.prompts.scanned import ScannedLines, Waiting
from aggregator.utils.encoding import repair_mojibake as repair
from benchmarks.texts import dump_records
from tests.dumps.test_dumps_wild import _cuts
from tests.support.records import wild_records


def _texts() -> list[tuple[str, str]]:
    texts = []
    for record in wild_records():
        text = repair(record["text"])
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        texts += [(record["url"], cut) for _, cut in _cuts(lines, 0)]
        texts.append((record["url"], text))
    texts += [(r["url"], r["text"]) for r in dump_records(200)]
    return texts


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_the_body_clean_reuses_the_page_scan_and_gives_the_same(engine: str) -> None:
    if engine == "hyperscan":
        pytest.importorskip("hyperscan", reason="the fast engine needs hyperscan")
    reusing = PromptMatcher(load_catalog(packaged_directory()), engine)
    fresh = PromptMatcher(load_catalog(packaged_directory()), engine)
    reused = cleaned = 0
    for url, text in _texts():
        article = SavedTextPage(url, text, reusing).article("t")
        if article is None:
            continue
        waiting = reusing._waiting.take(article.body)  # what clean would take: put it back
        assert waiting is not None, text
        reusing.expect(article.body, waiting)
        reused += waiting.stage(article.body.split("\n")) is not None
        assert reusing.clean(article.body) == fresh.clean(article.body), text
        assert reusing._waiting.take(article.body) is None  # taken by the clean
        cleaned += int(bool(fresh.clean(article.body).removed))
    assert reused > 1000
    assert cleaned > 500


def test_a_text_with_a_line_the_page_did_not_hold_is_scanned_anew(
    matcher: PromptMatcher,
) -> None:
    lines = ["Title", "Some article text.", "This story is from the May 2024 edition of Outlook."]
    matches, scanned = matcher.scan_page(lines)
    assert matches == matcher.scan(lines)
    assert scanned.stage(["Some article text.", "", lines[2]]) is not None
    assert scanned.stage(["Another line.", lines[2]]) is None
    text = "Another line.\n\n" + lines[2]
    matcher.expect(text, scanned)
    assert matcher.clean(text).removed  # scanned anew: the edition line is still found


def test_waiting_texts_are_bounded() -> None:
    waiting = Waiting(size=3)
    scanned = ScannedLines({}, frozenset())
    for number in range(10):
        waiting.put(f"text {number}", scanned)
    assert waiting.take("text 0") is None
    assert waiting.take("text 9") is scanned
    assert waiting.take("text 9") is None
