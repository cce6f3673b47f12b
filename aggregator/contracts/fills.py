"""``@fills TYPE FIELD…``: every item of ``TYPE`` (``article``, ``teaser``) the callback returns
has each ``FIELD`` filled (not None, not empty), and it returns at least one such item.

Scrapy's ``@scrapes`` only asks that a field exists, which a dataclass item's fields always
do: a selector that stops matching leaves the field None, and only this contract sees it.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy.contracts import Contract
from scrapy.exceptions import ContractFail


class FillsContract(Contract):
    name = "fills"

    def post_process(self, output: list[Any]) -> None:
        if len(self.args) < 2:
            raise ValueError(f"@fills takes a type and field names, got {self.args!r}")
        kind, *names = self.args
        items = [ItemAdapter(x) for x in output if is_item(x)]
        typed = [item for item in items if item.get("type") == kind]
        if not typed:
            raise ContractFail(f"no {kind} returned")
        for item in typed:
            empty = [name for name in names if item.get(name) in (None, "", [])]
            if empty:
                raise ContractFail(f"{kind} {item.get('id')} has empty: {', '.join(empty)}")
