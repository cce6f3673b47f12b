"""Page objects: one class per page type. Response in, items and URLs out; no requests, no I/O."""

from aggregator.pages.catalog import CatalogPage
from aggregator.pages.challenge import ChallengePage
from aggregator.pages.issue import IssueInfo, IssuePage
from aggregator.pages.page_type import PageType, detect_page_type, markup_page_type, url_page_type
from aggregator.pages.publication import IssueLink, PublicationPage
from aggregator.pages.story.page import StoryPage

__all__ = [
    "CatalogPage",
    "ChallengePage",
    "IssueInfo",
    "IssueLink",
    "IssuePage",
    "PageType",
    "PublicationPage",
    "StoryPage",
    "detect_page_type",
    "markup_page_type",
    "url_page_type",
]
