"""Feed URI parameters: ``%(output_dir)s`` in ``FEEDS`` comes from the ``OUTPUT_DIR`` setting."""

from __future__ import annotations

from typing import Any

from scrapy import Spider


def uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    output_dir = str(spider.settings.get("OUTPUT_DIR") or "output").rstrip("/") or "/"
    return {**params, "output_dir": output_dir}
