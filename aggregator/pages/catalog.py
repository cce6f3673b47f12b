"""The catalog page: the list of publications."""

from __future__ import annotations

from scrapy.http import TextResponse

from aggregator.site.links import resolve_link


class CatalogPage:
    def __init__(self, response: TextResponse) -> None:
        self.response = response

    def publication_urls(self) -> list[str]:
        hrefs = self.response.css("ul.magazine-list a.magazine-link::attr(href)").getall()
        urls = (resolve_link(self.response, href) for href in hrefs)
        return [url for url in urls if url]
