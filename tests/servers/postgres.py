"""A throwaway PostgreSQL cluster: ``initdb`` in a temporary folder, ``pg_ctl`` on 127.0.0.1
on a free port, its socket in that folder too; stopped and removed by ``stop``.

``initdb`` refuses to run as root: as root the cluster is made and run by the ``postgres``
user (``runuser``), which then owns the folder. ``find_bin`` says why there is no cluster to
be had (the tests skip with that reason; ``.ci/run`` installs Debian's ``postgresql``).
Used by the tests' session fixture and by ``benchmarks.index_bench``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"


def find_bin() -> Path | str:
    """The folder of ``initdb`` and ``pg_ctl``, or why there is none."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    as_user: str | None  # run the server as this user (we are root)

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.as_user, "--"] if self.as_user else []
        return subprocess.run(
            [*prefix, *command], capture_output=True, text=True, check=False, timeout=120
        )

    def start(self) -> None:
        data = self.folder / "data"
        made = self._run(
            str(self.bin / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        if made.returncode:
            raise RuntimeError(f"initdb failed: {made.stderr.strip()[-800:]}")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        started = self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if started.returncode:
            log = (self.folder / "server.log").read_text(errors="replace")[-800:]
            raise RuntimeError(f"pg_ctl start failed: {started.stderr.strip()} {log}")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def cluster() -> Iterator[Cluster]:
    """A running cluster (``RuntimeError`` when there is no PostgreSQL, or it fails)."""
    where = find_bin()
    if isinstance(where, str):
        raise RuntimeError(where)
    folder = Path(tempfile.mkdtemp(prefix="aggregator-pg-"))
    as_user = None
    if os.geteuid() == 0:
        as_user = SUPERUSER
        user = pwd.getpwnam(SUPERUSER)
        os.chown(folder, user.pw_uid, user.pw_gid)
    server = Cluster(where, folder, _free_port(), as_user)
    try:
        server.start()
        yield server
    finally:
        server.stop()


_databases = itertools.count(1)


def postgres_database(server: Cluster) -> str:
    """The URL of a new, empty database of ``server``."""
    import psycopg

    name = f"test_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url.rsplit("/", 1)[0] + f"/{name}"
