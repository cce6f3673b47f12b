"""A static HTTP server for a mirror, on 127.0.0.1 only, in a process of its own.

    python -m benchmarks.server ROOT [--max-seconds S]

Twisted's ``static.File`` on the default reactor. It binds a free port, prints it on
stdout as ``PORT <n>``, and stops when its stdin closes (the parent ended or said so) or
after ``--max-seconds``, whichever comes first. ``serve(root)`` starts it and stops it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
DEFAULT_MAX_SECONDS = 1800.0
START_TIMEOUT = 30.0


def main(argv: list[str] | None = None) -> int:
    from twisted.internet import reactor as default_reactor
    from twisted.web.server import Site
    from twisted.web.static import File

    parser = argparse.ArgumentParser(prog="python -m benchmarks.server")
    parser.add_argument("root", type=Path)
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
    args = parser.parse_args(argv)
    reactor: Any = default_reactor
    resource = File(str(args.root.resolve()))
    site = Site(resource)  # type: ignore[no-untyped-call]
    site.noisy = False
    site.log = lambda request: None  # type: ignore[method-assign]  # no access log
    port = reactor.listenTCP(0, site, interface=HOST, backlog=128)
    print(f"PORT {port.getHost().port}", flush=True)

    def watch_stdin() -> None:
        sys.stdin.read()  # returns when the parent closes the pipe or exits
        reactor.callFromThread(reactor.stop)

    threading.Thread(target=watch_stdin, daemon=True).start()
    reactor.callLater(args.max_seconds, reactor.stop)
    reactor.run()
    return 0


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    pid: int


@contextmanager
def serve(root: Path, max_seconds: float = DEFAULT_MAX_SECONDS) -> Iterator[Server]:
    """Serve ``root`` for the duration of the block."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server", str(root), "--max-seconds", str(max_seconds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = _read_port(process)
        yield Server(f"http://{HOST}:{port}", process.pid)
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _read_port(process: subprocess.Popen[str]) -> int:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        found.append(process.stdout.readline())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(START_TIMEOUT)
    line = found[0] if found else ""
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"the mirror server did not start (said {line!r})")
    return int(line.split()[1])


if __name__ == "__main__":
    sys.exit(main())
