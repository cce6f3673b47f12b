"""The compact JSON of a request: what is at Scrapy's default is left out, and read back the
request is the same as Scrapy's own ``to_dict`` says."""

from __future__ import annotations

import json

from scrapy import Spider
from scrapy.http import FormRequest, Request

from aggregator.frontier import serialize


class _Spider(Spider):
    name = "compact"

    def parse_page(self, response: object) -> None: ...

    def on_error(self, failure: object) -> None: ...


def test_a_plain_request_is_its_url_and_method_names() -> None:
    spider = _Spider()
    request = Request(
        "https://example.com/s/1", callback=spider.parse_page, errback=spider.on_error
    )
    text = serialize.dumps(request, spider)
    assert json.loads(text) == {
        "url": "https://example.com/s/1",
        "callback": "parse_page",
        "errback": "on_error",
    }
    back = serialize.loads(text, spider)
    assert back.to_dict(spider=spider) == request.to_dict(spider=spider)
    assert type(back) is Request


def test_a_value_at_odds_with_the_default_is_kept() -> None:
    spider = _Spider()
    request = Request("https://example.com/s/2", priority=-1, encoding="latin-1", flags=["x"])
    back = serialize.loads(serialize.dumps(request, spider), spider)
    assert (back.priority, back.encoding, back.flags) == (-1, "latin-1", ["x"])
    assert back.callback is None and back.errback is None


def test_a_subclass_comes_back_as_itself() -> None:
    spider = _Spider()
    request = FormRequest("https://example.com/f", formdata={"q": "é"}, callback=spider.parse_page)
    back = serialize.loads(serialize.dumps(request, spider), spider)
    assert type(back) is FormRequest
    assert back.to_dict(spider=spider) == request.to_dict(spider=spider)
