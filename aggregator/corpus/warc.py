"""Streaming reader of WARC and WET files (ISO 28500), gzip-compressed or not.

Yields one ``WarcRecord`` per record the caller keeps and one ``BrokenRecord`` per record
that cannot be read, in file order; the others are only counted (``skipped``, by the reason
``select`` gives). A record is kept or skipped on its WARC headers alone (type, target URI):
a skipped record's block is never held, only inflated as far as the gzip format requires to
find the next record.

Framing is ours (stdlib ``zlib``), not FastWARC's or warcio's (BENCHMARKS.md, "corpus"):
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

import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, cast

try:  # Intel ISA-L's inflate, the same stream API: shards are decompression-bound
    from isal import isal_zlib

    decompressobj: Callable[[int], Any] = isal_zlib.decompressobj
    # (isal's error is typed as an instance in its stubs: it is a class)
    INFLATE_ERRORS: tuple[type[Exception], ...] = (zlib.error, cast(type, isal_zlib.error))
except ImportError:  # pragma: no cover - isal has wheels wherever the project runs
    decompressobj = zlib.decompressobj
    INFLATE_ERRORS = (zlib.error,)
GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 16  # raw bytes read at a time
OUT_CHUNK = 1 << 16  # inflated bytes produced at a time (a skipped block: never more held)
MAX_HEADER = 64 * 1024  # a WARC header is a few hundred bytes; past this it is no header
WARC_LINE = re.compile(rb"(?:^|\n)WARC/1\.\d\r?\n")

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


class Truncated(Exception):
    """The file ended inside a gzip member."""


class BadHeader(Exception):
    pass


def is_gzip(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(3) == GZIP_MAGIC


class _PlainSource:
    """An uncompressed WARC file: lines and blocks straight from the file."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def begin(self) -> int | None:
        """The offset of the next record, None at the end of the file."""
        while True:
            offset = self.raw.tell()
            line = self.raw.readline(MAX_HEADER)
            if not line:
                return None
            if line.strip():  # blank lines between records are the format's padding
                self.pending = line
                self.record_start = offset
                return offset

    def readline(self) -> bytes:
        if self.pending:
            line, self.pending = self.pending, b""
            return line
        return self.raw.readline(MAX_HEADER + 1)

    def read(self, size: int) -> bytes:
        return self.raw.read(size)

    def skip(self, size: int) -> int:
        """Skip ``size`` bytes of block; how many there were."""
        here = self.raw.tell()
        end = self.raw.seek(0, 2)
        self.raw.seek(min(here + size, end))
        return min(size, end - here)

    def resync(self, after: int) -> None:
        """Go on at the next version line after ``after``."""
        self.pending = b""
        self.raw.seek(after)
        position = after
        tail = b""
        while chunk := self.raw.read(CHUNK):
            data = tail + chunk
            match = WARC_LINE.search(data, 1 if position == after else 0)
            if match is not None:
                start = match.start() + (match.group().startswith(b"\n"))
                self.raw.seek(position - len(tail) + start)
                return
            tail = data[-16:]
            position += len(chunk)
        self.raw.seek(0, 2)

    pending = b""
    record_start = 0


class _GzipSource:
    """A gzip file of members (a record a member, as Common Crawl and warcio write them;
    a member of several records is read too). ``offset`` of a record: its member's."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.inbuf = b""
        self.inpos = 0  # file offset of inbuf[0]
        # inflated bytes, consumed up to ``pos``: an index, not slices, so that reading a
        # header line does not copy the rest of the buffer
        self.out = b""
        self.pos = 0
        self.member: Any = None  # a decompressobj: zlib's or ISA-L's
        self.member_start = 0

    def _inflate(self) -> bool:
        """More inflated bytes after ``out[pos:]``; False at the end of the member."""
        member = self.member
        while member is not None and not member.eof:
            if not self.inbuf:
                self.inbuf = self.raw.read(CHUNK)
                if not self.inbuf:
                    raise Truncated
            size = len(self.inbuf)
            piece = member.decompress(self.inbuf, OUT_CHUNK)
            self.inbuf = member.unused_data if member.eof else member.unconsumed_tail
            self.inpos += size - len(self.inbuf)
            if piece:
                self.out = self.out[self.pos :] + piece if self.pos < len(self.out) else piece
                self.pos = 0
                return True
        return False

    def begin(self) -> int | None:
        while True:
            out, pos = self.out, self.pos
            while pos < len(out) and out[pos] in b"\r\n":  # the line breaks ending a record
                pos += 1
            self.pos = pos
            if pos < len(out):
                return self.member_start  # a further record in the same member
            if self.member is not None and not self.member.eof:
                self._inflate()
                continue
            if not self.inbuf:
                self.inbuf = self.raw.read(CHUNK)
                if not self.inbuf:
                    return None
            self.member_start = self.inpos
            self.member = decompressobj(31)

    @property
    def record_start(self) -> int:
        return self.member_start

    def header_block(self) -> bytes | None:
        """The header up to its blank line (consumed), or None when it does not end in
        ``\\r\\n\\r\\n`` within ``MAX_HEADER`` bytes (then read line by line)."""
        while True:
            end = self.out.find(b"\r\n\r\n", self.pos, self.pos + MAX_HEADER)
            if end >= 0:
                block = self.out[self.pos : end]
                self.pos = end + 4
                return block
            if len(self.out) - self.pos >= MAX_HEADER or not self._inflate():
                return None

    def readline(self) -> bytes:
        while True:
            limit = self.pos + MAX_HEADER + 1
            end = self.out.find(b"\n", self.pos, limit)
            if end >= 0 or len(self.out) >= limit or not self._inflate():
                cut = end + 1 if end >= 0 else min(len(self.out), limit)
                line = self.out[self.pos : cut]
                self.pos = cut
                return line

    def read(self, size: int) -> bytes:
        pieces: list[bytes] = []
        while size > 0:
            if self.pos >= len(self.out) and not self._inflate():
                break
            piece = self.out[self.pos : self.pos + size]
            self.pos += len(piece)
            pieces.append(piece)
            size -= len(piece)
        return b"".join(pieces)

    def skip(self, size: int) -> int:
        skipped = 0
        while skipped < size:
            if self.pos >= len(self.out) and not self._inflate():
                break
            take = min(size - skipped, len(self.out) - self.pos)
            self.pos += take
            skipped += take
        return skipped

    def resync(self, after: int) -> None:
        """Go on at the next gzip member after ``after`` that starts a WARC record."""
        self.out = b""
        self.pos = 0
        self.member = None
        position = after
        self.raw.seek(position)
        data = b""
        while True:
            chunk = self.raw.read(CHUNK)
            data += chunk
            found = data.find(GZIP_MAGIC, 1 if position == after else 0)
            while found >= 0:
                if len(data) - found < 512 and chunk:
                    break  # read on: the candidate's start must be tested whole
                probe = zlib.decompressobj(31)
                try:
                    head = probe.decompress(data[found : found + 512], 8)
                except zlib.error:
                    head = b""
                if head.startswith(b"WARC/"):
                    self.inpos = position + found
                    self.raw.seek(self.inpos)
                    self.inbuf = b""
                    return
                found = data.find(GZIP_MAGIC, found + 1)
            if not chunk:
                self.inpos = position + len(data)
                self.inbuf = b""
                return
            keep = max(0, len(data) - 512)
            position += keep
            data = data[keep:]


def _header(source: _PlainSource | _GzipSource, lines: list[bytes]) -> dict[str, str]:
    """The record's header fields (names in lower case); its lines are kept in ``lines``
    as they are read, for the URL of a header that turns out bad."""
    if isinstance(source, _GzipSource):
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


def _rest_of_header(source: _PlainSource | _GzipSource, lines: list[bytes]) -> list[bytes]:
    """``lines`` and the header lines after them (a bad line may come before the URI). In a
    plain file, lines after a missing version line are the next record's: not read."""
    if isinstance(source, _PlainSource) and not (lines and lines[0].startswith(b"WARC/")):
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
        self.source: _PlainSource | _GzipSource = _GzipSource(raw) if gzipped else _PlainSource(raw)
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
                    if isinstance(source, _PlainSource):  # a gzip member's end is exact
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
