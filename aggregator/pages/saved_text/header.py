"""The header of a saved page text: title, publication, edition date, standfirst, byline.

classic  Title / Publication|Date / standfirst / byline (/ Title again)
2025     Title / Publication / |Date / standfirst / - Byline (/ Title again)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aggregator.pages.bylines import BY, DASH_BYLINE, looks_like_byline
from aggregator.pages.saved_text.base import PageText
from aggregator.prompts.shapes import BAR_DATE_LINE, SOURCE_LINE
from aggregator.site.dates import LABEL

DATE_LINE = re.compile(LABEL)


# How far below the top interface lines (banner, button) a header's title may begin.
HEADER_REACH = 3


@dataclass
class Header:
    shape: str  # "classic", "2025" or "none"
    end: int  # index of the first line after the header
    title: str | None = None
    publication: str | None = None
    issue_label: str | None = None
    standfirst: str | None = None
    byline: str | None = None


class HeaderReading(PageText):
    """Finds the header; ``SavedTextPage`` sets ``self.header`` from ``_header()``."""

    header: Header

    def _header(self) -> Header:
        """The header, at the top or under the top interface lines (banner, button):

        classic  Title / Publication|Date / standfirst / byline (/ Title again)
        2025     Title / Publication / |Date / standfirst / - Byline (/ Title again)

        Its source line (``Publication|Date``, ``|Date``) finds it; the title is the line
        above (the line above the publication in 2025), never an interface line. Dumps that
        put a blank line between elements break the source line after its bar (``|`` /
        ``Date``, ``Publication|`` / ``Date``): a line ending in a bar and a date line next
        are read as one.
        """
        top = self._first_open(0)
        if top is None:
            return Header("none", len(self.lines))
        for date_at in range(top + 1, min(top + HEADER_REACH + 2, len(self.lines))):
            if not self._plain(date_at):
                break
            line = self.lines[date_at]
            if "|" not in line:  # both source-line shapes hold one; the regexes cost more
                continue
            end = date_at + 1
            if line.endswith("|") and self._plain(end) and DATE_LINE.fullmatch(self.lines[end]):
                line, end = line + self.lines[end], end + 1  # the source line broken up
            bar = BAR_DATE_LINE.match(line)
            if bar is not None and date_at - 2 >= top and self._plain(date_at - 2, date_at - 1):
                title = self.lines[date_at - 2]
                header = Header("2025", end, title, self.lines[date_at - 1], bar["date"])
                return self._header_tail(header)
            source = SOURCE_LINE.match(line)
            if source is not None and self._plain(date_at - 1):
                title = self.lines[date_at - 1]
                header = Header("classic", end, title, source["pub"], source["date"])
                return self._header_tail(header)
        return Header("none", top)

    def _header_tail(self, header: Header) -> Header:
        """Standfirst, byline and the title printed again, after the source line."""
        index = header.end
        for _ in range(3):
            if not self._plain(index):
                break
            line = self.lines[index]
            if line == header.title:
                index += 1
                break
            if header.byline is None and (BY.match(line) or DASH_BYLINE.match(line)):
                if len(line.split()) > 8:
                    break
                header.byline = line
            elif header.standfirst is None and header.byline is None:
                header.standfirst = line
            elif (
                header.byline is None
                and looks_like_byline(line)
                and self._plain(index + 1)
                and self.lines[index + 1] == header.title
            ):
                header.byline = line
            else:
                break
            index += 1
        header.end = index
        # classic, no title again: a short name line after the standfirst is the byline
        if (
            header.shape == "classic"
            and header.byline is None
            and header.standfirst is not None
            and self._plain(index)
            and looks_like_byline(self.lines[index])
        ):
            header.byline, header.end = self.lines[index], index + 1
        return header

    def _top_preview_marks(self) -> bool:
        """A price banner above the header: what the page shows a reader who has no
        subscription (the HTML layouts' ``.price-banner``). The prompt and banner lines in
        the body make a preview too: the prompt stage derives that, for both sources."""
        top = self._first_open(0)
        end = len(self.lines) if top is None else top
        return any(self._kind(i) == "price_banner" for i in range(end))

    @property
    def header_shape(self) -> str:
        return self.header.shape
