"""Streaming reader of WARC and WET files (ISO 28500), gzip-compressed or not.

Yields one ``WarcRecord`` per record the caller keeps and one ``BrokenRecord`` per record
that cannot be read, in file order; the others are only counted (``skipped``, by the reason
``select`` gives). A record is kept or skipped on its WARC headers alone (type, target URI):
a skipped record's block is never held, only inflated as far as the gzip format requires to
find the next record.

Framing is ours (aggregator/corpus/sources.py), not FastWARC's or warcio's (BENCHMARKS.md,
"Corpus shards"):
both give a record's start offset but not its gzip member's end, so neither can tell a
truncated final member (FastWARC 2.0 ends the iteration silently) nor stop a declared
length that runs into the next record (both read on into it). Here a gzip member is
inflated with its own ``decompressobj``: its end is exact, a broken member is refused and
named, and reading resumes at the next member that starts a WARC record.

Refused (``BrokenRecord.reason``):

- ``truncated_gzip``: the file ends inside a gzip member (a cut-off download);
- ``corrupt_gzip``: bytes that do not inflate (reading resumes at the next record);
- ``bad_header``: no ``WARC/`` version line, a header line without ``:``, a header over
  ``MAX_HEADER`` bytes, or no usable ``Content-Length``;
- ``length_past_end``: a block shorter than its ``Content-Length`` (the member or file
  ends first);
- ``oversize``: a kept record whose block is over ``max_record`` bytes.

A refused record carries its target URI when its header got that far, so that a refused
story can be told from noise. Memory holds one chunk of input and one kept block.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from aggregator.corpus.sources import (
    GZIP_MAGIC,
    INFLATE_ERRORS,
    MAX_HEADER,
    GzipSource,
    PlainSource,
    Truncated,
)

# select(record type, target URI) -> None to keep the record, else the reason to skip it
Select = Callable[[str, "str | None"], "str | None"]


@dataclass(frozen=True, slots=True)
class WarcRecord:
    offset: int  # of its gzip member (or of its version line in a plain file)
    type: str  # "response", "conversion", …
    url: str
    date: str | None  # WARC-Date as written
    block: bytes  # the record's content: the HTTP response, or the converted text


@dataclass(frozen=True, slots=True)
class BrokenRecord:
    offset: int
    reason: str
    detail: str
    url: str | None = None


class BadHeader(Exception):
    pass


def _header(source: PlainSource | GzipSource, lines: list[bytes]) -> dict[str, str]:
    """The record's header fields (names in lower case); its lines are kept in ``lines``
    as they are read, for the URL of a header that turns out bad."""
    if isinstance(source, GzipSource):
        block = source.header_block()
        if block is not None:  # the common case: the whole header at once
            lines.extend(line + b"\r\n" for line in block.split(b"\r\n"))
            return _fields(lines)
    first = source.readline()
    lines.append(first)
    if not first.startswith(b"WARC/"):
        raise BadHeader(f"no WARC version line (found {first[:40]!r})")
    size = len(first)
    while True:
        line = source.readline()
        size += len(line)
        if size > MAX_HEADER:
            raise BadHeader(f"header over {MAX_HEADER:,} bytes")
        if not line:
            raise BadHeader("the header does not end")
        if not line.rstrip(b"\r\n"):
            return _fields(lines)
        lines.append(line)


def _fields(lines: list[bytes]) -> dict[str, str]:
    if not lines[0].startswith(b"WARC/"):
        raise BadHeader(f"no WARC version line (found {lines[0][:40]!r})")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        text = line.rstrip(b"\r\n")
        if text[:1] in b" \t" and fields:  # a folded line continues the previous value
            continue
        name, colon, value = text.partition(b":")
        if not colon or not name.strip():
            raise BadHeader(f"header line without a name and ':' ({text[:60]!r})")
        fields[name.strip().decode("latin-1").lower()] = value.strip().decode("utf-8", "replace")
    return fields


def _salvaged_url(lines: list[bytes]) -> str | None:
    """The target URI a partly read header named, if any."""
    for line in lines:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"warc-target-uri" and value.strip():
            return value.strip().decode("utf-8", "replace").strip("<>")
    return None


def _rest_of_header(source: PlainSource | GzipSource, lines: list[bytes]) -> list[bytes]:
    """``lines`` and the header lines after them (a bad line may come before the URI). In a
    plain file, lines after a missing version line are the next record's: not read."""
    if isinstance(source, PlainSource) and not (lines and lines[0].startswith(b"WARC/")):
        return lines
    size = sum(map(len, lines))
    try:
        while size < MAX_HEADER and (line := source.readline()).strip():
            lines.append(line)
            size += len(line)
    except Exception as error:
        if not isinstance(error, (Truncated, *INFLATE_ERRORS)):
            raise
    return lines


class WarcReader:
    def __init__(
        self, raw: BinaryIO, gzipped: bool, select: Select, max_record: int, base: int = 0
    ) -> None:
        """``base``: the offset in its file of what ``raw`` holds (a byte range of it)."""
        self.base = base
        self.source: PlainSource | GzipSource = GzipSource(raw) if gzipped else PlainSource(raw)
        self.select = select
        self.max_record = max_record
        self.skipped: Counter[str] = Counter()  # reason -> records skipped
        self.records = 0  # records seen, kept, skipped or refused

    def __iter__(self) -> Iterator[WarcRecord | BrokenRecord]:
        if not self.base:
            yield from self._records()
            return
        for record in self._records():
            yield replace(record, offset=record.offset + self.base)

    def _records(self) -> Iterator[WarcRecord | BrokenRecord]:
        source = self.source
        while True:
            lines: list[bytes] = []
            url: str | None = None
            offset = source.record_start
            try:
                start = source.begin()
                if start is None:
                    return
                offset = start
                self.records += 1
                fields = _header(source, lines)
                url = fields.get("warc-target-uri", "").strip("<>") or None
                try:
                    length = int(fields.get("content-length", ""))
                except ValueError:
                    raise BadHeader("no Content-Length") from None
                if length < 0:
                    raise BadHeader(f"Content-Length {length}")
                kind = fields.get("warc-type", "")
                reason = self.select(kind, url)
                if reason is not None:
                    self.skipped[reason] += 1
                    got = source.skip(length)
                elif length > self.max_record:
                    got = source.skip(length)
                    if got == length:
                        detail = f"{length:,} bytes (at most {self.max_record:,})"
                        yield BrokenRecord(offset, "oversize", detail, url)
                        continue
                else:
                    block = source.read(length)
                    got = len(block)
                    if got == length:
                        yield WarcRecord(offset, kind, url or "", fields.get("warc-date"), block)
                        continue
                if got < length:
                    detail = f"Content-Length {length:,}, {got:,} bytes before the end"
                    yield BrokenRecord(offset, "length_past_end", detail, url)
                    if isinstance(source, PlainSource):  # a gzip member's end is exact
                        source.resync(offset)
            except Truncated:
                url = url or _salvaged_url(lines)
                detail = "the file ends inside the record's gzip member"
                yield BrokenRecord(source.record_start, "truncated_gzip", detail, url)
                return
            except INFLATE_ERRORS as error:
                url = url or _salvaged_url(lines)
                yield BrokenRecord(source.record_start, "corrupt_gzip", str(error), url)
                source.resync(source.record_start)
            except BadHeader as error:
                url = url or _salvaged_url(_rest_of_header(source, lines))
                yield BrokenRecord(source.record_start, "bad_header", str(error), url)
                source.resync(source.record_start)


def read_warc(
    path: Path, select: Select, max_record: int, skipped: Counter[str] | None = None
) -> Iterator[WarcRecord | BrokenRecord]:
    """The records of the file at ``path`` that ``select`` keeps, and the broken ones; the
    skipped ones are counted into ``skipped`` (by reason) when given."""
    with path.open("rb") as raw:
        gzipped = raw.read(3) == GZIP_MAGIC
        raw.seek(0)
        reader = WarcReader(raw, gzipped, select, max_record)
        try:
            yield from reader
        finally:
            if skipped is not None:
                skipped.update(reader.skipped)
                skipped["records"] += reader.records
