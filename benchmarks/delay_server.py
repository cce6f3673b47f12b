"""A static HTTP server for a mirror that answers every request after a fixed delay, on
127.0.0.1 only, in a background thread, and counts the requests it is answering at once.

A crawl against it is bound by waiting, as on the live site (where a page takes a round trip
and the server's time): the frontier benchmark measures how pages/s grow with workers, and
the politeness test reads ``max_in_flight``, the most requests it ever had open together.

    with DelayServer(root, delay=0.05) as server:
        server.url_for("index.html"); ...; server.max_in_flight
"""

from __future__ import annotations

import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

HOST = "127.0.0.1"


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a crawler's connections are

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        owner = cast(_HTTPServer, args[2]).owner
        super().__init__(*args, directory=str(owner.root), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass  # no access log

    def do_GET(self) -> None:
        owner = cast(_HTTPServer, self.server).owner
        owner.gate.wait()  # held (``hold``): not counted until ``release``
        owner.enter()
        try:
            time.sleep(owner.delay)
            super().do_GET()
        finally:
            owner.leave()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, owner: DelayServer) -> None:
        self.owner = owner
        super().__init__((HOST, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client killed mid-answer (a test's point) is no error


class DelayServer:
    def __init__(self, root: Path, delay: float) -> None:
        self.root = Path(root).resolve()
        self.delay = delay
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.requests = 0
        self.first_at = 0.0  # time.monotonic() of the first request since reset()
        self.last_at = 0.0  # and of the last answer
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.gate = threading.Event()  # set: requests are answered; clear: they wait
        self.gate.set()

    def hold(self) -> None:
        """Requests wait, uncounted, until ``release``: the benchmark starts its workers'
        clock once every one of them is ready, not while some still start up."""
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def enter(self) -> None:
        with self._lock:
            if not self.requests:
                self.first_at = time.monotonic()
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1
            self.last_at = time.monotonic()

    def reset(self) -> None:
        with self._lock:
            self.max_in_flight = self.in_flight
            self.requests = 0
            self.first_at = self.last_at = 0.0

    @property
    def pages_per_s(self) -> float:
        """Requests answered since ``reset()`` over the time from the first to the last."""
        with self._lock:
            span = self.last_at - self.first_at
            return self.requests / span if span > 0 else 0.0

    def __enter__(self) -> DelayServer:
        self._httpd = _HTTPServer(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://{HOST}:{self._httpd.server_address[1]}"

    def url_for(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"
