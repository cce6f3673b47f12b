"""Containment: which URLs a crawl may fetch, decided by its start URLs.

- http(s): the hosts of the start URLs, nothing else.
- file://: the mirror's root folder, nothing outside it. The root is what precedes the
  site's own path in the start URL (``/data/site/nb/stories/...`` -> ``/data/site``), or
  the start file's folder. Paths are resolved (``..``, symlinks) before they are compared,
  so a page cannot climb out of the mirror.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.url import file_uri_to_path

from aggregator.site.urls import site_path_start

WEB_SCHEMES = ("http", "https")


def file_url_path(url: str) -> Path:
    """The local path a ``file://`` URL names: w3lib's conversion, the one Scrapy's file
    download handler opens, so containment checks the very file that would be read."""
    return Path(file_uri_to_path(url))


def mirror_root(start_url: str) -> Path:
    path = file_url_path(start_url).as_posix()
    offset = site_path_start(path)
    root = path[:offset] if offset is not None else posixpath.dirname(path)
    return Path(root or "/").resolve()


@dataclass(frozen=True)
class Scope:
    hosts: frozenset[str]
    roots: tuple[Path, ...]

    @classmethod
    def from_start_urls(cls, urls: list[str], root: str | None = None) -> Scope:
        hosts = frozenset(
            (urlsplit(u).hostname or "").lower() for u in urls if urlsplit(u).scheme in WEB_SCHEMES
        )
        file_urls = [u for u in urls if urlsplit(u).scheme == "file"]
        if root:
            roots: tuple[Path, ...] = (Path(root).resolve(),)
        else:
            roots = tuple(dict.fromkeys(mirror_root(u) for u in file_urls))
        return cls(hosts=hosts, roots=roots)

    @property
    def is_local(self) -> bool:
        """True when every start URL is a file or a loopback server: not a live site."""
        return all(h in ("localhost", "127.0.0.1", "::1") for h in self.hosts)

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in WEB_SCHEMES:
            return (parts.hostname or "").lower() in self.hosts
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = file_url_path(url).resolve()
            return any(path.is_relative_to(root) for root in self.roots)
        return False

    def same_site(self, url: str) -> bool:
        """``allows``, or a host above or below a start host (``magzter.com`` for
        ``www.magzter.com``, as Scrapy's offsite rule allows subdomains): where a redirect
        may lead and stay on the crawl's site."""
        if self.allows(url):
            return True
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in WEB_SCHEMES or "." not in host or host.replace(".", "").isdigit():
            return False
        return any(host.endswith(f".{h}") or h.endswith(f".{host}") for h in self.hosts)
