"""A scrapyd for the tests: its own virtual environment, cached, and a server on loopback.

scrapyd and scrapyd-client are not project dependencies, and they must not share the
project's venv: there the project is installed (editable), and an installed ``aggregator``
comes before the deployed egg on ``sys.path``, so a job would run the checkout instead of the
egg. ``tests/.scrapyd-venv/venv`` holds scrapyd, scrapyd-client and the project's dependencies
(read from pyproject.toml, at the versions of the environment running the tests), not the
project. It is made once and kept while its inputs are the same (a stamp file holds their
hash). When pip cannot reach a package registry, ``scrapyd_python`` skips the calling test
with the reason.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.crawl import ROOT

# the versions this set-up is tested with (scrapyd 1.6 needs setuptools < 81: pkg_resources)
SCRAPYD = ("scrapyd==1.6.0", "scrapyd-client==2.0.3")
# set AGGREGATOR_SCRAPYD_VENV to keep the venv elsewhere. The last folder is named "venv"
# so that ruff (whose default excludes skip any folder named venv) never lints the scripts
# pip puts in its bin/, even before tests/.scrapyd-venv/ is git-ignored.
VENV = Path(os.environ.get("AGGREGATOR_SCRAPYD_VENV") or ROOT / "tests" / ".scrapyd-venv" / "venv")
STAMP = ".aggregator-stamp"
PIP_TIMEOUT = 600  # seconds, for the whole install
# what pip prints when it cannot reach a registry (or the registry lacks the package)
_UNREACHABLE = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ProxyError",
    "SSLError",
    "(from versions: none)",
    "No matching distribution found",
)


def requirements() -> list[str]:
    """What the venv installs: scrapyd, scrapyd-client, the project's dependencies."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [*SCRAPYD, *project["project"]["dependencies"]]


def canonicalize_name(name: str) -> str:
    """A distribution name as pip compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> list[str]:
    """The versions of the running environment (the project's venv), as pip constraints, so
    that the jobs run the same Scrapy, Twisted, lxml… as the other tests."""
    project = canonicalize_name("aggregator")
    pinned: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"] or "")
        if name and name not in (project, "pip", "setuptools", "wheel"):
            pinned[name] = dist.version
    return [f"{name}=={version}" for name, version in sorted(pinned.items())]


def _stamp() -> str:
    inputs = {
        "python": sys.version,
        "requirements": requirements(),
        "constraints": constraints(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _usable(venv: Path, stamp: str) -> bool:
    marker = venv / STAMP
    if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != stamp:
        return False
    # scrapyd's parts import; ``aggregator`` must not: the egg is the only copy jobs may see
    check = (
        "import importlib.util, sys, scrapy, scrapyd, scrapyd_client; "
        "sys.exit(importlib.util.find_spec('aggregator') is not None)"
    )
    done = subprocess.run(
        [str(_python(venv)), "-c", check], capture_output=True, check=False, cwd=venv
    )
    return done.returncode == 0


def _unreachable(output: str) -> str | None:
    """The line of pip's output that says the registry could not be reached, if any (its
    last such line: the ERROR after the retries)."""
    for line in reversed(output.splitlines()):
        if any(sign in line for sign in _UNREACHABLE):
            return line.strip()
    return None


@contextlib.contextmanager
def _locked(venv: Path) -> Iterator[None]:
    """One test session at a time makes or checks ``venv`` (two ``make test`` at once)."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f".{venv.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def scrapyd_python(venv: Path = VENV) -> Path:
    """The Python of the scrapyd venv, made (or remade) when needed; skips the calling test
    when pip cannot reach a registry or no venv can be made."""
    with _locked(venv):
        return _make(venv)


def _make(venv: Path) -> Path:
    stamp = _stamp()
    if _usable(venv, stamp):
        return _python(venv)
    shutil.rmtree(venv, ignore_errors=True)
    made = subprocess.run(
        [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
    )
    if made.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        pytest.skip(f"cannot make a venv for scrapyd: {(made.stderr or made.stdout).strip()}")
    (venv / "constraints.txt").write_text("\n".join(constraints()) + "\n", encoding="utf-8")
    command = [
        str(_python(venv)),
        *("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-input"),
        *("--retries", "2", "--timeout", "30"),
        *("--constraint", str(venv / "constraints.txt")),
        *requirements(),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=PIP_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(venv, ignore_errors=True)
        pytest.skip(f"pip install of scrapyd took over {PIP_TIMEOUT} s: registry unreachable?")
    if done.returncode != 0:
        output = done.stdout + done.stderr
        shutil.rmtree(venv, ignore_errors=True)
        reason = _unreachable(output)
        if reason is not None:
            pytest.skip(f"pip cannot install scrapyd (offline?): {reason}")
        pytest.fail(f"pip install into {venv} failed:\n{output[-4000:]}")
    (venv / STAMP).write_text(stamp + "\n", encoding="utf-8")
    if not _usable(venv, stamp):
        pytest.fail(f"{venv}: scrapyd or scrapyd-client does not import (or aggregator does)")
    return _python(venv)


# -- a scrapyd server on 127.0.0.1 ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_config(folder: Path, port: int) -> Path:
    """``folder/scrapyd.conf``: loopback, ``port``, every folder inside ``folder``, jobs polled
    often, ``items_dir`` empty (scrapyd#497: a non-empty one makes scrapyd pass its own FEEDS,
    which replace the project's feeds)."""
    config = folder / "scrapyd.conf"
    config.write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {folder / 'eggs'}\n"
        f"logs_dir = {folder / 'logs'}\n"
        f"dbs_dir = {folder / 'dbs'}\n"
        "items_dir =\n"
        "jobs_dir =\n"
        "max_proc = 1\n"
        "poll_interval = 0.2\n"
        "username =\n"
        "password =\n",
        encoding="utf-8",
    )
    return config


class Scrapyd:
    """A scrapyd process (``python -m scrapyd`` in ``folder``) and its JSON API."""

    def __init__(self, python: Path, folder: Path) -> None:
        self.python = python
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.output = folder / "scrapyd.out"
        self.process: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        """The environment scrapyd and its jobs see: the caller's, without Scrapy's or
        scrapyd's variables, HOME in ``folder`` (no ~/.scrapyd.conf or ~/.scrapy.cfg)."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("SCRAPY_", "SCRAPYD_", "PYTHON"))
        }
        env.update(HOME=str(self.folder), XDG_CONFIG_HOME=str(self.folder / ".config"))
        return env

    def start(self, timeout: float = 30) -> None:
        write_config(self.folder, self.port)
        with self.output.open("wb") as output:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "scrapyd", "--pidfile="],
                cwd=self.folder,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its jobs too can be stopped as one group
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"scrapyd exited {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError):
                if self.get("daemonstatus.json").get("status") == "ok":
                    return
            time.sleep(0.2)
        raise RuntimeError(f"scrapyd did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """Stop scrapyd and whatever job it still runs (its process group), by their id."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)

    def log(self) -> str:
        """What scrapyd printed (its own log)."""
        return self.output.read_text(encoding="utf-8", errors="replace")

    def get(self, endpoint: str, **query: str) -> dict[str, Any]:
        url = self.url + endpoint + (f"?{urllib.parse.urlencode(query)}" if query else "")
        with urllib.request.urlopen(url, timeout=10) as response:
            data: dict[str, Any] = json.load(response)
        return data

    def post(
        self,
        endpoint: str,
        fields: list[tuple[str, str]],
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> dict[str, Any]:
        """POST ``fields`` (a name may repeat) and ``files`` (name: (filename, data))."""
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.url + endpoint, data=body, headers={"Content-Type": content_type}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            data: dict[str, Any] = json.load(response)
        return data


def _multipart(
    fields: list[tuple[str, str]], files: dict[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, (filename, data) in files.items():
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def running(python: Path, folder: Path) -> Iterator[Scrapyd]:
    """A started scrapyd in ``folder``, stopped on the way out whatever happens."""
    server = Scrapyd(python, folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
