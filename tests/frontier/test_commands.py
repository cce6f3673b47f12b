"""``scrapy frontier push|status|clear`` on a real server, the requests it stores (Scrapy's
``to_dict`` as JSON, no pickle), and the one-line refusals of a frontier that cannot be used."""

from __future__ import annotations

import json
import subprocess

import pytest
from scrapy import Request, Spider

from aggregator.frontier import serialize
from tests.frontier.conftest import BROKEN, STORY_PAGES, Single, frontier_of
from tests.frontier.workers import Crawl
from tests.support.crawl import ROOT, scrapy_command


def frontier_command(crawl: Crawl, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        scrapy_command(
            "frontier", *arguments,
            "-s", f"AGGREGATOR_FRONTIER={crawl.frontier}",
            "-s", f"AGGREGATOR_FRONTIER_KEY={crawl.key}",
        ),
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_push_then_a_worker_then_status_and_clear(crawl: Crawl, single: Single) -> None:
    pushed = frontier_command(crawl, "push", crawl.start_url)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout.strip() == "queued 1 of 1 start requests (0 seen)"
    again = frontier_command(crawl, "push", crawl.start_url)
    assert again.stdout.strip() == "queued 0 of 1 start requests (1 seen)"
    status = frontier_command(crawl, "status")
    assert status.stdout.splitlines()[0].endswith(": 1 queued, 0 leased, 0 workers")
    # the stored request is JSON that names the spider's callback, not a pickle
    stored = frontier_of(crawl).client.hvals(f"{crawl.key}:requests")
    assert [json.loads(text)["callback"] for text in stored] == ["parse_page"]

    # OUTPUT_DIR with the worker's name in it (the later -s wins)
    worker = crawl.start(f"OUTPUT_DIR={crawl.folder}/out-%(worker)s")
    worker.output_dir = crawl.folder / f"out-{worker.name}"
    assert worker.wait() == 0, worker.tail()
    # its own start request was seen: the pushed one started the crawl
    assert worker.stats["aggregator/frontier/pushed"] == single.scheduled - 1
    assert len(worker.records("articles")) == STORY_PAGES - BROKEN
    lines = frontier_command(crawl, "status").stdout.splitlines()
    assert lines[0].endswith(": 0 queued, 0 leased, 0 workers")
    assert f"  {single.scheduled} done" in lines
    assert f"  {STORY_PAGES - BROKEN} articles published" in lines
    assert f"  {BROKEN} stories lost" in lines

    cleared = frontier_command(crawl, "clear")
    assert cleared.returncode == 0 and cleared.stdout.startswith(f"cleared {crawl.key}: ")
    assert "  0 done" in frontier_command(crawl, "status").stdout.splitlines()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("status", "-s", "AGGREGATOR_FRONTIER="), "no frontier: set -s AGGREGATOR_FRONTIER="),
        (("status", "-s", "AGGREGATOR_FRONTIER=http://x/"), "is no Valkey/Redis URL"),
        (("push",), "push: give the URLs to start from"),
        (("status", "-s", "AGGREGATOR_FRONTIER=redis://127.0.0.1:1/0"), "cannot reach"),
    ],
)
def test_frontier_command_refuses_in_one_line(arguments: tuple[str, ...], message: str) -> None:
    done = subprocess.run(
        scrapy_command("frontier", *arguments), cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and message in done.stderr, done.stderr


def test_crawl_refuses_a_frontier_it_cannot_reach() -> None:
    done = subprocess.run(
        scrapy_command("crawl", "issues", "-s", "AGGREGATOR_FRONTIER=redis://127.0.0.1:1/0"),
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("scrapy crawl issues: bad setting AGGREGATOR_FRONTIER: ")
    assert len(done.stderr.splitlines()) == 1


class _Spider(Spider):
    name = "s"

    def parse_page(self, response: object) -> None: ...

    def on_error(self, failure: object) -> None: ...


def test_a_request_goes_to_json_and_back_whole() -> None:
    spider = _Spider()
    request = Request(
        "https://example.com/a?b=1",
        method="POST",
        body=b"\x00\xffbody",
        headers={"X-Token": "t", "Accept": ["a", "b"]},
        cookies={"c": "1"},
        meta={"aggregator_start": True, "raw": b"\x01", "chain": ("u1", "u2"), "n": 2.5},
        priority=3,
        dont_filter=True,
        callback=spider.parse_page,
        errback=spider.on_error,
        cb_kwargs={"k": [1, "v"]},
    )
    text = serialize.dumps(request, spider)
    json.loads(text)  # plain JSON
    back = serialize.loads(text, spider)
    assert back.to_dict(spider=spider) == {
        **request.to_dict(spider=spider),
        "meta": {**request.meta, "chain": ["u1", "u2"]},  # JSON has no tuples
    }
    assert back.callback == spider.parse_page and back.errback == spider.on_error


def test_a_request_json_cannot_hold_is_refused_with_its_url() -> None:
    spider = _Spider()
    request = Request("https://example.com/x", meta={"thing": object()})
    with pytest.raises(serialize.Unserializable, match=r"https://example.com/x: cannot go"):
        serialize.dumps(request, spider)
