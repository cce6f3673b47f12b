"""A story page: ``StoryPage`` (page.py) reads it along three paths: JSON-LD (jsonld.py), a
known layout (layouts.py, one class per layout) and a generic fallback (generic.py)."""

from aggregator.pages.story.fields import StoryFields
from aggregator.pages.story.generic import GenericPath
from aggregator.pages.story.jsonld import JsonLdPath
from aggregator.pages.story.layouts import LAYOUTS, ClassicLayout, Gold2025Layout, ReaderLayout
from aggregator.pages.story.page import StoryPage

__all__ = [
    "LAYOUTS",
    "ClassicLayout",
    "GenericPath",
    "Gold2025Layout",
    "JsonLdPath",
    "ReaderLayout",
    "StoryFields",
    "StoryPage",
]
