"""What the docs' tests compare: the tables of docs/*.md, and what the code under aggregator/
sets, reads and writes, read from its syntax tree (never by importing it)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.crawl import ROOT

PACKAGE = ROOT / "aggregator"
DOCS = ROOT / "docs"
SETTINGS_MODULE = PACKAGE / "settings.py"

# the BaseSettings methods that read a setting
READERS = frozenset(
    {
        "get",
        "getbool",
        "getint",
        "getfloat",
        "getlist",
        "getdict",
        "getdictorlist",
        "getwithbase",
        "getpriority",
    }
)
CODE_SPAN = re.compile(r"`([^`]+)`")
PLACEHOLDER = re.compile(r"<[^<>]*>")


# -- Markdown ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A table row of a Markdown page: its cells as written, and where it stands."""

    cells: tuple[str, ...]
    line: int

    def code(self, column: int) -> str | None:
        """The first code span of a cell, without its backticks."""
        found = CODE_SPAN.search(self.cells[column]) if column < len(self.cells) else None
        return found.group(1) if found else None


def tables(path: Path) -> Iterator[tuple[tuple[str, ...], list[Row]]]:
    """Every table of ``path``: its header cells (lower case) and its body rows."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if _is_row(lines[index]) and index + 1 < len(lines) and _is_rule(lines[index + 1]):
            header = tuple(cell.lower() for cell in _cells(lines[index]))
            rows: list[Row] = []
            index += 2
            while index < len(lines) and _is_row(lines[index]):
                rows.append(Row(_cells(lines[index]), index + 1))
                index += 1
            yield header, rows
        else:
            index += 1


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def _is_rule(line: str) -> bool:
    return _is_row(line) and set(line.strip()) <= set("|-: ")


def _cells(line: str) -> tuple[str, ...]:
    # a pipe inside a code span is no cell border (none of our tables has one escaped)
    parts = re.split(r"\|(?=(?:[^`]*`[^`]*`)*[^`]*$)", line.strip().strip("|"))
    return tuple(part.strip() for part in parts)


def code_spans(path: Path) -> list[str]:
    """Every code span of ``path``, in page order."""
    return CODE_SPAN.findall(path.read_text(encoding="utf-8"))


# -- the code ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """A place in the code: ``aggregator/x.py:12``."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def assigned_settings() -> dict[str, Site]:
    """The names ``aggregator/settings.py`` assigns at module level (upper case)."""
    tree = ast.parse(SETTINGS_MODULE.read_text(encoding="utf-8"))
    names: dict[str, Site] = {}
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                names[target.id] = Site(SETTINGS_MODULE, node.lineno)
    return names


@dataclass(frozen=True)
class SettingUse:
    name: str
    site: Site
    default: object  # the constant default the call passes, else ``NO_DEFAULT``
    writes: bool  # ``settings.set("NAME", …)`` rather than a read


NO_DEFAULT = object()


def setting_uses() -> list[SettingUse]:
    """Every ``….settings.get*("NAME", …)`` and ``….settings.set("NAME", …)`` of the code,
    with a constant upper-case name (``os.environ.get`` is no setting)."""
    uses: list[SettingUse] = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method = node.func.attr
            if method not in READERS and method != "set":
                continue
            if not ast.unparse(node.func.value).endswith("settings"):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant):
                continue
            name = node.args[0].value
            if not (isinstance(name, str) and name.isupper()):
                continue
            default: object = NO_DEFAULT
            if method != "set" and len(node.args) > 1:
                try:
                    default = ast.literal_eval(node.args[1])
                except ValueError:
                    default = NO_DEFAULT
            uses.append(SettingUse(name, Site(path, node.lineno), default, method == "set"))
    return uses


def stats_keys() -> dict[str, list[Site]]:
    """Every string the code writes that starts with ``aggregator/`` (docstrings aside): a
    constant as it is, an f-string with each ``{…}`` as ``<…>``."""
    keys: dict[str, list[Site]] = {}
    for path, tree in modules():
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                skip.update(id(part) for part in node.values)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            text: str | None = None
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            elif isinstance(node, ast.JoinedStr):
                text = "".join(
                    f"<{ast.unparse(part.value)}>"
                    if isinstance(part, ast.FormattedValue)
                    else str(getattr(part, "value", ""))
                    for part in node.values
                )
            if text is not None and text.startswith("aggregator/"):
                keys.setdefault(text, []).append(Site(path, getattr(node, "lineno", 0)))
    return keys


def _docstrings(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def key_pattern(key: str, placeholder: str) -> re.Pattern[str]:
    """``key`` as a pattern: each ``<…>`` stands for ``placeholder`` (a regex)."""
    parts = PLACEHOLDER.split(key)
    return re.compile(placeholder.join(re.escape(part) for part in parts))
