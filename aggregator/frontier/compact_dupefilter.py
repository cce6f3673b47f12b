"""``CompactDupeFilter`` (``DUPEFILTER_CLASS``): Scrapy's ``RFPDupeFilter``, whose memory is
8 bytes a request seen instead of about 90 (a 20-byte ``bytes`` object and its set slots).

The same fingerprints decide (Scrapy's request fingerprinter, ``REQUEST_FINGERPRINTER_CLASS``),
kept as their first 64 bits in an ``aggregator.utils.compact.KeySet``. The fingerprint is a SHA-1
digest, so two different requests share those 64 bits with a chance of about n²/2^65 among
n requests (3e-8 at a million): the later one would be dropped as a repeat.

``JOBDIR`` works exactly as with Scrapy's: the file ``requests.seen`` in the job directory,
each fingerprint whole, as its 2-byte big-endian length then its bytes, read at start (a
record cut short by an unclean stop is ignored) and appended to as requests are seen. A job
directory written by either filter is read by the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request
from scrapy.utils.request import RequestFingerprinterProtocol

from aggregator.utils.compact import KeySet

SEEN_FILE = "requests.seen"  # Scrapy's name, in JOBDIR
LENGTH_BYTES = 2  # Scrapy's record: the fingerprint's length, big-endian, then its bytes
KEY_BYTES = 8


def fingerprint_key(fingerprint: bytes) -> int:
    return int.from_bytes(fingerprint[:KEY_BYTES], "big")


def read_seen(data: bytes) -> Iterator[bytes]:
    """The fingerprints of a ``requests.seen`` file's bytes; a record cut short is left out."""
    position = 0
    while position + LENGTH_BYTES <= len(data):
        size = int.from_bytes(data[position : position + LENGTH_BYTES], "big")
        position += LENGTH_BYTES
        fingerprint = data[position : position + size]
        if len(fingerprint) < size:
            return
        yield fingerprint
        position += size


class CompactDupeFilter(RFPDupeFilter):
    def __init__(
        self,
        path: str | None = None,
        debug: bool = False,
        *,
        fingerprinter: RequestFingerprinterProtocol | None = None,
    ) -> None:
        # Scrapy's set stays empty: the file, if any, is read here, into the compact set.
        super().__init__(None, debug, fingerprinter=fingerprinter)
        self.seen = KeySet()
        if path:
            self.file = Path(path, SEEN_FILE).open("a+b")  # noqa: SIM115 (closed by close())
            self.file.seek(0)
            for fingerprint in read_seen(self.file.read()):
                self.seen.add(fingerprint_key(fingerprint))

    def request_seen(self, request: Request) -> bool:
        fingerprint = self.fingerprinter.fingerprint(request)
        key = fingerprint_key(fingerprint)
        if key in self.seen:
            return True
        self.seen.add(key)
        if self.file:
            self.file.write(len(fingerprint).to_bytes(LENGTH_BYTES, "big") + fingerprint)
        return False
