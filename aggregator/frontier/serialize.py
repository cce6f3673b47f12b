"""Requests in the frontier: Scrapy's ``Request.to_dict`` as JSON (read back by
``request_from_dict``), never pickle.

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


def _method_name(spider: Spider, function: Any) -> Any:
    """The name of the spider's method ``function`` is, as ``to_dict(spider=…)`` finds it.
    Scrapy looks through every member of the spider (``inspect.getmembers``, about 0.1 ms a
    call); a bound method of the spider names itself, checked against the spider."""
    if function is None or not callable(function):
        return function
    name = getattr(getattr(function, "__func__", None), "__name__", None)
    if getattr(function, "__self__", None) is spider and name is not None:
        found = getattr(spider, name, None)
        if getattr(found, "__func__", None) is function.__func__:
            return name
    return Request("data:,", callback=function).to_dict(spider=spider)["callback"]


def dumps(request: Request, spider: Spider) -> str:
    try:
        # Request.to_dict(spider=…), with the callables named the quick way
        data: dict[str, Any] = {
            "url": request.url,
            "callback": _method_name(spider, request.callback),
            "errback": _method_name(spider, request.errback),
            "headers": dict(request.headers),
        }
        for attribute in request.attributes:
            data.setdefault(attribute, getattr(request, attribute))
        if type(request) is not Request:
            data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
        return json.dumps(_encode(data), separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise Unserializable(f"{request.url}: cannot go to the frontier ({error})") from None


def loads(text: str | bytes, spider: Spider) -> Request:
    return request_from_dict(_decode(json.loads(text)), spider=spider)
