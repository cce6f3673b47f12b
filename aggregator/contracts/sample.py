"""``@sample PATH``: the callback is checked on ``samples/PATH``, a page of the project's mirror.

Scrapy's ``@url`` needs an absolute URL in the docstring; a mirror page's ``file://`` URL
depends on where the checkout lies, so this contract makes it when ``scrapy check`` runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy.contracts import Contract

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


class SampleContract(Contract):
    name = "sample"

    def adjust_request_args(self, args: dict[str, Any]) -> dict[str, Any]:
        if len(self.args) != 1:
            raise ValueError(f"@sample takes one path under samples/, got {self.args!r}")
        page = SAMPLES / self.args[0]
        if not page.is_file():
            raise ValueError(f"@sample {self.args[0]}: no such page in {SAMPLES}")
        args["url"] = page.as_uri()
        return args
