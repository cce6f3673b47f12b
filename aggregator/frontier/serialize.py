"""Requests in the frontier: Scrapy's ``Request.to_dict`` as JSON (read back by
``request_from_dict``), never pickle; compact: an attribute at Scrapy's default (GET, no
body, no headers, priority 0, ...) is left out, and ``Request(**kwargs)`` gives it back. A
story request is its URL and two method names; written whole and decoded in full, the JSON
and the walk over it cost more than the rest of its scheduling (BENCHMARKS.md).

JSON has no bytes: a body, a header and any bytes in ``meta`` are written as
``{"$bytes": "<base64>"}``, a dict with bytes keys (the headers) as ``{"$pairs": [[k, v]…]}``,
and tuples as lists. The callback and errback are the spider's
method names (``to_dict(spider=…)``), so any worker of the same spider reads
the request back; a value JSON cannot hold (an object in ``meta``) is refused with the
request named, rather than lost on the way.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from scrapy import Spider
from scrapy.http import Request
from scrapy.utils.request import request_from_dict

BYTES = "$bytes"
PAIRS = "$pairs"  # a dict with bytes keys (the headers): its items as pairs


class Unserializable(TypeError):
    """A request that cannot go to the frontier (a value JSON cannot hold)."""


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {PAIRS: [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and BYTES in value:
            return base64.b64decode(value[BYTES])
        if len(value) == 1 and PAIRS in value:
            return {_decode(key): _decode(item) for key, item in value[PAIRS]}
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


# (spider class, function) -> the method's name, checked once: a crawl's requests name the
# same two or three methods
_NAMES: dict[tuple[type, Any], str] = {}
_ENCODER = json.JSONEncoder(separators=(",", ":"))  # one, not one a call of json.dumps
_DECODER = json.JSONDecoder()


def _method_name(spider: Spider, function: Any) -> Any:
    """The name of the spider's method ``function`` is, as ``to_dict(spider=…)`` finds it.
    Scrapy looks through every member of the spider (``inspect.getmembers``) each call; a
    bound method of the spider names itself, checked against the spider's class once."""
    if function is None or not callable(function):
        return function
    func = getattr(function, "__func__", None)
    if func is not None and getattr(function, "__self__", None) is spider:
        key = (type(spider), func)
        known = _NAMES.get(key)
        if known is not None:
            return known
        name = getattr(func, "__name__", None)
        if name is not None and getattr(getattr(spider, name, None), "__func__", None) is func:
            _NAMES[key] = name
            return name
    return Request("data:,", callback=function).to_dict(spider=spider)["callback"]


# Request.__init__'s defaults: an attribute equal to its default is not written
DEFAULTS: dict[str, Any] = {
    "method": "GET",
    "body": b"",
    "encoding": "utf-8",
    "priority": 0,
    "dont_filter": False,
}
# written out by to_dict as {} or [] when empty; left out then
EMPTY_BY_DEFAULT = ("headers", "cookies", "meta", "flags", "cb_kwargs")
KNOWN = {"url", "callback", "errback", *DEFAULTS, *EMPTY_BY_DEFAULT}


def dumps(request: Request, spider: Spider) -> str:
    try:
        # Request.to_dict(spider=…), with the callables named the quick way, defaults left out
        data: dict[str, Any] = {"url": request.url}
        if request.callback is not None:
            data["callback"] = _method_name(spider, request.callback)
        if request.errback is not None:
            data["errback"] = _method_name(spider, request.errback)
        for attribute, default in DEFAULTS.items():
            value = getattr(request, attribute)
            if value != default or type(value) is not type(default):
                data[attribute] = _encode(value)
        for attribute in EMPTY_BY_DEFAULT:
            value = getattr(request, attribute)
            if value:
                data[attribute] = _encode(dict(value) if attribute == "headers" else value)
        for attribute in request.attributes:  # a subclass's own (FormRequest's none, ...)
            if attribute not in KNOWN:
                data[attribute] = _encode(getattr(request, attribute))
        if type(request) is not Request:
            data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        return _ENCODER.encode(data)
    except (TypeError, ValueError) as error:
        raise Unserializable(f"{request.url}: cannot go to the frontier ({error})") from None


# Keys a plain ``Request``'s JSON may hold that ``loads`` takes the quick way (``_rebuild``);
# any other (a subclass's ``_class``, an attribute of its own) goes through Scrapy's
# ``request_from_dict``, as before.
QUICK = frozenset({"url", "callback", "errback", *DEFAULTS, *EMPTY_BY_DEFAULT})
VERBATIM = "verbatim_url"  # Scrapy's meta key: the URL is taken as it is, not made safe again


def loads(text: str | bytes, spider: Spider) -> Request:
    # (the decoder itself: ``json.loads`` of bytes first guesses their encoding, in Python;
    # the JSON is ``_ENCODER``'s, ASCII)
    data = _DECODER.decode(text if isinstance(text, str) else text.decode())
    if not isinstance(data, dict):
        raise ValueError("not a request")
    # the url and method names are plain strings: only the other values are walked
    decoded = {
        key: value if key in ("url", "callback", "errback") else _decode(value)
        for key, value in data.items()
    }
    if decoded.keys() <= QUICK:
        return _rebuild(decoded, spider)
    return request_from_dict(decoded, spider=spider)


def _method(spider: Spider, name: Any) -> Any:
    """The spider's method ``name`` (as ``request_from_dict`` resolves it)."""
    if not name:
        return None
    try:
        return getattr(spider, str(name))
    except AttributeError:
        raise ValueError(f"Method {name!r} not found in: {spider}") from None


def _rebuild(data: dict[str, Any], spider: Spider) -> Request:
    """``request_from_dict(data, spider=spider)`` for a plain ``Request``, without making its
    URL safe a second time. The URL in the JSON is ``request.url``, which ``Request`` already
    made safe (``w3lib.url.safe_url_string``: "calling this function on an already safe URL
    returns the URL unmodified"), or took verbatim when its meta said so; that second pass
    was half the cost of reading a request back. ``verbatim_url`` is set in the meta only
    while the request is built (``Request`` reads it then) and taken out at once: the
    request's fingerprint and download see the meta it was queued with."""
    meta = data.get("meta") or {}
    verbatim = VERBATIM in meta
    kwargs = {key: value for key, value in data.items() if key not in ("callback", "errback")}
    kwargs["meta"] = meta if verbatim else {**meta, VERBATIM: True}
    request = Request(
        callback=_method(spider, data.get("callback")),
        errback=_method(spider, data.get("errback")),
        **kwargs,
    )
    if not verbatim:
        del request.meta[VERBATIM]
    return request
