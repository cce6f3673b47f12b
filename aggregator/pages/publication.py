"""A publication page: its archive of issues, newest first, paginated."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import TextResponse

from aggregator.pages.select import text_of
from aggregator.site.dates import issue_date
from aggregator.site.links import resolve_link


@dataclass(frozen=True)
class IssueLink:
    url: str
    issue_date: str | None


class PublicationPage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response

    @property
    def name(self) -> str | None:
        return text_of(self.response.css("h1.magazine-name"))

    def issue_links(self) -> list[IssueLink]:
        links = []
        for anchor in self.response.css("ul.issue-list a.issue-link"):
            url = resolve_link(self.response, anchor.attrib.get("href"))
            if url is None:
                continue
            time = anchor.css("time")
            links.append(
                IssueLink(
                    url=url,
                    issue_date=issue_date(time.attrib.get("datetime"), text_of(time)),
                )
            )
        return links

    def next_page_url(self) -> str | None:
        href = self.response.css("nav.pagination a[rel~=next]::attr(href)").get()
        return resolve_link(self.response, href)
