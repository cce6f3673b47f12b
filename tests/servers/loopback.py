"""What the loopback HTTP test servers share (``recording``, ``slow``, ``fault``).

Each binds 127.0.0.1 and a free port (never another address), answers from a daemon thread
(so a test that forgets to stop one cannot hang the interpreter's exit) and is stopped in one
call that stops listening, closes the socket and waits for the thread. Their handlers write
no access log: pytest would show it as the output of every crawl test.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import BaseRequestHandler
from typing import Generic, TypeVar

HOST = "127.0.0.1"

Owner = TypeVar("Owner")


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive: fewer connections for a long crawl), no access log on stderr."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackServer(ThreadingHTTPServer, Generic[Owner]):
    """A threading HTTP server on 127.0.0.1 and a free port; ``owner`` is the test server
    object its handlers ask what to answer."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, owner: Owner, handler: type[BaseRequestHandler]) -> None:
        self.owner = owner
        super().__init__((HOST, 0), handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, no trailing slash."""
        return f"http://{HOST}:{self.port}"

    def url_for(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"


class ServingThread:
    """``serve_forever`` of a server in a daemon thread; ``stop`` is idempotent and may be
    called from any thread but the serving one."""

    def __init__(self, httpd: ThreadingHTTPServer, name: str) -> None:
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, name=name, daemon=True
        )
        self._stopped = False
        self._lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)
