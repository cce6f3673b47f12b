"""``CappedWarnings``: repeated warnings of one kind, the first few logged, the rest counted.

A dump of binary garbage is hundreds of malformed "lines"; a site that goes down is hundreds
of failed pages. One WARNING per event buries the log, so each kind (any string: a malformed
record's reason, a loss reason) logs its first ``limit`` events, counts the rest, and
``close()`` logs one line per kind saying how many more were not shown. Counting into stats
is the caller's: this only decides what reaches the log.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

DEFAULT_LIMIT = 5


class CappedWarnings:
    """``level``: the level of every line (WARNING; INFO for events that are no fault, such
    as a page read in another charset than declared)."""

    def __init__(
        self, logger: logging.Logger, limit: int = DEFAULT_LIMIT, level: int = logging.WARNING
    ) -> None:
        self.logger = logger
        self.limit = limit
        self.level = level
        self.seen: Counter[str] = Counter()

    def warn(self, kind: str, message: str, *args: Any) -> bool:
        """Log ``message % args`` (at ``level``) unless ``kind`` already had ``limit`` of
        them; True when it was logged."""
        self.seen[kind] += 1
        if self.seen[kind] > self.limit:
            return False
        self.logger.log(self.level, message, *args)
        return True

    def hidden(self, kind: str) -> int:
        return max(0, self.seen[kind] - self.limit)

    def close(self, what: str = "warnings") -> None:
        """One line per kind that went over its limit: ``N more <what> (<kind>) not shown``.
        Call it once, when the events are over; the counts start again from zero."""
        for kind in sorted(self.seen):
            if self.hidden(kind):
                self.logger.log(
                    self.level,
                    "%d more %s (%s) not shown (%d in all)",
                    self.hidden(kind),
                    what,
                    kind,
                    self.seen[kind],
                )
        self.seen.clear()
