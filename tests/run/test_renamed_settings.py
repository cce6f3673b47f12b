"""A setting renamed to the one pattern keeps working under its old name, with a warning that
names the new one: in a unit of settings, in a spider, and through a real crawl."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from aggregator.spiders.issues import IssuesSpider
from aggregator.utils.renamed_settings import RENAMED, SettingRenamedWarning, apply_renames
from tests.support.crawl import ROOT, file_url, run_crawl
from tests.support.crawlers import project_settings
from tests.support.paths import SAMPLES


def test_the_code_reads_every_new_name_and_no_old_one() -> None:
    settings = project_settings()
    code = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "aggregator").rglob("*.py")
        if path.name != "renamed_settings.py"
    )
    for old, new in RENAMED.items():
        assert f'"{new}"' in code, f"nothing reads {new}"
        assert f'"{old}"' not in code, f"{old} is still read: read {new}"
        assert settings.getpriority(old) is None, f"{old} is still in aggregator/settings.py"


def test_an_old_name_moves_to_the_new_one_and_warns_once() -> None:
    settings = Settings({"AGGREGATOR_DETECT_LANGUAGE": False}, priority="cmdline")
    with pytest.warns(SettingRenamedWarning, match="use AGGREGATOR_LANGUAGE_DETECT_ENABLED"):
        assert apply_renames(settings) == ["AGGREGATOR_DETECT_LANGUAGE"]
    assert settings.getbool("AGGREGATOR_LANGUAGE_DETECT_ENABLED", True) is False
    assert settings.getpriority("AGGREGATOR_DETECT_LANGUAGE") is None
    assert apply_renames(settings) == []  # applied: nothing left to warn about


def test_the_new_name_set_higher_wins() -> None:
    settings = Settings()
    settings.set("AGGREGATOR_PROMPT_LANGUAGES", ["en"], priority="project")
    settings.set("AGGREGATOR_PROMPTS_LANGUAGES", ["de"], priority="cmdline")
    with pytest.warns(SettingRenamedWarning):
        apply_renames(settings)
    assert settings.getlist("AGGREGATOR_PROMPTS_LANGUAGES") == ["de"]


def test_a_spider_reads_the_old_name() -> None:
    settings = project_settings()
    settings.set("AGGREGATOR_LOCAL_FAST", False, priority="cmdline")
    crawler = Crawler(IssuesSpider, settings)
    with pytest.warns(SettingRenamedWarning, match="AGGREGATOR_LOCAL_FAST_ENABLED"):
        IssuesSpider.from_crawler(crawler, start_urls="file:///mirror/index.html")
    # a local mirror keeps the live site's manners when the fast path is turned off
    assert crawler.settings.getbool("AUTOTHROTTLE_ENABLED") is True


def test_a_crawl_takes_the_old_default_start(tmp_path: Path) -> None:
    page = SAMPLES / "magazines" / "Brunch" / "index.html"
    done = run_crawl(
        "issues",
        tmp_path,
        "-s",
        f"AGGREGATOR_DEFAULT_START={file_url(page)}",
        "-s",
        "AGGREGATOR_HEALTH_MIN_ARTICLES=0",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "the setting AGGREGATOR_DEFAULT_START is deprecated: use AGGREGATOR_START_DEFAULT" in (
        done.stderr
    )
    assert f"Crawling {file_url(page)}" in done.stderr
