"""Local feeds replaced atomically: ``AtomicFileFeedStorage`` (``FEED_STORAGES`` for ``file``).

A feed is written beside its final name (``articles.jsonl.partial-<pid>``), flushed and
fsynced when Scrapy stores it, and announced with the ``feed_stored`` signal. The publish
extension (``aggregator.extensions.publish``) moves it into place with ``os.replace`` only when
the run ended with finish reason ``finished`` (``move_into_place``), once the engine has
stopped. A killed, interrupted or failed run leaves the previous feeds byte for byte as they
were.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from w3lib.url import file_uri_to_path

from aggregator.utils.files import fsync_folder
from aggregator.utils.signals import feed_stored

logger = logging.getLogger(__name__)

PARTIAL = ".partial-"


class AtomicFileFeedStorage:
    """A local feed written to a partial file, published only by a finished run."""

    def __init__(self, uri: str, crawler: Crawler, *, feed_options: dict[str, Any] | None = None):
        self.crawler = crawler
        self.final = Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)
        self.partial = self.final.with_name(f"{self.final.name}{PARTIAL}{os.getpid()}")
        options = feed_options or {}
        self.append = not options.get("overwrite", False)

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        return cls(uri, crawler, feed_options=feed_options)

    def open(self, spider: Spider) -> IO[bytes]:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_partials(self.final)
        file = self.partial.open("wb")
        if self.append and self.final.exists():
            file.write(self.final.read_bytes())  # appending: the previous feed, then this run's
        return file

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        # the publish extension moves it into place, or drops it, when the run has ended
        self.crawler.signals.send_catch_log(
            signal=feed_stored, partial=self.partial, final=self.final
        )


def move_into_place(stored: list[tuple[Path, Path]], publish: bool) -> list[Path]:
    """Move stored feeds (``(partial, final)`` pairs) into place (``publish``), or drop them;
    the feeds moved. Called once, when the engine has stopped."""
    moved: list[Path] = []
    for partial, final in stored:
        if publish:
            os.replace(partial, final)
            fsync_folder(final.parent)
            moved.append(final)
        else:
            partial.unlink(missing_ok=True)
    return moved


def remove_stale_partials(final: Path) -> None:
    """Partial files that a killed run left beside ``final`` (their process is gone)."""
    for stale in final.parent.glob(f"{final.name}{PARTIAL}*"):
        pid = stale.name.rsplit(PARTIAL, 1)[1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
            logger.info("Removed %s, left by a run that was killed", stale)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
