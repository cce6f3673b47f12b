"""The field docs of the feed records (``aggregator/items.py``): the docstring under each
field of ``Article`` and ``Teaser``, read from the module's source (Python keeps no
attribute docstrings at run time), so the column descriptions have one source."""

from __future__ import annotations

import ast
import functools
import inspect

from aggregator import items


@functools.cache
def field_docs() -> dict[str, dict[str, str]]:
    """``{"Article": {"title": "The headline.", …}, "Teaser": {…}}``, whitespace folded,
    the reST literal marks left out (Datasette shows descriptions as plain text)."""
    tree = ast.parse(inspect.getsource(items))
    docs: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = docs.setdefault(node.name, {})
        for field, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(field, ast.AnnAssign)
                and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                text = " ".join(after.value.value.split())
                fields[field.target.id] = text.replace("``", "")  # reST literals, read as text
    return docs
