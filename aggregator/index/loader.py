"""Feed files into an index: which files a path names, their records as ``IndexItem``, one
transaction per file.

A path is a feed file, or an ``OUTPUT_DIR``: its two feeds (``articles.jsonl``,
``teasers.jsonl``) and every run folder under ``runs/`` in run order (run ids sort as
time). A feed line that is no article or teaser record is refused with its file and line
(``FeedError``), and nothing of that file is loaded; the files loaded before it stay.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aggregator.feeds.content_hash import content_hash
from aggregator.feeds.names import FEED_NAMES
from aggregator.index.protocol import Counts, Index, IndexItem, ItemType


class FeedError(ValueError):
    """A path or a feed line that cannot be loaded; the message names it."""


def feed_files(paths: Iterable[Path]) -> list[Path]:
    """The feed files ``paths`` name, in loading order."""
    files: list[Path] = []
    for path in paths:
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            found = _folder_feeds(path)
            runs = path / "runs"
            if runs.is_dir():
                for run in sorted(runs.iterdir()):
                    if run.is_dir() and not run.is_symlink() and not run.name.startswith("."):
                        found += _folder_feeds(run)
            if not found:
                names = ", ".join(FEED_NAMES.values())
                raise FeedError(f"{path}: no feeds in it ({names} or runs/)")
            files += found
        else:
            raise FeedError(f"{path}: no such file or folder")
    return files


def _folder_feeds(folder: Path) -> list[Path]:
    return [folder / name for name in FEED_NAMES.values() if (folder / name).is_file()]


def read_feed(path: Path) -> Iterator[IndexItem]:
    """The records of a feed file, checked line by line (``FeedError`` names the line)."""
    with path.open(encoding="utf-8", errors="strict") as feed:
        number = 0
        try:
            for number, line in enumerate(feed, 1):  # noqa: B007 (named in the error)
                if line.strip():
                    yield to_item(_record(line))
        except (ValueError, UnicodeDecodeError) as error:
            raise FeedError(f"{path}:{number}: {error}") from None


def _record(line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return record


def _text(record: dict[str, Any], key: str, required: bool = False) -> str | None:
    value = record.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{key!r} is {'missing' if value is None else 'not a text'}")
    return value


def to_item(record: dict[str, Any]) -> IndexItem:
    """An article (it has ``body``) or a teaser (it has ``source_url``) as the index keeps it."""
    kind: ItemType
    if "body" in record:
        kind = "article"
        title = _text(record, "title") or ""
        body = "\n\n".join(t for t in (_text(record, "standfirst"), _text(record, "body")) if t)
        url = _text(record, "canonical_url") or _text(record, "url", required=True)
        language = _text(record, "language")
    elif "source_url" in record:
        kind = "teaser"
        title = _text(record, "title", required=True) or ""
        body = _text(record, "summary") or ""
        url = (
            _text(record, "canonical_url")
            or _text(record, "url")
            or _text(record, "source_url", required=True)
        )
        language = None  # a card declares none
    else:
        raise ValueError("neither an article (no 'body') nor a teaser (no 'source_url')")
    return IndexItem(
        type=kind,
        id=_text(record, "id", required=True) or "",
        title=title,
        body=body,
        hash=content_hash(kind, record),
        url=url,
        publication=_text(record, "publication"),
        language=language,
        issue_date=_text(record, "issue_date"),
        story_id=_text(record, "story_id") if kind == "teaser" else None,
        record=json.dumps(
            {key: value for key, value in record.items() if key != "body"}, ensure_ascii=False
        ),
    )


@dataclass
class Loaded:
    files: list[Path]
    counts: Counts


def load(index: Index, paths: Iterable[Path]) -> Loaded:
    """Upsert every feed ``paths`` name, one transaction per file. ``FeedError`` stops at the
    first bad file (its transaction rolled back, the files before it loaded)."""
    files = feed_files(paths)
    counts = Counts()
    for path in files:
        with index.transaction():
            counts += index.upsert(read_feed(path))
    return Loaded(files, counts)
