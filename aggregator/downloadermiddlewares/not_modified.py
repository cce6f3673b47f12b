"""``NotModifiedPagesMiddleware`` (on with ``AGGREGATOR_STATE``): a catalog or publication page
asked conditionally (``aggregator.spidermiddlewares.incremental``) and answered ``304`` is read
again from the text a published run kept (``aggregator.state.freshness.Freshness.page_text``):
the spider follows its links as if the server had sent it, and the skips decide what is
fetched. Counted as ``aggregator/state/not_modified_pages``. A ``304`` for a page the ledger
holds no text of (it cannot happen unless the state file was edited) goes on as it came, and
the spider names the page not read.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse, Request, Response

from aggregator.accounting.stories import first_url
from aggregator.state.component import StateComponent

NOT_MODIFIED = 304
PAGE_META = "aggregator_state_page"  # set on the conditional requests for such pages
REPLAYED = "not_modified"  # the flag of a page read again from the ledger


class NotModifiedPagesMiddleware(StateComponent):
    def process_response(self, request: Request, response: Response) -> Response:
        freshness = self.freshness
        if freshness is None or response.status != NOT_MODIFIED or not request.meta.get(PAGE_META):
            return response
        text = freshness.page_text(first_url(request))
        if text is None:
            return response
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/state/not_modified_pages")
        headers = {"Content-Type": "text/html; charset=utf-8"}
        for header, asked in (("ETag", "If-None-Match"), ("Last-Modified", "If-Modified-Since")):
            value = response.headers.get(header) or request.headers.get(asked)
            if value:
                headers[header] = value.decode("latin-1")
        return HtmlResponse(
            url=response.url,
            status=200,
            headers=headers,
            body=text.encode("utf-8"),
            encoding="utf-8",
            request=request,
            flags=[*response.flags, REPLAYED],
        )
