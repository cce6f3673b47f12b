"""A Common Crawl URL-index selection as input: only its captures' byte ranges are read.

The selection is the index's answer to a query (say ``url=www.magzter.com/stories/*``):

- CDXJ lines, ``<SURT> <timestamp> {json}`` (the index server's default), or one JSON
  object a line (its ``output=json``): the keys ``url``, ``filename``, ``offset``,
  ``length``;
- the columnar index's CSV export, with a header naming ``url``, ``warc_filename``,
  ``warc_record_offset``, ``warc_record_length``.

A capture's ``filename`` is read against ``base`` (``AGGREGATOR_CORPUS_BASE``: a folder, a
``file://`` URL or an ``https://`` URL, where the ranged requests go; by default the
selection's own folder). Captures are read file by file in offset order, each range as one
WARC record (a gzip member). A line that is not a capture is ``bad_index_line``; a range
that cannot be read (no such file, a short range) is refused as the record it was to be,
the URL named, so a story in it is lost, never silently missing.
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from aggregator.corpus.sources import GZIP_MAGIC
from aggregator.corpus.warc import BrokenRecord, Select, WarcReader, WarcRecord

CSV_COLUMNS = ("url", "warc_filename", "warc_record_offset", "warc_record_length")
RANGE_TIMEOUT = 60  # seconds a ranged request may take


@dataclass(frozen=True, order=True)
class Capture:
    filename: str
    offset: int
    length: int
    url: str
    line: int


@dataclass(frozen=True)
class BadLine:
    line: int
    detail: str


def _capture(number: int, data: dict[str, object]) -> Capture | BadLine:
    try:
        return Capture(
            str(data["filename"]),
            int(str(data["offset"])),
            int(str(data["length"])),
            str(data["url"]),
            number,
        )
    except (KeyError, ValueError) as error:
        return BadLine(number, f"not a capture ({type(error).__name__}: {error})")


def read_index(path: Path) -> Iterator[Capture | BadLine]:
    """The captures of a selection file, in file order."""
    with path.open(encoding="utf-8", newline="") as lines:
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(lines)
            missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                yield BadLine(1, f"no column {', '.join(missing)}")
                return
            for number, row in enumerate(reader, 2):
                yield _capture(
                    number,
                    {
                        "url": row["url"],
                        "filename": row["warc_filename"],
                        "offset": row["warc_record_offset"],
                        "length": row["warc_record_length"],
                    },
                )
            return
        for number, line in enumerate(lines, 1):
            text = line.strip()
            if not text:
                continue
            start = text.find("{")
            try:
                data = json.loads(text[start:]) if start >= 0 else None
            except ValueError:
                data = None
            if not isinstance(data, dict):
                yield BadLine(number, "not a CDXJ line nor a JSON object")
                continue
            yield _capture(number, data)


class RangeReader:
    """Byte ranges of the WARC files under ``base``: local reads, or HTTP range requests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.remote = base.startswith(("https://", "http://"))
        self.open_file: tuple[str, BinaryIO] | None = None

    def where(self, filename: str) -> str:
        if filename.startswith(("https://", "http://", "file:")) or filename.startswith("/"):
            return filename
        return f"{self.base.rstrip('/')}/{filename}"

    def read(self, filename: str, offset: int, length: int) -> bytes:
        where = self.where(filename)
        if where.startswith(("https://", "http://")):
            request = urllib.request.Request(
                where, headers={"Range": f"bytes={offset}-{offset + length - 1}"}
            )
            with urllib.request.urlopen(request, timeout=RANGE_TIMEOUT) as response:
                if response.status != 206:
                    raise OSError(f"HTTP {response.status} to a range request")
                data: bytes = response.read(length)
                return data
        local = Path(where.removeprefix("file://"))
        if self.open_file is None or self.open_file[0] != str(local):
            self.close()
            self.open_file = (str(local), local.open("rb"))
        raw = self.open_file[1]
        raw.seek(offset)
        return raw.read(length)

    def close(self) -> None:
        if self.open_file is not None:
            self.open_file[1].close()
            self.open_file = None


def read_selection(
    path: Path,
    base: str | None,
    select_for: Callable[[str], Select],
    max_record: int,
    skipped: Counter[str],
) -> Iterator[tuple[str, WarcRecord | BrokenRecord]]:
    """(the WARC file's name, record) for every capture of the selection at ``path``;
    ``select_for(filename)``: the choice of records for that file (WARC or WET)."""
    ranges = RangeReader(base or str(path.resolve().parent))
    captures: list[Capture] = []
    for entry in read_index(path):
        if isinstance(entry, BadLine):
            skipped["records"] += 1
            detail = f"{path.name} line {entry.line}: {entry.detail}"
            yield str(path), BrokenRecord(entry.line, "bad_index_line", detail)
        else:
            captures.append(entry)
    try:
        for filename, group in groupby(sorted(captures), key=lambda c: c.filename):
            for capture in group:
                where = ranges.where(filename)
                try:
                    data = ranges.read(filename, capture.offset, capture.length)
                except (OSError, urllib.error.URLError) as error:
                    skipped["records"] += 1
                    detail = f"range not read ({error})"
                    yield (
                        where,
                        BrokenRecord(capture.offset, "range_unreadable", detail, capture.url),
                    )
                    continue
                select = select_for(filename)
                reader = WarcReader(
                    io.BytesIO(data), data[:3] == GZIP_MAGIC, select, max_record, capture.offset
                )
                for record in reader:
                    if isinstance(record, BrokenRecord) and record.url is None:
                        record = replace(record, url=capture.url)  # the index names it
                    yield where, record
                skipped.update(reader.skipped)
                skipped["records"] += reader.records
    finally:
        ranges.close()
