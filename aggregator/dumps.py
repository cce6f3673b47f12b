"""Streaming reader of web-text corpus dumps: JSON Lines (plain or gzip) or one ``.txt`` page.

Yields one ``DumpRecord`` per usable record and one ``BadRecord`` per malformed line, in
file order, reading one line at a time: memory stays flat whatever the file size.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.urls import SITE, StoryUrl, parse_story_url

FORMATS = (".jsonl", ".jsonl.gz", ".txt")
# The aggregator's domain: a corpus holds every site's pages, only these are its stories.
SITE_DOMAIN = (urlsplit(SITE).hostname or "").removeprefix("www.")


@dataclass(frozen=True)
class DumpRecord:
    line: int
    url: str
    text: str


@dataclass(frozen=True)
class BadRecord:
    line: int
    reason: str  # "bad_json", "not_an_object", "no_url", "no_text", "unreadable"
    detail: str


def dump_format(path: Path) -> str | None:
    name = path.name.lower()
    return next((fmt for fmt in FORMATS if name.endswith(fmt)), None)


def story_url(url: str) -> StoryUrl | None:
    """The parts of ``url`` when it is one of the aggregator's story pages, else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if host != SITE_DOMAIN and not host.endswith(f".{SITE_DOMAIN}"):
        return None
    return parse_story_url(url)


def read_dump(path: Path, url: str | None = None) -> Iterator[DumpRecord | BadRecord]:
    fmt = dump_format(path)
    if fmt == ".txt":
        if not url:
            raise ValueError("a .txt page needs its url")
        yield DumpRecord(1, url, path.read_text(encoding="utf-8", errors="replace"))
        return
    opener = gzip.open if fmt == ".jsonl.gz" else open
    with opener(path, "rb") as raw:
        # records end at "\n" only: a JSON string never holds a raw line break
        stream = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
        number = 0
        try:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    yield parse_line(number, line)
        except (EOFError, OSError, zlib.error) as error:  # a cut-off or corrupt .gz
            yield BadRecord(number + 1, "unreadable", f"{type(error).__name__}: {error}")


def parse_line(number: int, line: str) -> DumpRecord | BadRecord:
    try:
        data = json.loads(line)
    except ValueError as error:
        return BadRecord(number, "bad_json", str(error))
    if not isinstance(data, dict):
        return BadRecord(number, "not_an_object", type(data).__name__)
    url, text = data.get("url"), data.get("text")
    if not isinstance(url, str) or not url.strip():
        return BadRecord(number, "no_url", "")
    if not isinstance(text, str) or not text.strip():
        return BadRecord(number, "no_text", url)
    return DumpRecord(number, url.strip(), text)
