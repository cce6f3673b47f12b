"""A fault-injecting HTTP server for a mirror folder: 127.0.0.1 only, bounded, stopped by the test.

Each path of the mirror may be given a list of ``Fault``s: the first request for the path
gets the first fault, the second the second, and so on; once the list is used up the path
is served as it is on disk (``times=None`` on the last fault repeats it for ever). Faults:

    status     an HTTP status (``503``, ``429`` …), with headers such as ``Retry-After``
               (``HTTP-DATE+N`` in a value: the HTTP date N seconds from now)
    slow       the page, after ``seconds``
    reset      the connection closed with a TCP reset, before any response
    truncate   ``Content-Length`` of the whole page, a part of it sent, then the connection closed
    chunked_cut  a chunked body that stops mid-page
    charset    the page re-encoded in ``encoding``, under a header declaring ``declared``
    oversize   a page of ``size`` bytes, with or without ``Content-Length``
    redirect   a 302 to ``location`` (relative to the server, or absolute: another host)
    challenge  a bot-protection check page, with ``status`` 200 or 403/503
    garbage    random bytes, NULs included, as ``text/html``
    junk_markup  text with tags in no order, no headline, no page structure
    corrupt_gzip  ``Content-Encoding: gzip`` over bytes that do not inflate

Every request is recorded with its path and time (``server.requests``), so a test can check
how far apart the attempts were. The server's life is bounded: after ``max_requests`` it
answers 503, and after ``max_seconds`` it stops listening, whether or not the test stops it.

    with serve(root, {"stories/x.html": [Fault.status(503, {"Retry-After": "2"})]}) as server:
        run_crawl(..., f"start_urls={server.url_for('index.html')}")
        server.times("stories/x.html")
"""

from __future__ import annotations

import email.utils
import random
import socket
import struct
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.servers.loopback import LoopbackServer, QuietHandler, ServingThread

CHALLENGE_HTML = """<!DOCTYPE html><html lang="en"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h2>Checking your connection before accessing the site.</h2>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<noscript>Enable JavaScript and cookies to continue</noscript>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>
</div></body></html>"""

JUNK_MARKUP = (
    "<<<div>>>>< p class=== >>>  </td></tr></table></span><<<<>>>> %%% ;;; <a href=> "
    "</ </ </ <! <!-- -- > ]]> &&&& &#xZZZ; " * 40
)


@dataclass(frozen=True)
class Fault:
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    times: int | None = 1  # None: for every request from here on

    @classmethod
    def status(
        cls, code: int, headers: dict[str, str] | None = None, times: int | None = 1
    ) -> Fault:
        return cls("status", {"code": code, "headers": headers or {}}, times)

    @classmethod
    def slow(cls, seconds: float, times: int | None = 1) -> Fault:
        return cls("slow", {"seconds": seconds}, times)

    @classmethod
    def reset(cls, times: int | None = 1) -> Fault:
        return cls("reset", {}, times)

    @classmethod
    def truncate(cls, fraction: float = 0.5, times: int | None = 1) -> Fault:
        return cls("truncate", {"fraction": fraction}, times)

    @classmethod
    def chunked_cut(cls, fraction: float = 0.5, times: int | None = 1) -> Fault:
        return cls("chunked_cut", {"fraction": fraction}, times)

    @classmethod
    def charset(cls, encoding: str, declared: str, times: int | None = None) -> Fault:
        return cls("charset", {"encoding": encoding, "declared": declared}, times)

    @classmethod
    def oversize(cls, size: int, with_length: bool, times: int | None = None) -> Fault:
        return cls("oversize", {"size": size, "with_length": with_length}, times)

    @classmethod
    def redirect(cls, location: str, times: int | None = None) -> Fault:
        return cls("redirect", {"location": location}, times)

    @classmethod
    def challenge(cls, status: int = 200, times: int | None = None) -> Fault:
        return cls("challenge", {"status": status}, times)

    @classmethod
    def garbage(cls, size: int = 20_000, times: int | None = None) -> Fault:
        return cls("garbage", {"size": size}, times)

    @classmethod
    def junk_markup(cls, times: int | None = None) -> Fault:
        return cls("junk_markup", {}, times)

    @classmethod
    def corrupt_gzip(cls, times: int | None = None) -> Fault:
        return cls("corrupt_gzip", {}, times)


class _Handler(QuietHandler):
    server: LoopbackServer[FaultServer]

    def do_GET(self) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path).lstrip("/")
        fault = owner.next_fault(path)
        if fault is None:
            self.close_connection = True
            self._send(503, b"fault_server: lifetime over", {})
            return
        if fault.kind == "none":
            self._serve_file(path)
            return
        getattr(self, f"_fault_{fault.kind}")(path, **fault.options)

    # -- plain answers ---------------------------------------------------------------------

    def _send(
        self, code: int, body: bytes, headers: dict[str, str], ctype: str = "text/html"
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", headers.pop("Content-Type", ctype))
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _page(self, path: str) -> bytes | None:
        target = (self.server.owner.root / path).resolve()
        if not target.is_relative_to(self.server.owner.root) or not target.is_file():
            return None
        return target.read_bytes()

    def _serve_file(self, path: str) -> None:
        body = self._page(path or "index.html")
        if body is None:
            self._send(404, b"not found", {})
            return
        self._send(200, body, {"Content-Type": "text/html; charset=utf-8"})

    # -- faults ----------------------------------------------------------------------------

    def _fault_status(self, path: str, code: int, headers: dict[str, str]) -> None:
        # "HTTP-DATE+N": an HTTP date N seconds from now (Retry-After's other form)
        sent = {
            name: email.utils.formatdate(time.time() + float(value[10:]), usegmt=True)
            if value.startswith("HTTP-DATE+")
            else value
            for name, value in headers.items()
        }
        self._send(code, f"<html><body>fault {code}</body></html>".encode(), sent)

    def _fault_slow(self, path: str, seconds: float) -> None:
        time.sleep(seconds)
        self._serve_file(path)

    def _fault_reset(self, path: str) -> None:
        # SO_LINGER 0: close() sends a RST, as a crashed or overloaded peer does
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _fault_truncate(self, path: str, fraction: float) -> None:
        body = self._page(path) or b""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: int(len(body) * fraction)])
        self.wfile.flush()
        self.close_connection = True

    def _fault_chunked_cut(self, path: str, fraction: float) -> None:
        body = self._page(path) or b""
        part = body[: int(len(body) * fraction)]
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        self.wfile.flush()
        self.close_connection = True  # no last chunk: the body stops mid-page

    def _fault_charset(self, path: str, encoding: str, declared: str) -> None:
        text = (self._page(path) or b"").decode("utf-8")
        # characters the code page lacks become character references: the same page
        body = text.encode(encoding, errors="xmlcharrefreplace")
        self._send(200, body, {"Content-Type": f"text/html; charset={declared}"})

    def _fault_oversize(self, path: str, size: int, with_length: bool) -> None:
        filler = b"<p>" + b"x" * 1000 + b"</p>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        sent = 0
        try:
            while sent < size:
                chunk = filler[: size - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client gave up, as it should

    def _fault_redirect(self, path: str, location: str) -> None:
        self._send(302, b"", {"Location": location})

    def _fault_challenge(self, path: str, status: int) -> None:
        headers = {"cf-mitigated": "challenge"} if status != 200 else {}
        self._send(status, CHALLENGE_HTML.encode(), headers)

    def _fault_garbage(self, path: str, size: int) -> None:
        noise = random.Random(path).randbytes(size)
        self._send(200, noise, {"Content-Type": "text/html"})

    def _fault_corrupt_gzip(self, path: str) -> None:
        # a gzip header, then a deflate block of the reserved type: nothing inflates
        body = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 2000
        self._send(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip"})

    def _fault_junk_markup(self, path: str) -> None:
        self._send(200, JUNK_MARKUP.encode(), {"Content-Type": "text/html; charset=utf-8"})


class FaultServer:
    def __init__(
        self, root: Path, faults: dict[str, list[Fault]], max_requests: int, max_seconds: float
    ) -> None:
        self.root = root.resolve()
        self.faults = {path: list(plan) for path, plan in faults.items()}
        self.used: dict[str, int] = defaultdict(int)
        self.requests: list[tuple[str, float]] = []
        self.max_requests = max_requests
        self.deadline = time.monotonic() + max_seconds
        self.lock = threading.Lock()
        self.httpd = LoopbackServer(self, _Handler)
        self.port = self.httpd.port

    def url_for(self, path: str) -> str:
        return self.httpd.url_for(path)

    def next_fault(self, path: str) -> Fault | None:
        """The fault for this request of ``path`` (kind ``none``: serve it); None when the
        server's lifetime is over."""
        with self.lock:
            if len(self.requests) >= self.max_requests or time.monotonic() > self.deadline:
                return None
            self.requests.append((path, time.monotonic()))
            count = self.used[path]
            self.used[path] += 1
            for fault in self.faults.get(path, []):
                if fault.times is None or count < fault.times:
                    return fault
                count -= fault.times
            return Fault("none")

    def times(self, path: str) -> list[float]:
        """When each request for ``path`` arrived (monotonic seconds)."""
        with self.lock:
            return [t for p, t in self.requests if p == path]

    def count(self, path: str) -> int:
        return len(self.times(path))

    def _watch(self, serving: ServingThread) -> None:
        while time.monotonic() < self.deadline and not self._stopped.wait(0.5):
            pass
        serving.stop()

    @contextmanager
    def running(self) -> Iterator[FaultServer]:
        self._stopped = threading.Event()
        serving = ServingThread(self.httpd, "fault-server")
        # the server's life is bounded even if the test never leaves the block
        watch = threading.Thread(target=self._watch, args=(serving,), daemon=True)
        serving.start()
        watch.start()
        try:
            yield self
        finally:
            self._stopped.set()
            watch.join(timeout=10)


@contextmanager
def serve(
    root: Path,
    faults: dict[str, list[Fault]],
    max_requests: int = 2_000,
    max_seconds: float = 300.0,
) -> Iterator[FaultServer]:
    server = FaultServer(root, faults, max_requests, max_seconds)
    with server.running() as running:
        yield running
