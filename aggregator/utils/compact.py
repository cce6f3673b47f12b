"""Compact sets for what a crawl remembers for its whole length: 8 bytes an entry.

A crawl keeps a few sets that grow with every page: the requests seen (the dupefilter), the
article and teaser ids passed, the story pages done and settled. As Python sets of ``str`` or
``bytes`` they cost 90-220 bytes an entry (the object, plus the set's slots at most 60% full):
most of what the crawl's memory grew by over a long crawl (BENCHMARKS.md, "Memory growth
(perf-mem)"). Here an entry is a 64-bit key in a sorted ``array('Q')``, with
the keys added lately in a small ``set`` that is merged into the array when it fills.

Keys (``text_key``): the project's ids (16 hexadecimal digits, ``aggregator.site.urls.stable_id``)
are their own 64-bit value, exactly; any other text is the first 8 bytes of its BLAKE2b
digest. Two different texts share a key with a chance of about n²/2^65 among n of them:
3e-10 at 100,000 entries, 3e-8 at 1,000,000 (a lost story page, a teaser taken for a repeat):
far below what a crawl loses to the network. The digest is keyed by nothing, so a run's keys
are the same in every process (``hash()`` is salted per process).

Why not a library: a sorted array of integers searched with ``bisect`` is the whole of it
(``array`` and ``bisect`` are the standard library's); roaring bitmaps (pyroaring) store
random 64-bit keys at several times this size, and numpy would be a heavy dependency for it.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from heapq import merge

KEY_LIMIT = 1 << 64  # keys are unsigned 64-bit integers
# The buffer of recent keys: at least this many, else 1/64 of the sorted keys, so that a
# merge (a copy of the array) happens every 4,096 additions at first and the buffer's share
# of the memory (about 60 bytes a key) stays near 1 byte a key when the set is large.
MIN_BUFFER = 4096
_ID = re.compile(r"[0-9a-f]{16}")


def text_key(text: str) -> int:
    """The 64-bit key of ``text``: an id's own value, else 64 bits of its digest."""
    if len(text) == 16 and _ID.fullmatch(text):
        return int(text, 16)
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class KeySet:
    """A set of 64-bit keys (integers from 0 to 2^64 - 1) at 8 bytes a key."""

    __slots__ = ("_min_buffer", "_recent", "_sorted")

    def __init__(self, keys: Iterable[int] = (), *, min_buffer: int = MIN_BUFFER) -> None:
        if min_buffer < 1:
            raise ValueError(f"min_buffer must be at least 1, not {min_buffer}")
        self._sorted = array("Q")
        self._recent: set[int] = set()
        self._min_buffer = min_buffer
        for key in keys:
            self.add(key)

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int) or not 0 <= key < KEY_LIMIT:
            return False
        if key in self._recent:
            return True
        index = bisect_left(self._sorted, key)
        return index < len(self._sorted) and self._sorted[index] == key

    def __iter__(self) -> Iterator[int]:
        """The keys in ascending order."""
        return merge(self._sorted, sorted(self._recent))

    def add(self, key: int) -> None:
        if not 0 <= key < KEY_LIMIT:
            raise ValueError(f"a key is an unsigned 64-bit integer, not {key}")
        if key in self:
            return
        self._recent.add(key)
        if len(self._recent) >= max(self._min_buffer, len(self._sorted) >> 6):
            self._merge()

    def _merge(self) -> None:
        """Move the recent keys into the sorted array: a copy of it with the keys in place."""
        old, merged, start = self._sorted, array("Q"), 0
        for key in sorted(self._recent):
            end = bisect_left(old, key, start)
            merged.extend(old[start:end])
            merged.append(key)
            start = end
        merged.extend(old[start:])
        self._sorted = merged
        self._recent.clear()


class TextSet:
    """A set of strings kept as their 64-bit keys (``text_key``): what ``in`` and ``add``
    need, not the strings themselves (they cannot be listed back)."""

    __slots__ = ("_keys",)

    def __init__(self, texts: Iterable[str] = (), *, min_buffer: int = MIN_BUFFER) -> None:
        self._keys = KeySet(map(text_key, texts), min_buffer=min_buffer)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and text_key(text) in self._keys

    def add(self, text: str) -> None:
        self._keys.add(text_key(text))
