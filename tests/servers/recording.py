"""A static HTTP server for a mirror folder, on 127.0.0.1 only, that records every request.

The incremental-run tests count what a run asked for: each request is logged as a
``Logged(path, status, conditional)`` (``conditional``: it carried ``If-None-Match`` or
``If-Modified-Since``). Every file is served with validators: an ``ETag`` made from its bytes
(so a copy of a mirror keeps the ETags of the files it did not change) and ``Last-Modified``
from its mtime; a conditional request for a file whose ETag matches (or, without
``If-None-Match``, that was not modified since) is answered ``304`` with no body.
``validators=False`` serves no validators (a server that gives none).

    with recording(root) as server:
        url = server.url_for("index.html")
        ...
        server.log  # every request so far, in order

The folder served can be swapped while it runs (``server.root = other``): same URLs.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.servers.loopback import LoopbackServer, QuietHandler, ServingThread


@dataclass(frozen=True)
class Logged:
    path: str
    status: int
    conditional: bool


class _Handler(QuietHandler):
    server: LoopbackServer[RecordingServer]

    def do_GET(self) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        file = (owner.root / path.lstrip("/")).resolve()
        if file.is_dir():
            file = file / "index.html"
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        conditional = bool(if_none_match or if_modified_since)
        if not file.is_file() or not file.is_relative_to(owner.root):
            owner.record(Logged(path, 404, conditional))
            self._answer(404, b"not found", {})
            return
        data = file.read_bytes()
        etag = f'"{hashlib.sha1(data).hexdigest()[:16]}"'
        modified = email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)
        validators = {"ETag": etag, "Last-Modified": modified} if owner.validators else {}
        unchanged = False
        if owner.validators and if_none_match:
            unchanged = etag in [tag.strip() for tag in if_none_match.split(",")]
        elif owner.validators and if_modified_since:
            since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            unchanged = int(file.stat().st_mtime) <= since
        if unchanged:
            owner.record(Logged(path, 304, conditional))
            self._answer(304, b"", validators)
            return
        owner.record(Logged(path, 200, conditional))
        self._answer(200, data, {"Content-Type": "text/html; charset=utf-8", **validators})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class RecordingServer:
    def __init__(self, root: Path, *, validators: bool = True) -> None:
        self._root = Path(root).resolve()
        self.validators = validators
        self._lock = threading.Lock()
        self._log: list[Logged] = []
        self._httpd = LoopbackServer(self, _Handler)
        self._serving = ServingThread(self._httpd, "recording-server")

    def start(self) -> RecordingServer:
        self._serving.start()
        return self

    def stop(self) -> None:
        self._serving.stop()

    @property
    def url(self) -> str:
        return self._httpd.url

    def url_for(self, path: str) -> str:
        return self._httpd.url_for(path)

    @property
    def root(self) -> Path:
        with self._lock:
            return self._root

    @root.setter
    def root(self, folder: Path) -> None:
        with self._lock:
            self._root = Path(folder).resolve()

    def record(self, entry: Logged) -> None:
        with self._lock:
            self._log.append(entry)

    @property
    def log(self) -> list[Logged]:
        with self._lock:
            return list(self._log)

    def clear(self) -> list[Logged]:
        """The log so far, and a new empty one from now on."""
        with self._lock:
            log, self._log = self._log, []
        return log


@contextmanager
def recording(root: Path, **options: Any) -> Iterator[RecordingServer]:
    server = RecordingServer(root, **options).start()
    try:
        yield server
    finally:
        server.stop()
