"""A crawl stays inside its site or mirror: hostile links never get a file read or exported."""

from __future__ import annotations

import json
from pathlib import Path

from aggregator.site.scope import Scope, mirror_root
from tests.support.crawl import run_crawl
from tests.support.paths import FIXTURES

HOSTILE = FIXTURES / "hostile"


def test_hostile_mirror_reads_nothing_outside(tmp_path: Path) -> None:
    start = ",".join(
        (HOSTILE / page).resolve().as_uri()
        for page in ("index.html", "stories/news/Evil/STORY.html")
    )
    result = run_crawl("issues", tmp_path, "-a", f"start_urls={start}", log_level="DEBUG")
    assert result.returncode == 0, result.stderr
    fetched = [line for line in result.stderr.splitlines() if "Crawled (200)" in line]
    assert fetched and all(str(HOSTILE.resolve()) in line for line in fetched), fetched
    exported = (tmp_path / "articles.jsonl").read_text() + (tmp_path / "teasers.jsonl").read_text()
    assert "root:" not in exported and "SECRET" not in exported
    assert [a["title"] for a in result.articles] == ["A story with bad links"]
    # refused by the scope: on the catalog the climbing link, ../outside-the-mirror.html,
    # the other host and /etc/hostname; on the publication page the climbing issue link and
    # the climbing pagination. file:/// links are not even taken as links.
    assert result.stats["aggregator/scope/blocked"] == 6
    assert "evil.example" not in json.dumps(result.stats)


def test_scope_of_a_mirror() -> None:
    scope = Scope.from_start_urls(["file:///data/site/nb/stories/news/Pub/SLUG.html"])
    assert scope.roots == (Path("/data/site").resolve(),)
    assert scope.allows("file:///data/site/IN/HT-Media/Brunch/Lifestyle/1.html")
    assert not scope.allows("file:///data/site/../secrets.html")
    assert not scope.allows("file:///etc/passwd")
    assert not scope.allows("https://www.magzter.com/stories/a/b/c")
    assert scope.is_local


def test_scope_of_a_live_site() -> None:
    scope = Scope.from_start_urls(["https://www.magzter.com/magazines/Brunch"])
    assert scope.allows("https://www.magzter.com/stories/a/b/c")
    assert not scope.allows("https://evil.example/x")
    assert not scope.allows("file:///etc/passwd")
    assert not scope.is_local


def test_mirror_root_from_each_page_type() -> None:
    assert mirror_root("file:///m/site/index.html") == Path("/m/site").resolve()
    assert mirror_root("file:///m/site/magazines/Brunch/page-2.html") == Path("/m/site").resolve()
    assert (
        mirror_root("file:///m/site/IN/HT-Media/Brunch/Lifestyle/1901442.html")
        == Path("/m/site").resolve()
    )
    assert mirror_root("file:///m/site/stories/a/Pub/X.html") == Path("/m/site").resolve()
