"""A slow static HTTP server for a mirror folder, on 127.0.0.1 only, in a background thread.

The incremental-run tests stop real ``scrapy crawl`` processes at a counted point, never on a
timer alone: this server counts the story pages it served (paths holding ``/stories/``), lets
a test wait until N of them were served, and can hold story requests (they wait, unanswered,
until released) so that a crawl cannot finish while a test looks at it. Each story page is
answered after a small delay, which spreads a crawl over time without making it long.

Its life is bounded: after ``max_requests`` requests it answers 503 to everything, and after
``max_seconds`` it stops listening (connections are refused), whether or not the test that
started it ever stops it. It binds 127.0.0.1 and nothing else.

    with serve(root, story_delay=0.005) as server:
        url = server.url_for("index.html")
        ...
        assert server.wait_for_story_pages(100, timeout=60)

The folder served can be swapped while it runs (``server.root = other``): the URL, and so the
URLs in the items, stay the same.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from socketserver import BaseRequestHandler
from typing import Any, cast

import pytest

from tests.servers.loopback import LoopbackServer, QuietHandler, ServingThread

DEFAULT_STORY_DELAY = 0.005  # seconds, before each story page is answered
DEFAULT_MAX_REQUESTS = 60_000
DEFAULT_MAX_SECONDS = 1_800.0
HOLD_TIMEOUT = 300.0  # a held request is answered (503) after this long at the latest


def is_story_path(path: str) -> bool:
    return "/stories/" in path.split("?", 1)[0]


class _Handler(QuietHandler, SimpleHTTPRequestHandler):
    """Serves ``server.owner.root``; story pages after the owner's delay (and gate)."""

    server: _HTTPServer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        owner = cast(_HTTPServer, args[2]).owner
        super().__init__(*args, directory=str(owner.root), **kwargs)

    def _refused(self) -> bool:
        owner = self.server.owner
        if owner.admit():
            return False
        self.close_connection = True
        self.send_error(503, "slow_server: lifetime over")
        return True

    def do_GET(self) -> None:
        if self._refused():
            return
        owner = self.server.owner
        story = is_story_path(self.path)
        if story and not owner.before_story():
            self.close_connection = True
            self.send_error(503, "slow_server: held too long or stopped")
            return
        handle = self.send_head()
        if handle is None:
            return
        try:
            self.copyfile(handle, self.wfile)
            self.wfile.flush()
        finally:
            handle.close()
        if story:
            owner.story_served()

    def do_HEAD(self) -> None:
        if self._refused():
            return
        handle = self.send_head()
        if handle is not None:
            handle.close()


class _HTTPServer(LoopbackServer["SlowServer"]):
    request_queue_size = 128

    def __init__(self, owner: SlowServer, handler: type[BaseRequestHandler]) -> None:
        self.dropped_connections = 0
        super().__init__(owner, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-answer (the point of these tests) is no error to print."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            self.dropped_connections += 1
            return
        super().handle_error(request, client_address)


class SlowServer:
    """A mirror folder over HTTP on 127.0.0.1, with a story-page counter and gate."""

    def __init__(
        self,
        root: Path,
        *,
        story_delay: float = DEFAULT_STORY_DELAY,
        max_requests: int = DEFAULT_MAX_REQUESTS,
        max_seconds: float = DEFAULT_MAX_SECONDS,
    ) -> None:
        if story_delay < 0 or max_requests < 1 or max_seconds <= 0:
            raise ValueError("story_delay >= 0, max_requests >= 1, max_seconds > 0")
        self._root = Path(root).resolve()
        self.story_delay = story_delay
        self.max_requests = max_requests
        self.max_seconds = max_seconds
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._requests = 0
        self._stories = 0
        self._refused = 0
        self._open = threading.Event()  # the gate for story pages: set = open
        self._open.set()
        self._stopped = threading.Event()
        self._deadline = 0.0
        self._httpd: _HTTPServer | None = None
        self._serving: ServingThread | None = None
        self._timer: threading.Timer | None = None

    # -- life -----------------------------------------------------------------------------

    def start(self) -> SlowServer:
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._httpd = _HTTPServer(self, _Handler)
        self._deadline = time.monotonic() + self.max_seconds
        self._serving = ServingThread(self._httpd, "slow-server")
        self._serving.start()
        self._timer = threading.Timer(self.max_seconds, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stop(self) -> None:
        """Stop listening and release held requests (idempotent; any thread)."""
        with self._lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
            self._changed.notify_all()
        self._open.set()  # held requests wake up and are refused
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        if self._serving is not None:
            self._serving.stop()

    def __enter__(self) -> SlowServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- where ----------------------------------------------------------------------------

    @property
    def httpd(self) -> _HTTPServer:
        if self._httpd is None:
            raise RuntimeError("not started")
        return self._httpd

    @property
    def port(self) -> int:
        return self.httpd.port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, no trailing slash."""
        return self.httpd.url

    def url_for(self, path: str) -> str:
        return self.httpd.url_for(path)

    @property
    def root(self) -> Path:
        with self._lock:
            return self._root

    @root.setter
    def root(self, folder: Path) -> None:
        """Serve another folder from the next request on (same port, same URLs)."""
        with self._lock:
            self._root = Path(folder).resolve()

    # -- counts ---------------------------------------------------------------------------

    @property
    def story_pages(self) -> int:
        """Story pages served so far (answered 200, body written)."""
        with self._lock:
            return self._stories

    @property
    def requests(self) -> int:
        """Requests admitted so far (any path, any answer)."""
        with self._lock:
            return self._requests

    @property
    def refused(self) -> int:
        with self._lock:
            return self._refused

    def wait_for_story_pages(self, count: int, timeout: float) -> bool:
        """True once ``count`` story pages were served in all; False after ``timeout`` s
        (or when the server stopped first)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._stories >= count or self._stopped.is_set(), timeout=timeout
            ) and (self._stories >= count)

    def story_pages_event(self, count: int) -> threading.Event:
        """An event set once ``count`` story pages were served in all."""
        event = threading.Event()

        def watch() -> None:
            deadline = max(self._deadline - time.monotonic(), 0.0)
            if self.wait_for_story_pages(count, timeout=deadline):
                event.set()

        threading.Thread(target=watch, name="slow-server-watch", daemon=True).start()
        return event

    # -- the gate ---------------------------------------------------------------------------

    def hold_story_pages(self) -> None:
        """From now on, story requests wait unanswered until ``release_story_pages``."""
        self._open.clear()

    def release_story_pages(self) -> None:
        self._open.set()

    # -- called by the handler --------------------------------------------------------------

    def admit(self) -> bool:
        with self._lock:
            if (
                self._stopped.is_set()
                or self._requests >= self.max_requests
                or time.monotonic() >= self._deadline
            ):
                self._refused += 1
                return False
            self._requests += 1
            return True

    def before_story(self) -> bool:
        """Wait for the gate, then the delay; False when the server stopped meanwhile."""
        if not self._open.wait(timeout=HOLD_TIMEOUT) or self._stopped.is_set():
            return False
        if self.story_delay:
            time.sleep(self.story_delay)
        return not self._stopped.is_set()

    def story_served(self) -> None:
        with self._changed:
            self._stories += 1
            self._changed.notify_all()


@contextmanager
def serve(
    root: Path,
    *,
    story_delay: float = DEFAULT_STORY_DELAY,
    max_requests: int = DEFAULT_MAX_REQUESTS,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Iterator[SlowServer]:
    """Serve ``root`` on 127.0.0.1 for the duration of the block."""
    server = SlowServer(
        root, story_delay=story_delay, max_requests=max_requests, max_seconds=max_seconds
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def slow_server_factory() -> Iterator[Any]:
    """``start(root, **options) -> SlowServer``: servers stopped at the end of the test."""
    started: list[SlowServer] = []

    def start(root: Path, **options: Any) -> SlowServer:
        server = SlowServer(root, **options).start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()
