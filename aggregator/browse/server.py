"""The Datasette of an index file: read-only connections (a crawl may be writing the
index) or, ``immutable``, a file nobody writes (Datasette then counts its rows once and
lets browsers cache); the project's metadata, templates, stylesheet and plugin."""

from __future__ import annotations

import asyncio
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

from aggregator.browse import plugin
from aggregator.browse.metadata import SETTINGS, build
from aggregator.index.views import VIEWS

PLUGIN_NAME = "aggregator-browse"


def needs_upgrade(path: Path) -> bool:
    """Whether the index lacks what the browser reads (an index made before it)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    finally:
        db.close()
    return not {*VIEWS, "runs", "run_losses"} <= names


def table_columns(path: Path) -> dict[str, list[str]]:
    """The columns of each table and view of the index."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master")]
        return {
            name: [row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))]
            for name in names
        }
    finally:
        db.close()


def make_datasette(path: Path, immutable: bool = False) -> Any:
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name=PLUGIN_NAME)
    here = resources.files("aggregator.browse")
    files = [str(path)]
    return Datasette(
        files=[] if immutable else files,
        immutables=files if immutable else [],
        metadata=build(path.stem, table_columns(path)),
        template_dir=str(here.joinpath("templates")),
        static_mounts=[(plugin.STATIC_MOUNT, str(here.joinpath("static")))],
        settings=SETTINGS,
    )


def serve(datasette: Any, host: str, port: int) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM)."""
    import uvicorn

    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
