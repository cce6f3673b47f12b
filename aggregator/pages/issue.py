"""An issue page: the issue's facts, its table of contents (teaser cards), the previous issue."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from scrapy.http import TextResponse

from aggregator.items import Teaser
from aggregator.pages.cards import contract_cards, read_cards
from aggregator.pages.jsonld import jsonld_of_type
from aggregator.pages.select import element_text, page_index, select_in, with_class
from aggregator.site.dates import issue_date
from aggregator.site.links import resolve_link

ISSUE_CARDS = contract_cards("section.issue-toc")
STORY_LINKS = f"{ISSUE_CARDS.card} {ISSUE_CARDS.link}"


@dataclass(frozen=True)
class IssueInfo:
    url: str
    publication: str | None
    issue_date: str | None
    issue_label: str | None
    category: str | None


class IssuePage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response

    def info(self) -> IssueInfo:
        return self._info

    @cached_property
    def _info(self) -> IssueInfo:
        # read once per page (the spider asks, and so do the teasers): ``.issue-head`` is a
        # class anywhere in the page, the dearest kind of query (see ``with_class``)
        head = with_class(self.response.selector.root, "issue-head")
        time = select_in(head, "time.issue-date")
        label = element_text(*time)
        ld = jsonld_of_type(self.response.selector, "PublicationIssue") or {}
        periodical = ld.get("isPartOf") if isinstance(ld.get("isPartOf"), dict) else {}
        iso = (time[0].get("datetime") if time else None) or ld.get("datePublished")
        return IssueInfo(
            url=self.response.url,
            publication=element_text(*select_in(head, ".issue-magazine"))
            or (periodical or {}).get("name"),
            issue_date=issue_date(iso, label),
            issue_label=label,
            category=element_text(*select_in(head, ".issue-category")),
        )

    def teasers(self) -> list[Teaser]:
        return read_cards(self.response, ISSUE_CARDS, self.info().publication)

    def story_urls(self) -> list[str]:
        # the card links from the page's one walk (``PageIndex``, which the cards are read
        # from too): ``section.issue-toc li.story-card a.card-link::attr(href)``
        links = page_index(self.response.selector.root).select(STORY_LINKS)
        hrefs = (link.get("href") for link in links)
        urls = (resolve_link(self.response, href) for href in hrefs if href is not None)
        return [url for url in urls if url]

    def previous_issue_url(self) -> str | None:
        href = self.response.css("nav.issue-nav a[rel~=prev]::attr(href)").get()
        return resolve_link(self.response, href)
