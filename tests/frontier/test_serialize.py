"""The compact JSON of a request: what is at Scrapy's default is left out, and read back the
request is the same as Scrapy's own ``to_dict`` says."""

from __future__ import annotations

import json

import pytest
from scrapy import Spider
from scrapy.http import FormRequest, Request
from scrapy.utils.request import request_from_dict

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


# URLs that ``Request`` changes when it makes them safe (non-ASCII path and query, an IDN
# host, a space, a bare "%", a fragment), and one verbatim: read back the quick way, each is
# the URL the queued request had, as Scrapy's ``request_from_dict`` gives it
AWKWARD_URLS = [
    "https://example.com/stories/café/Ünïcode?q=ä b&x=1#part",
    "https://bücher.example/s/1",
    "https://example.com/a b/100%/%7Euser",
    "HTTP://Example.COM:443/s/%e2%82%ac?q=%zz",
]


def test_a_request_read_back_is_the_one_request_from_dict_gives() -> None:
    spider = _Spider()
    requests = [
        Request(url, callback=spider.parse_page, errback=spider.on_error) for url in AWKWARD_URLS
    ] + [
        Request(
            "https://example.com/s/3",
            method="POST",
            body=b"\x00\xff",
            headers={"X-A": ["1", "2"]},
            cookies={"c": "v"},
            meta={"story": 3, "raw": b"\x01"},
            cb_kwargs={"n": 3},
            priority=1,
            dont_filter=True,
            flags=["f"],
        ),
        Request("https://example.com/a b/é", meta={"verbatim_url": True}),
    ]
    for request in requests:
        text = serialize.dumps(request, spider)
        back = serialize.loads(text, spider)
        data = json.loads(text)
        scrapy_back = request_from_dict(
            {key: serialize._decode(value) for key, value in data.items()}, spider=spider
        )
        assert back.url == request.url == scrapy_back.url
        assert back.to_dict(spider=spider) == scrapy_back.to_dict(spider=spider)
        assert back.to_dict(spider=spider) == request.to_dict(spider=spider)
        assert type(back) is Request


def test_the_verbatim_flag_of_the_rebuild_is_not_left_in_the_meta() -> None:
    spider = _Spider()
    plain = serialize.loads(serialize.dumps(Request("https://example.com/é"), spider), spider)
    assert "verbatim_url" not in plain.meta
    assert plain.url == "https://example.com/%C3%A9"
    kept = Request("https://example.com/é", meta={"verbatim_url": True})
    back = serialize.loads(serialize.dumps(kept, spider), spider)
    assert back.meta == {"verbatim_url": True}
    assert back.url == "https://example.com/é"


def test_a_method_the_spider_has_not_is_named() -> None:
    spider = _Spider()
    text = json.dumps({"url": "https://example.com/s/4", "callback": "parse_gone"})
    with pytest.raises(ValueError, match="parse_gone"):
        serialize.loads(text, spider)
