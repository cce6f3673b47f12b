"""The byte sources a WARC reader reads records from: a plain file, or a gzip file framed
member by member.

``GzipSource`` inflates each gzip member with its own ``decompressobj`` (ISA-L's inflate
through ``isal`` where installed, stdlib ``zlib`` otherwise), so the end of a member is
exact: a record's ``offset`` is its member's, a member cut off at the end of the file is
``Truncated``, and ``resync`` goes on at the next member that starts a WARC record. Both
sources give lines (``readline``), blocks (``read``) and skips (``skip``) of the record at
hand; a skipped block is inflated and dropped in ``OUT_CHUNK`` pieces, never held.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
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


class Truncated(Exception):
    """The file ended inside a gzip member."""


class PlainSource:
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


class GzipSource:
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
