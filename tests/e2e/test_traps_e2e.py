"""Article text that talks about subscriptions or the brand survives a real crawl."""

from __future__ import annotations

from pathlib import Path

from tests.support.crawl import file_url, run_crawl
from tests.support.crawlers import finished
from tests.support.paths import FIXTURES, SAMPLES

TRAPS = FIXTURES / "traps"
EDITION_HEADLINE = (
    SAMPLES / "stories/lifestyle/Brunch/THE-COLLECTOR-S-EDITION-THAT-STARTED-A-BIDDING-WAR.html"
)


def test_trap_sentences_survive(tmp_path: Path) -> None:
    traps = sorted(TRAPS.rglob("*.html"))
    assert len(traps) >= 2
    starts = [file_url(p) for p in traps] + [file_url(EDITION_HEADLINE)]
    result = finished(run_crawl("issues", tmp_path, "-a", "start_urls=" + ",".join(starts)))
    articles = {a["title"]: a for a in result.articles}
    business = articles["The subscription economy comes for the magazine rack"]
    assert (
        "Magzter GOLD now counts more than a million paying readers, the company said."
        in business["body"].split("\n\n")
    )
    patterns = articles["Pop-ups, nags and the 'dark patterns' that keep us subscribed"]
    assert "“Already a subscriber?”" in patterns["body"]
    edition = articles["The collector's edition that started a bidding war"]
    assert edition["body"].startswith("The comic is 32 pages long")
    assert len(articles) == len(starts)
    for article in articles.values():  # their own prompts are gone all the same
        assert "Start your 7-day" not in article["body"]
        assert article["prompt_language"] == "en"
