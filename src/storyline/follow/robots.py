"""robots.txt per host, fetched once and kept `ttl` seconds (urllib.robotparser reads it).

As the robots exclusion standard (RFC 9309) says: a missing robots.txt (4xx) allows
everything; one that cannot be read (5xx, network error) disallows the host for this poll.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING
from urllib.robotparser import RobotFileParser

from storyline.follow.urls import host

if TYPE_CHECKING:
    from storyline.follow.fetch import Fetcher

MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


class Robots:
    def __init__(self, fetcher: Fetcher, ttl: float) -> None:
        self.fetcher = fetcher
        self.ttl = ttl
        self._rules: dict[str, tuple[float, RobotFileParser]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _parser(self, url: str) -> RobotFileParser:
        key = host(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch per host, whatever the number of threads asking
            cached = self._rules.get(key)
            if cached is not None and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            parser = self._fetch(key)
            self._rules[key] = (time.monotonic(), parser)
            return parser

    def _fetch(self, key: str) -> RobotFileParser:
        parser = RobotFileParser(key + "/robots.txt")
        got = self.fetcher.get(key + "/robots.txt", limit=MAX_ROBOTS_BYTES, robots=False)
        if got.status is not None and 400 <= got.status < 500:
            parser.parse(["User-agent: *", "Allow: /"])
        elif not got.ok:
            parser.parse(["User-agent: *", "Disallow: /"])
        else:
            parser.parse(got.body.decode("utf-8", "replace").splitlines())
        return parser

    def allowed(self, url: str, agent: str) -> bool:
        return self._parser(url).can_fetch(agent, url)

    def crawl_delay(self, url: str) -> float | None:
        delay = self._parser(url).crawl_delay(self.fetcher.agent)
        return float(delay) if delay is not None else None
