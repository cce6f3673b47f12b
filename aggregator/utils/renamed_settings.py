"""Settings renamed to the one pattern (``AGGREGATOR_<AREA>_<WHAT>``, booleans ``…_ENABLED``):
an old name keeps working, with a deprecation warning naming the new one.

``apply_renames(settings)`` moves a value set under an old name to the new name (at the
priority it was set with, unless the new name was set at a higher one) and removes the old
name, so that it warns once. It runs wherever settings are read before a crawler exists:
``scrapy crawl`` and ``scrapy parse`` call it before their checks, the spiders call it in
``from_crawler`` (Scrapy makes the spider before it loads add-ons), and the ``RenamedSettings``
add-on (``ADDONS``) runs it for every other crawler (scrapyd, ``CrawlerProcess``).
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings

# old name -> new name
RENAMED: dict[str, str] = {
    "AGGREGATOR_DEFAULT_START": "AGGREGATOR_START_DEFAULT",
    "AGGREGATOR_LOCAL_FAST": "AGGREGATOR_LOCAL_FAST_ENABLED",
    "AGGREGATOR_DETECT_LANGUAGE": "AGGREGATOR_LANGUAGE_DETECT_ENABLED",
    "AGGREGATOR_PROMPT_LANGUAGES": "AGGREGATOR_PROMPTS_LANGUAGES",
    "AGGREGATOR_HEALTH": "AGGREGATOR_HEALTH_ENABLED",
}


class SettingRenamedWarning(ScrapyDeprecationWarning):
    """A setting was given under its old name."""


def apply_renames(settings: BaseSettings) -> list[str]:
    """Move every old name's value to its new name; the old names found."""
    found = []
    for old, new in RENAMED.items():
        priority = settings.getpriority(old)
        if priority is None:
            continue
        found.append(old)
        warnings.warn(
            f"the setting {old} is deprecated: use {new}", SettingRenamedWarning, stacklevel=2
        )
        if priority >= (settings.getpriority(new) or 0):
            settings.set(new, settings[old], priority=priority)
        if not settings.frozen:
            del settings[old]
    return found


class RenamedSettings:
    """The add-on (``ADDONS``) that applies the renames to a crawler's settings."""

    def update_settings(self, settings: BaseSettings) -> None:
        apply_renames(settings)
