"""The closing stats as JSON, for schedulers and monitoring: ``AGGREGATOR_STATS_FILE``.

Off when the setting is empty; ``%(output_dir)s`` in it is ``OUTPUT_DIR``. Written by
the publish extension (``aggregator.extensions.publish``) once the engine has stopped, after
the feeds are published and the verdict and summary are in the stats, and before the summary
is logged (the run's last line). The file is written beside its name and moved into place: a
reader never sees half.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from aggregator.feeds.names import output_dir

logger = logging.getLogger(__name__)


def stats_file(settings: BaseSettings) -> Path | None:
    """Where the stats go, or None when the setting is off."""
    template = settings.get("AGGREGATOR_STATS_FILE")
    if not template:
        return None
    return Path(str(template) % {"output_dir": output_dir(settings)})


def write_stats(path: Path, stats: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
    partial.write_text(
        json.dumps(stats, default=_json_default, indent=1, sort_keys=True), encoding="utf-8"
    )
    os.replace(partial, path)
    logger.debug("Stats written to %s", path)


def _json_default(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
