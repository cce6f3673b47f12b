"""``ItemFields``: the part of ``ItemAdapter`` the item stages use, at attribute cost.

Every stage used to wrap each item in a new ``ItemAdapter``: finding the adapter class and
reading the dataclass's fields again on every call (``field_names()`` runs
``dataclasses.fields``), five times an item. For a dataclass item (``Article``, ``Teaser``)
``ItemFields`` reads and sets attributes directly, its field names looked up once per class;
any other item (a dict, a Scrapy ``Item``) goes through ``ItemAdapter`` as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from functools import cache
from typing import Any

from itemadapter import ItemAdapter


@cache
def _dataclass_fields(cls: Any) -> tuple[tuple[str, ...], frozenset[str]] | None:
    if not dataclasses.is_dataclass(cls):
        return None
    names = tuple(f.name for f in dataclasses.fields(cls))
    return names, frozenset(names)


class ItemFields:
    __slots__ = ("_adapter", "_names", "_set", "item")

    def __init__(self, item: Any) -> None:
        self.item = item
        kind: Any = type(item)
        known = _dataclass_fields(kind)
        self._adapter = ItemAdapter(item) if known is None else None
        self._names, self._set = known or ((), frozenset())

    def field_names(self) -> Collection[str]:
        if self._adapter is not None:
            return self._adapter.field_names()
        return self._names

    def get(self, name: str, default: Any = None) -> Any:
        if self._adapter is not None:
            return self._adapter.get(name, default)
        return getattr(self.item, name, default) if name in self._set else default

    def __contains__(self, name: object) -> bool:
        if self._adapter is not None:
            return name in self._adapter
        return name in self._set

    def __setitem__(self, name: str, value: Any) -> None:
        if self._adapter is not None:
            self._adapter[name] = value
        elif name in self._set:
            setattr(self.item, name, value)
        else:
            raise KeyError(f"{type(self.item).__name__} does not support field: {name}")
