"""A bad argument stops the run before any request: one line naming it, no traceback, exit 2.

The checks are the spiders' ``check_arguments``, which the project's ``crawl`` command
(aggregator/commands/crawl.py) runs before it makes a crawler process. Every case runs in
process, through ``scrapy.cmdline.execute`` with the project's settings (so that command, its
spider loader and its printing), with the making of a crawler process failing the test; one
real ``scrapy crawl`` per spider proves the line reaches stderr and the status the shell.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from scrapy import cmdline

from aggregator import settings as project
from aggregator.commands import crawl as crawl_command
from aggregator.spiders.arguments import BadArgument, IssuesArguments
from aggregator.spiders.dumps import DumpsSpider
from aggregator.spiders.issues import IssuesSpider
from tests.support.crawl import run_crawl
from tests.support.crawlers import project_settings
from tests.support.paths import SEED_URL, SHAPES, TXT_PAGE
from tests.support.records import read_jsonl

DEFAULT = "file:///mirror/index.html"
TXT_URL = next(r["url"] for r in read_jsonl(SHAPES) if r["name"] == "gold2025")

BAD = [
    # (spider, -a arguments, the argument named, what the line says it expects)
    ("issues", ("since=2024-13-01",), "since", "YYYY-MM-DD"),
    ("issues", ("since=yesterday",), "since", "YYYY-MM-DD"),
    ("issues", ("max_issues=0",), "max_issues", "whole number"),
    ("issues", ("max_issues=three",), "max_issues", "whole number"),
    ("issues", ("start_urls=ftp://example.com/x",), "start_urls", "http(s)://"),
    ("issues", ("start_urls=/no/such/page.html",), "start_urls", "existing local files"),
    ("issues", ("max_issue=3",), "max_issue", "one of start_urls, since, max_issues"),
    ("dumps", (), "path", "a dump file"),
    ("dumps", ("path=dump.csv",), "path", ".jsonl, .jsonl.gz, .txt"),
    ("dumps", ("path=/no/such/dump.jsonl",), "path", "an existing"),
    ("dumps", (f"path={TXT_PAGE}",), "url", "story URL"),
    (
        "dumps",
        (f"path={TXT_PAGE}", "url=https://www.magzter.com/magazines/Brunch"),
        "url",
        "story URL",
    ),
    ("dumps", (f"path={SHAPES}", f"url={SEED_URL}"), "url", "only with a .txt"),
    ("dumps", (f"path={SHAPES}", "since=2024-01-01"), "since", "one of path, url"),
]


@pytest.fixture
def no_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project known without its scrapy.cfg, and a crawler process refused."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a crawler process was made: the arguments passed the check")

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "aggregator.settings")
    monkeypatch.setattr(crawl_command, "crawler_process", refuse)


@pytest.mark.usefixtures("no_crawl")
@pytest.mark.parametrize(
    ("spider", "arguments", "named", "expected"),
    BAD,
    ids=[f"{spider}-{'-'.join(arguments) or 'none'}" for spider, arguments, _, _ in BAD],
)
def test_bad_argument_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    spider: str,
    arguments: tuple[str, ...],
    named: str,
    expected: str,
) -> None:
    argv = ["scrapy", "crawl", spider, "-s", f"OUTPUT_DIR={tmp_path / 'out'}"]
    argv += [option for argument in arguments for option in ("-a", argument)]
    with pytest.raises(SystemExit) as exited:
        cmdline.execute(argv, settings=project_settings())
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"scrapy crawl {spider}: bad argument {named}=")
    assert expected in lines[0]
    assert "Traceback" not in err + out
    assert not (tmp_path / "out").exists()  # no feed was even opened


def test_bad_argument_cases_cover_both_spiders() -> None:
    assert sorted({spider for spider, *_ in BAD}) == ["dumps", "issues"]
    assert len(BAD) == 14


@pytest.mark.parametrize(
    ("spider", "arguments", "named"),
    [("issues", ("-a", "since=2024-13-01"), "since"), ("dumps", (), "path")],
    ids=["issues", "dumps"],
)
def test_the_real_command_prints_one_line_and_exits_2(
    tmp_path: Path, spider: str, arguments: tuple[str, ...], named: str
) -> None:
    result = run_crawl(spider, tmp_path / "out", *arguments)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"scrapy crawl {spider}: bad argument {named}=")
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()  # no feed was even opened


# -- the checks, called as the command calls them -------------------------------------------------


def test_good_arguments_pass_the_spiders_checks() -> None:
    settings = project_settings()
    issues = IssuesSpider.check_arguments(settings, {"since": "2024-11-01", "max_issues": "2"})
    assert issues == IssuesArguments([project.AGGREGATOR_START_DEFAULT], date(2024, 11, 1), 2)
    assert DumpsSpider.check_arguments(settings, {"path": str(SHAPES)}) == (SHAPES, None)
    txt = DumpsSpider.check_arguments(settings, {"path": str(TXT_PAGE), "url": TXT_URL})
    assert txt == (TXT_PAGE, TXT_URL)


def test_the_check_raises_the_line_the_command_prints() -> None:
    with pytest.raises(BadArgument) as raised:
        DumpsSpider.check_arguments(project_settings(), {"path": "dump.csv"})
    assert raised.value.name == "path"
    assert str(raised.value) == (
        "bad argument path=dump.csv: expected a file ending in .jsonl, .jsonl.gz, .txt"
    )


def test_arguments_parse() -> None:
    parsed = IssuesArguments.parse(
        {
            "start_urls": "https://www.magzter.com/a, file:///m/index.html",
            "since": "2024-11-01",
            "max_issues": "2",
        },
        DEFAULT,
    )
    assert parsed.start_urls == ["https://www.magzter.com/a", "file:///m/index.html"]
    assert parsed.since == date(2024, 11, 1)
    assert parsed.max_issues == 2


def test_defaults_crawl_the_samples() -> None:
    parsed = IssuesArguments.parse({}, DEFAULT)
    assert parsed == IssuesArguments([DEFAULT], None, None)


def test_local_path_becomes_file_url(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<html></html>")
    parsed = IssuesArguments.parse({"start_urls": str(page)}, DEFAULT)
    assert parsed.start_urls == [page.resolve().as_uri()]


def test_missing_local_path_is_a_bad_argument(tmp_path: Path) -> None:
    with pytest.raises(BadArgument, match="start_urls"):
        IssuesArguments.parse({"start_urls": str(tmp_path / "nope.html")}, DEFAULT)
