"""What a corpus input names: the files to read, in a stable order.

An input is one of:

- a corpus file (``.warc``, ``.warc.gz``, ``.warc.wet.gz``, ``.wet``…) or a dump file
  (``.jsonl``, ``.jsonl.gz``), as a path or a ``file://`` URL;
- a folder: every corpus and dump file under it, sorted by path;
- a glob (``shards/*.warc.gz``, ``**`` reaching into folders), sorted;
- a paths list (``warc.paths``, ``wet.paths``, optionally ``.gz``: Common Crawl's form), one
  path or ``file://`` URL a line; a relative path is read against ``base`` (default: the
  list's own folder), so a list of ``crawl-data/…`` names works beside a local mirror;
- a URL-index selection (``.cdxj``, ``.cdx``, or a ``.csv`` export of the columnar index):
  one input of its own (aggregator.corpus.cdx reads only its byte ranges).

``InputError`` names the input and why it gives nothing: a bad argument, exit status 2.
"""

from __future__ import annotations

import glob
import gzip
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aggregator.corpus.extract import corpus_format, is_selection
from aggregator.corpus.saved_texts import dump_format

PATHS_LISTS = (".paths", ".paths.gz")
GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    def __init__(self, raw: str, why: str) -> None:
        super().__init__(f"{raw}: {why}")
        self.raw = raw
        self.why = why


def local_path(raw: str) -> Path:
    """A path, or the path of a ``file://`` URL."""
    if raw.startswith("file:"):
        parts = urlsplit(raw)
        if parts.netloc not in ("", "localhost"):
            raise InputError(raw, "a file:// URL of another host")
        return Path(unquote(parts.path))
    if "://" in raw:
        raise InputError(raw, "only local paths and file:// URLs are read")
    return Path(raw).expanduser()


def is_readable(path: Path) -> bool:
    """A file this project reads: a corpus shard, a dump, or an index selection."""
    return bool(corpus_format(path) or dump_format(path) or is_selection(path))


def is_paths_list(path: Path) -> bool:
    return path.name.lower().endswith(PATHS_LISTS)


def is_corpus_input(raw: str) -> bool:
    """Whether ``raw`` is for this module (not a single ``.jsonl``/``.txt`` dump)."""
    if any(ch in GLOB_CHARS for ch in raw):
        return True
    try:
        path = local_path(raw)
    except InputError:
        return True  # an URL: expand() says why it is not read
    return (
        path.is_dir()
        or raw.startswith("file:")
        or bool(corpus_format(path))
        or is_paths_list(path)
        # a .csv is a selection only when it is there: a missing one is a bad dump's name
        or (is_selection(path) and (path.suffix.lower() != ".csv" or path.is_file()))
    )


def expand(raw: str, base: Path | None = None) -> list[Path]:
    """The files ``raw`` names, sorted and without repeats; InputError when none."""
    if any(ch in GLOB_CHARS for ch in raw) and not raw.startswith("file:"):
        matches = sorted(Path(p) for p in glob.glob(str(Path(raw).expanduser()), recursive=True))
        files = [p for p in matches if p.is_file() and is_readable(p)]
        if not files:
            raise InputError(raw, "the pattern matches no corpus or dump file")
        return files
    path = local_path(raw)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and is_readable(p))
        if not files:
            raise InputError(raw, "the folder holds no corpus or dump file")
        return files
    if not path.is_file():
        raise InputError(raw, "no such file")
    if is_paths_list(path):
        return read_paths_list(path, base or path.parent)
    if not is_readable(path) or dump_format(path) == ".txt":
        raise InputError(raw, "not a corpus file, dump file, paths list or index selection")
    return [path]


def read_paths_list(path: Path, base: Path) -> list[Path]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    files: list[Path] = []
    seen: set[Path] = set()
    with opener(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            where = f"{path} line {number}"
            file = local_path(entry) if "://" in entry else Path(entry)
            if not file.is_absolute():
                file = base / file
            if not file.is_file():
                raise InputError(where, f"{entry}: no such file")
            if not is_readable(file):
                raise InputError(where, f"{entry}: not a corpus or dump file")
            if file not in seen:
                seen.add(file)
                files.append(file)
    if not files:
        raise InputError(str(path), "the paths list names no file")
    return files
