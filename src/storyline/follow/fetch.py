"""Polite, bounded HTTP: every request has timeouts, a size cap, a total deadline, a redirect
limit, an http(s)-only and no-credentials check on every hop, robots.txt (per host, cached)
and a per-host delay. Thread-safe: the poll runs `get` from a pool of `concurrency` threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urljoin

import httpx

from storyline.follow.robots import Robots
from storyline.follow.urls import host, problem

REDIRECTS = {301, 302, 303, 307, 308}
STOPPED = "stopped before the request"


@dataclass
class Fetched:
    """One request's outcome: `status` (None when no HTTP answer came), the final `url` after
    redirects, the body when it was read whole, or the `error` that stopped it."""

    url: str
    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    blocked: bool = False  # robots.txt disallows it: never requested

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200


def user_agent(template: str) -> str:
    try:
        v = version("storyline")
    except PackageNotFoundError:  # running from a source tree that is not installed
        v = "dev"
    return template.replace("{version}", v)


class HostGate:
    """At most one request at a time per host, `delay` seconds apart; a delay of 0 leaves
    only the global concurrency limit. `stop` cuts waits short."""

    def __init__(self, stop: threading.Event) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}
        self._guard = threading.Lock()
        self._stop = stop

    @contextmanager
    def slot(self, key: str, delay: float) -> Iterator[None]:
        if delay <= 0:
            yield
            return
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            wait = self._next.get(key, 0.0) - time.monotonic()
            if wait > 0:
                self._stop.wait(wait)
            try:
                yield
            finally:
                self._next[key] = time.monotonic() + delay


class Fetcher:
    def __init__(self, settings: dict[str, Any], stop: threading.Event | None = None) -> None:
        self.cfg = settings
        self.stop = stop or threading.Event()
        self.agent = user_agent(str(settings["user_agent"]))
        timeout = httpx.Timeout(float(settings["read_timeout"]),
                                connect=float(settings["connect_timeout"]))
        limits = httpx.Limits(max_connections=int(settings["concurrency"]),
                              max_keepalive_connections=int(settings["concurrency"]))
        self.client = httpx.Client(timeout=timeout, limits=limits, follow_redirects=False,
                                   headers={"User-Agent": self.agent})
        self.gate = HostGate(self.stop)
        self.robots = Robots(self, float(settings["robots_hours"]) * 3600)

    def close(self) -> None:
        self.client.close()

    def delay(self, url: str) -> float:
        crawl = self.robots.crawl_delay(url) or 0.0
        return min(max(float(self.cfg["host_delay_seconds"]), crawl),
                   float(self.cfg["max_host_delay_seconds"]))

    def get(self, url: str, *, limit: int, headers: dict[str, str] | None = None,
            robots: bool = True) -> Fetched:
        """GET `url`, following at most `max_redirects` redirects, each hop checked."""
        for _ in range(int(self.cfg["max_redirects"]) + 1):
            reason = problem(url)
            if reason is not None:
                return Fetched(url, error=reason)
            if robots and not self.robots.allowed(url, self.agent):
                return Fetched(url, error="disallowed by robots.txt", blocked=True)
            with self.gate.slot(host(url), self.delay(url) if robots else 0.0):
                if self.stop.is_set():
                    return Fetched(url, error=STOPPED)
                result = self._once(url, limit, headers or {})
            if result.status not in REDIRECTS or result.error:
                return result
            location = result.headers.get("location")
            if not location:
                return Fetched(url, result.status, error="redirect without a Location")
            url = urljoin(url, location)
        return Fetched(url, error=f"more than {self.cfg['max_redirects']} redirects "
                                  "(a redirect loop?)")

    def _once(self, url: str, limit: int, headers: dict[str, str]) -> Fetched:
        deadline = time.monotonic() + float(self.cfg["request_seconds"])
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                got = Fetched(str(response.url), response.status_code,
                              headers={k.lower(): v for k, v in response.headers.items()})
                if response.status_code != 200:
                    return got
                size = response.headers.get("content-length", "")
                if size.isdigit() and int(size) > limit:
                    got.error = f"larger than {limit // 2**20} MB ({int(size) // 2**20} MB)"
                    return got
                got.body, got.error = _read(response, limit, deadline)
                return got
        except httpx.TimeoutException as exc:
            return Fetched(url, error=f"timed out ({type(exc).__name__})")
        except (httpx.HTTPError, httpx.InvalidURL, UnicodeError, ValueError) as exc:
            return Fetched(url, error=f"request failed ({type(exc).__name__}: {exc})"[:300])


def _read(response: httpx.Response, limit: int, deadline: float) -> tuple[bytes, str | None]:
    """The (decompressed) body up to `limit` bytes before `deadline`: a huge or endless page,
    or a compression bomb, stops at the cap."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # as it arrives: the deadline is checked per read
        size += len(chunk)
        if size > limit:
            return b"", f"larger than {limit // 2**20} MB: refused"
        if time.monotonic() > deadline:
            return b"", "took too long (request_seconds): refused"
        chunks.append(chunk)
    return b"".join(chunks), None
