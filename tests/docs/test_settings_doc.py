"""docs/settings.md and the code agree: every setting aggregator/settings.py assigns, and every
setting the code reads (``settings.get*("NAME")``) or sets (``settings.set("NAME")``), has a
row; the defaults are those of settings.py (or of the reading code, or Scrapy's); no row names
a setting that exists nowhere.

The table's rows: ``| `NAME` | `default` | meaning |``, the default a Python literal in the
first code span of its cell (``…`` inside a string: any text there). A dict setting has one
row per entry, its default ``"key": value``.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType

from scrapy.settings import default_settings as scrapy_defaults

from aggregator.utils.renamed_settings import RENAMED
from tests.support.docs import (
    DOCS,
    NO_DEFAULT,
    Row,
    SettingUse,
    assigned_settings,
    modules,
    setting_uses,
    tables,
)

SETTINGS_DOC = DOCS / "settings.md"
HEADER = ("setting", "default", "meaning")
UNPARSED = object()


def settings_rows(doc: Path) -> dict[str, list[Row]]:
    """The rows of the one settings table of ``doc``, by setting name."""
    found = [rows for header, rows in tables(doc) if header[:3] == HEADER]
    assert len(found) == 1, f"{doc}: expected one table headed {' | '.join(HEADER)}"
    by_name: dict[str, list[Row]] = {}
    for row in found[0]:
        name = row.code(0)
        assert name, f"{doc}:{row.line}: the first cell names no setting in `backticks`"
        by_name.setdefault(name, []).append(row)
    return by_name


def renamed_rows(doc: Path) -> dict[str, str]:
    """The table of renamed settings of ``doc``: old name -> new name."""
    pairs: dict[str, str] = {}
    for header, rows in tables(doc):
        if header[:2] == ("old name", "new name"):
            for row in rows:
                old, new = row.code(0), row.code(1)
                if old and new:
                    pairs[old] = new
    return pairs


def literal(text: str | None) -> object:
    """A default cell's code span as a value, ``UNPARSED`` when it is no Python literal."""
    if text is None:
        return UNPARSED
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return UNPARSED


def same(documented: object, actual: object) -> bool:
    """Equal and of one type: ``True`` is no ``1``, ``10`` no ``10.0``; a documented string
    with ``…`` matches any text in its place."""
    if isinstance(documented, str) and isinstance(actual, str) and "…" in documented:
        parts = documented.split("…")
        return re.fullmatch(".*".join(re.escape(part) for part in parts), actual) is not None
    if type(documented) is not type(actual):
        return False
    if isinstance(documented, list | tuple) and isinstance(actual, list | tuple):
        return len(documented) == len(actual) and all(
            same(a, b) for a, b in zip(documented, actual, strict=True)
        )
    return documented == actual


def named_in_code() -> set[str]:
    """Upper-case string constants of the code (dict keys of settings it sets, names in
    messages): a setting named there exists."""
    names: set[str] = set()
    for _path, tree in modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and re.fullmatch(r"[A-Z][A-Z0-9_]+", node.value)
            ):
                names.add(node.value)
    return names


def row_hint(name: str, value: object) -> str:
    if isinstance(value, dict):
        rows = " and ".join(
            f"| `{name}` | `{key!r}: {entry!r}` | <what it does> |" for key, entry in value.items()
        )
        return f"add the rows {rows} to {SETTINGS_DOC.name} (one a dict entry)"
    shown = "<default>" if value is UNPARSED else repr(value)
    return f"add the row | `{name}` | `{shown}` | <what it does> | to {SETTINGS_DOC.name}"


def problems(doc: Path, settings: ModuleType) -> list[str]:
    """What is wrong between ``doc``'s table and the code, one line each, saying what to do."""
    rows = settings_rows(doc)
    assigned = assigned_settings()
    uses = setting_uses()
    found: list[str] = []

    for name, site in assigned.items():
        value = getattr(settings, name)
        if name not in rows:
            found.append(f"{name} is assigned at {site} but has no row: {row_hint(name, value)}")
            continue
        if isinstance(value, dict):
            found.extend(_dict_problems(doc, name, value, rows[name]))
            continue
        if len(rows[name]) > 1:
            lines = ", ".join(str(row.line) for row in rows[name])
            found.append(f"{name} has {len(rows[name])} rows ({doc.name} lines {lines}): keep one")
            continue
        row = rows[name][0]
        documented = literal(row.code(1))
        if not same(documented, value):
            found.append(
                f"{name}: {doc.name}:{row.line} gives the default {row.cells[1]}, "
                f"{site} assigns {value!r}: write `{value!r}` in the default cell"
            )

    unlisted: dict[str, list[SettingUse]] = {}
    for use in uses:
        if use.name not in rows and use.name not in assigned:
            unlisted.setdefault(use.name, []).append(use)
    for name, where in unlisted.items():
        sites = ", ".join(f"{use.site} ({'sets' if use.writes else 'reads'})" for use in where)
        given = [use.default for use in where if use.default is not NO_DEFAULT]
        found.append(
            f"{name}: {sites} but it has no row: {row_hint(name, given[0] if given else UNPARSED)}"
        )

    # a setting settings.py does not assign: its default is the reading code's, else Scrapy's
    for name, named in rows.items():
        if name in assigned:
            continue
        defaults = {repr(use.default): use.default for use in uses if use.name == name}
        defaults.pop(repr(NO_DEFAULT), None)
        if len(defaults) == 1:
            expected, source = next(iter(defaults.values())), "the code reading it"
        elif not defaults and hasattr(scrapy_defaults, name):
            expected, source = getattr(scrapy_defaults, name), "Scrapy's default"
        else:
            continue
        documented = literal(named[0].code(1))
        if documented is not UNPARSED and not same(documented, expected):
            found.append(
                f"{name}: {doc.name}:{named[0].line} gives the default {named[0].cells[1]}, "
                f"{source} is {expected!r}: write `{expected!r}`"
            )

    renamed = renamed_rows(doc)
    for old, new in RENAMED.items():
        if renamed.get(old) != new:
            found.append(
                f"{old} was renamed to {new} (aggregator/utils/renamed_settings.py): add the "
                f"row | `{old}` | `{new}` | to the table headed old name | new name"
            )
    known = set(assigned) | {use.name for use in uses} | named_in_code()
    for name, named in rows.items():
        if name in RENAMED:
            found.append(
                f"{name}: {doc.name}:{named[0].line} has a row for an old name: it is "
                f"{RENAMED[name]} now, rename the row"
            )
        elif name not in known and not hasattr(scrapy_defaults, name):
            found.append(
                f"{name}: {doc.name}:{named[0].line} has a row for a setting that neither "
                "the code nor Scrapy has: remove the row, or fix its name"
            )
    return found


def _dict_problems(doc: Path, name: str, value: dict[object, object], rows: list[Row]) -> list[str]:
    found: list[str] = []
    documented: dict[object, object] = {}
    for row in rows:
        entry = literal("{" + (row.code(1) or "") + "}")
        if not isinstance(entry, dict) or len(entry) != 1:
            found.append(
                f"{name}: {doc.name}:{row.line}: the default cell must be one entry "
                '`"key": value` of the dict'
            )
            continue
        documented.update(entry)
    for key, entry in value.items():
        if key not in documented:
            found.append(
                f'{name}["{key}"] = {entry!r} has no row: add | `{name}` | '
                f'`"{key}": {entry!r}` | <what it does> | to {doc.name}'
            )
        elif not same(documented[key], entry):
            found.append(
                f'{name}["{key}"]: {doc.name} gives {documented[key]!r}, settings.py '
                f"{entry!r}: write `{entry!r}`"
            )
    for key in documented.keys() - value.keys():
        found.append(f'{name}["{key}"]: {doc.name} has a row for an entry settings.py lacks')
    return found


def project_settings_module() -> ModuleType:
    return importlib.import_module("aggregator.settings")


def test_settings_doc_matches_the_code() -> None:
    found = problems(SETTINGS_DOC, project_settings_module())
    assert not found, "docs/settings.md and the code disagree:\n" + "\n".join(found)


def test_the_check_names_each_disagreement(tmp_path: Path) -> None:
    """A row removed, a default changed, a dict entry dropped, a row for nothing: each named."""
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    lines = text.splitlines()
    drop_state = next(
        i for i, line in enumerate(lines) if line.startswith("| `AGGREGATOR_STATE` |")
    )
    del lines[drop_state]
    drop_pipeline = next(i for i, line in enumerate(lines) if "WordCountPipeline" in line)
    del lines[drop_pipeline]
    health = next(
        i for i, line in enumerate(lines) if line.startswith("| `AGGREGATOR_HEALTH_ENABLED` |")
    )
    lines[health] = lines[health].replace("`True`", "`False`", 1)
    backoff = next(i for i, line in enumerate(lines) if "`AGGREGATOR_RETRY_BACKOFF` |" in line)
    lines[backoff] = lines[backoff].replace("`1.0`", "`1`", 1)
    lines.insert(backoff, "| `AGGREGATOR_RETRY_BACKOF` | `1.0` | a typo |")
    copy = tmp_path / "settings.md"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")

    found = "\n".join(problems(copy, project_settings_module()))

    assert "AGGREGATOR_STATE is assigned at aggregator/settings.py:" in found
    assert "| `AGGREGATOR_STATE` | `''` |" in found
    assert 'ITEM_PIPELINES["aggregator.pipelines.wordcount.WordCountPipeline"] = 780' in found
    assert (
        "AGGREGATOR_HEALTH_ENABLED: settings.md:" in found
        and "the code reading it is True" in found
    )
    assert "AGGREGATOR_RETRY_BACKOFF: settings.md:" in found and "write `1.0`" in found
    assert "AGGREGATOR_RETRY_BACKOF: settings.md:" in found and "neither the code nor" in found
    assert len(found.splitlines()) == 5, found


def test_a_setting_the_code_reads_needs_a_row(tmp_path: Path) -> None:
    """A setting only read by the code (not in settings.py) is named with where it is read."""
    lines = SETTINGS_DOC.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("| `AGGREGATOR_PROMPTS_ENABLED` |")]
    assert len(kept) == len(lines) - 1
    copy = tmp_path / "settings.md"
    copy.write_text("\n".join(kept) + "\n", encoding="utf-8")

    found = problems(copy, project_settings_module())

    assert len(found) == 1, found
    assert found[0].startswith("AGGREGATOR_PROMPTS_ENABLED: aggregator/pipelines/prompts.py:")
    assert "(reads) but it has no row" in found[0] and "`True`" in found[0]


def test_renamed_settings_are_listed_under_their_new_name(tmp_path: Path) -> None:
    lines = SETTINGS_DOC.read_text(encoding="utf-8").splitlines()
    kept = [
        line for line in lines if line != "| `AGGREGATOR_HEALTH` | `AGGREGATOR_HEALTH_ENABLED` |"
    ]
    assert len(kept) == len(lines) - 1
    start = next(
        i for i, line in enumerate(kept) if line.startswith("| `AGGREGATOR_START_DEFAULT` |")
    )
    kept[start] = kept[start].replace("AGGREGATOR_START_DEFAULT", "AGGREGATOR_DEFAULT_START", 1)
    copy = tmp_path / "settings.md"
    copy.write_text("\n".join(kept) + "\n", encoding="utf-8")

    found = "\n".join(problems(copy, project_settings_module()))

    assert "AGGREGATOR_HEALTH was renamed to AGGREGATOR_HEALTH_ENABLED" in found
    assert "AGGREGATOR_START_DEFAULT is assigned at aggregator/settings.py:" in found
    assert (
        "AGGREGATOR_DEFAULT_START: settings.md:" in found and "has a row for an old name" in found
    )
    assert len(found.splitlines()) == 3, found
