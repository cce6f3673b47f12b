"""docs/stats.md lists every stats key the code writes: each string of aggregator/ that starts
``aggregator/`` (docstrings aside) is one of the keys of the page's tables headed ``key``.

A key with a variable part is written ``aggregator/lost/<reason>`` on the page; the code's
``f"aggregator/lost/{loss.key}"`` is that key. A string ending in ``/`` (or a key's leading
segments, such as ``aggregator/prompts``) is a prefix the code reads or builds on: it is
listed when some key of the page begins with it.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.docs import DOCS, PLACEHOLDER, Site, key_pattern, stats_keys, tables

STATS_DOC = DOCS / "stats.md"


def documented_keys(doc: Path) -> set[str]:
    """The keys of ``doc``'s tables headed ``key``, each ``<…>`` written as ``<>``."""
    keys: set[str] = set()
    for header, rows in tables(doc):
        if header[:1] != ("key",):
            continue
        for row in rows:
            for span in row.cells[0].split("`")[1::2]:
                if span.startswith("aggregator/"):
                    keys.add(PLACEHOLDER.sub("<>", span))
    return keys


def listed(key: str, documented: set[str]) -> bool:
    """Whether the code's ``key`` is one of ``documented`` (or a prefix of one)."""
    written = PLACEHOLDER.sub("<>", key)
    if written in documented:
        return True
    # the code's variable part stands for any text; the page's for one segment
    code = key_pattern(written, ".+")
    if any(code.fullmatch(doc) for doc in documented):
        return True
    if any(key_pattern(doc, "[^/]+").fullmatch(written) for doc in documented):
        return True
    prefix = written if written.endswith("/") else written + "/"
    return "<>" not in written and any(doc.startswith(prefix) for doc in documented)


def problems(doc: Path, keys: dict[str, list[Site]]) -> list[str]:
    documented = documented_keys(doc)
    return [
        f"{key} (written at {', '.join(map(str, sites))}) is not in {doc.name}: add a row "
        f"| `{key}` | <what it counts> | to the table of its component, writing a variable "
        "part as <what-it-is>"
        for key, sites in sorted(keys.items())
        if not listed(key, documented)
    ]


def test_every_stats_key_is_documented() -> None:
    keys = stats_keys()
    assert "aggregator/retry/waited_s" in keys  # the scan reads the code
    assert "aggregator/lost/<loss.key>" in keys
    found = problems(STATS_DOC, keys)
    assert not found, "docs/stats.md misses stats keys the code writes:\n" + "\n".join(found)


def test_a_missing_key_is_named_with_where_it_is_written(tmp_path: Path) -> None:
    lines = STATS_DOC.read_text(encoding="utf-8").splitlines()
    kept = [
        line
        for line in lines
        if not line.startswith(("| `aggregator/retry/waited_s`", "| `aggregator/lost/<reason>`"))
    ]
    assert len(kept) == len(lines) - 2
    copy = tmp_path / "stats.md"
    copy.write_text("\n".join(kept) + "\n", encoding="utf-8")

    found = problems(copy, stats_keys())

    named = sorted(line.split(" ", 1)[0] for line in found)
    expected = {
        "aggregator/lost/",  # the prefix the health check reads: now no key begins with it
        "aggregator/lost/<loss.key>",
        "aggregator/retry/waited_s",
    }
    assert expected <= set(named), found
    # the rest: the loss keys written out whole (corpus refusals), listed under <reason>
    assert all(key.startswith("aggregator/lost/") for key in set(named) - expected), found
    retry = next(line for line in found if line.startswith("aggregator/retry/waited_s"))
    assert "aggregator/downloadermiddlewares/retry.py:" in retry


def test_a_renamed_key_is_no_documented_key(tmp_path: Path) -> None:
    """Only the tables headed ``key`` document keys: the old → new table does not."""
    copy = tmp_path / "stats.md"
    copy.write_text(
        "| key | counts |\n|---|---|\n| `aggregator/new/name` | x |\n\n"
        "| old key | new key |\n|---|---|\n| `aggregator/old/name` | `aggregator/new/name` |\n",
        encoding="utf-8",
    )
    site = [Site(STATS_DOC, 1)]
    assert problems(copy, {"aggregator/new/name": site}) == []
    assert len(problems(copy, {"aggregator/old/name": site})) == 1
    assert problems(copy, {"aggregator/new/": site}) == []  # a prefix of a listed key
    assert len(problems(copy, {"aggregator/ne/": site})) == 1


def test_no_stats_key_is_both_a_value_and_a_prefix() -> None:
    """``aggregator/<component>/<event>``: a key the code writes whole is never the start of
    another key (a dashboard reading ``aggregator/health`` would find a dict's worth)."""
    whole = {key for key in stats_keys() if "<" not in key and not key.endswith("/")}
    every = set(stats_keys())
    clashes = sorted(
        f"{key} (also the prefix of {other})"
        for key in whole
        for other in every
        if other.startswith(f"{key}/")
    )
    assert not clashes, "stats keys that are a value and a prefix:\n" + "\n".join(clashes)
