"""Streaming reader of web-text corpus dumps: JSON Lines (plain or gzip) or one ``.txt`` page.

Yields one ``DumpRecord`` per usable record and one ``BadRecord`` per refused one, in file
order. Lines are read in bounded chunks (at most ``max_record`` bytes, the rest of a longer
line skipped by streaming), so memory stays flat whatever the file or the record size.

What is refused (``BadRecord.reason``), checked in this order:

- ``oversize``: a record (line, or ``.txt`` file) over ``max_record`` bytes;
- ``binary``: a NUL byte or character, or more than 1% control characters (C0 and DEL,
  tab and line breaks aside): not page text;
- ``bad_utf8``: bytes that are not UTF-8 and cannot be read soundly otherwise, or a JSON
  ``\\ud800`` escape with no pair. A record that is not UTF-8 at all but is valid
  Windows-1252 (a page saved in its legacy encoding) is read as such and marked
  ``repaired``; one that mixes UTF-8 with other bytes is ambiguous and refused. Nothing is
  ever decoded with U+FFFD in place of a byte;
- ``bad_json``, ``not_an_object``, ``no_url``, ``no_text``: a line that is not a record with
  a ``url`` and a ``text``; ``unreadable``: a cut-off or corrupt ``.gz`` (the rest is lost).

A refused record carries the URL it named when one could be read (for an oversize, binary
or broken line, from its ``"url"`` key), so that a refused story can be told from noise.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from aggregator.site.urls import SITE, StoryUrl, parse_story_path, url_path
from aggregator.utils.encoding import CONTROL_CHARS, MAX_CONTROL_SHARE, binary_reason

FORMATS = (".jsonl", ".jsonl.gz", ".txt")
# The aggregator's domain: a corpus holds every site's pages, only these are its stories.
SITE_DOMAIN = (urlsplit(SITE).hostname or "").removeprefix("www.")
# The site's root as nearly every story URL of a dump begins: a URL that starts with one is
# the site's (the scheme and host lower case, no port, no user), and only its path is asked.
SITE_ROOTS = tuple(
    f"{scheme}://{host}/"
    for scheme in ("https", "http")
    for host in (f"www.{SITE_DOMAIN}", SITE_DOMAIN)
)
MAX_RECORD = 4 * 1024 * 1024  # AGGREGATOR_DUMPS_MAX_RECORD's default
SKIP_CHUNK = 1024 * 1024  # the rest of an oversize line is read and dropped this much at a time
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SUSPECT = re.compile(f"{CONTROL_CHARS.pattern}|{LONE_SURROGATE.pattern}")
# In a JSON line that passed the byte checks, a control character or half a surrogate pair
# can only come from a \u escape: a quick search of the bytes (a literal prefix) spares the
# costlier scan of the text for nearly every record. A false hint only costs that scan.
ESCAPE_HINT = re.compile(rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|[dD][89a-fA-F])")
# A record's "url" key in raw JSON bytes. Inside a JSON string every quote is escaped, so an
# unescaped `"url"` followed by `:` is a key.
URL_KEY = re.compile(rb'"url"\s*:\s*("(?:[^"\\\n]|\\.){1,4096}")')


@dataclass(frozen=True)
class DumpRecord:
    line: int
    url: str
    text: str
    repaired: str | None = None  # "bad_utf8": the bytes were read as Windows-1252


@dataclass(frozen=True)
class BadRecord:
    line: int
    reason: str  # "oversize", "binary", "bad_utf8", "bad_json", "not_an_object", "no_url", …
    detail: str
    url: str | None = None  # the URL the record named, when it could be read


def dump_format(path: Path) -> str | None:
    name = path.name.lower()
    return next((fmt for fmt in FORMATS if name.endswith(fmt)), None)


def story_url(url: str) -> StoryUrl | None:
    """The parts of ``url`` when it is one of the aggregator's story pages, else None."""
    if url.startswith(SITE_ROOTS):  # nearly every story record of a dump
        return parse_story_path(url_path(url))
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if host != SITE_DOMAIN and not host.endswith(f".{SITE_DOMAIN}"):
        return None
    return parse_story_path(parts.path)


def read_dump(
    path: Path, url: str | None = None, max_record: int = MAX_RECORD
) -> Iterator[DumpRecord | BadRecord]:
    fmt = dump_format(path)
    if fmt == ".txt":
        if not url:
            raise ValueError("a .txt page needs its url")
        yield read_txt(path, url, max_record)
        return
    opener = gzip.open if fmt == ".jsonl.gz" else open
    with opener(path, "rb") as raw:
        number = 0
        try:
            for number, data, size in bounded_lines(raw, max_record):  # type: ignore[arg-type]
                if size > max_record:
                    detail = f"{size:,} bytes (at most {max_record:,})"
                    yield BadRecord(number, "oversize", detail, url_in(data))
                elif data.strip():
                    yield read_line(number, data)
        except (EOFError, OSError, zlib.error) as error:  # a cut-off or corrupt .gz
            yield BadRecord(number + 1, "unreadable", f"{type(error).__name__}: {error}")


def bounded_lines(raw: BinaryIO, max_record: int) -> Iterator[tuple[int, bytes, int]]:
    """(line number, bytes, size) per line ending in "\\n" (the only record separator: a JSON
    string never holds a raw line break). A line over ``max_record`` bytes gives only its
    first ``max_record + 1`` bytes; the rest is skipped chunk by chunk, never held whole."""
    number = 0
    while line := raw.readline(max_record + 1):
        number += 1
        if line.endswith(b"\n"):
            yield number, line, len(line) - 1
            continue
        size = len(line)
        if size > max_record:
            while chunk := raw.readline(SKIP_CHUNK):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    size -= 1
                    break
        yield number, line, size


def read_txt(path: Path, url: str, max_record: int) -> DumpRecord | BadRecord:
    size = path.stat().st_size
    if size > max_record:
        return BadRecord(1, "oversize", f"{size:,} bytes (at most {max_record:,})", url)
    data = path.read_bytes()
    decoded = decode(1, data, url)
    if isinstance(decoded, BadRecord):
        return decoded
    text, repaired = decoded
    return check_text(DumpRecord(1, url, text, repaired))


def read_line(number: int, data: bytes) -> DumpRecord | BadRecord:
    if b"\0" not in data:  # the common path: UTF-8 that parses
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # strict JSON holds no raw control byte: one that parses needs no byte count
            check = b"\\" in data and ESCAPE_HINT.search(data) is not None
            record = parse_line(number, text, check)
            if not (isinstance(record, BadRecord) and record.reason == "bad_json"):
                return record
    # the rest is refused or repaired: binary before bad UTF-8 before bad JSON
    decoded = decode(number, data, None)
    if isinstance(decoded, BadRecord):
        return replace(decoded, url=url_in(data))
    text, repaired = decoded
    record = parse_line(number, text, check=ESCAPE_HINT.search(data) is not None)
    if repaired is not None and isinstance(record, DumpRecord):
        return replace(record, repaired=repaired)
    return record


def decode(number: int, data: bytes, url: str | None) -> tuple[str, str | None] | BadRecord:
    """The text of ``data`` and whether it was repaired, or why it is refused."""
    binary = binary_reason(data)
    if binary is not None:
        return BadRecord(number, "binary", binary, url)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        where = f"invalid UTF-8 at byte {error.start:,} ({data[error.start : error.start + 1]!r})"
    # Sound only when no byte of the record is UTF-8 beyond ASCII: then the whole record is
    # in one single-byte encoding, and Windows-1252 (a superset of Latin-1's letters) is the
    # one web pages were saved in. Mixed with UTF-8, any reading is a guess.
    escaped = data.decode("utf-8", "surrogateescape")
    if any(not "\udc80" <= ch <= "\udcff" for ch in escaped if not ch.isascii()):
        return BadRecord(number, "bad_utf8", f"{where}, mixed with UTF-8", url)
    try:
        return data.decode("cp1252"), "bad_utf8"
    except UnicodeDecodeError:
        return BadRecord(number, "bad_utf8", f"{where}, not Windows-1252 either", url)


def check_text(record: DumpRecord) -> DumpRecord | BadRecord:
    """A record whose text (after JSON escapes) is binary or holds half a UTF-16 pair is
    refused: neither can be written as UTF-8 page text."""
    text = record.text
    if SUSPECT.search(text) is None:  # nearly every record: one scan, then done
        return record
    if "\0" in text:
        return BadRecord(record.line, "binary", "NUL character in text", record.url)
    controls = len(CONTROL_CHARS.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        detail = f"{controls:,} control characters in {len(text):,}"
        return BadRecord(record.line, "binary", detail, record.url)
    surrogate = LONE_SURROGATE.search(text)
    if surrogate is not None:
        detail = (
            f"unpaired surrogate \\u{ord(surrogate.group()):04x} at character {surrogate.start():,}"
        )
        return BadRecord(record.line, "bad_utf8", detail, record.url)
    return record


def url_in(data: bytes) -> str | None:
    """The value of the record's ``"url"`` key, read from its raw bytes (the record itself
    may be too long, binary or not JSON)."""
    match = URL_KEY.search(data)
    if match is None:
        return None
    try:
        value = json.loads(match.group(1).decode("utf-8", "replace"))
    except ValueError:
        return None
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_line(number: int, line: str, check: bool = True) -> DumpRecord | BadRecord:
    """One JSON line; ``check``: look for binary text and unpaired surrogates (read_line
    knows from the bytes when there can be none)."""
    try:
        data = json.loads(line)
    except ValueError as error:
        return BadRecord(number, "bad_json", str(error), url_in(line.encode("utf-8", "replace")))
    if not isinstance(data, dict):
        return BadRecord(number, "not_an_object", type(data).__name__)
    url, text = data.get("url"), data.get("text")
    if not isinstance(url, str) or not url.strip():
        return BadRecord(number, "no_url", "")
    if not isinstance(text, str) or not text.strip():
        return BadRecord(number, "no_text", "no text", url.strip())
    record = DumpRecord(number, url.strip(), text)
    return check_text(record) if check else record
