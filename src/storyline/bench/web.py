"""Web latency under load: `storyline serve` on loopback, requests from a thread pool, while a
second process ingests into the same database."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up")


def _timed(client: httpx.Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = client.get(path).status_code
    return (time.perf_counter() - started) * 1000, status


def _extended(base: str, ids: list[str], requests: int) -> dict[str, list[str]]:
    """The JSON twins and the article, event and entity pages, from the listed stories."""
    pages: dict[str, list[str]] = {"story api": [], "search api": [], "event page": [],
                                   "article page": [], "entity page": []}
    words = ["Regierung", "Polizei", "Wahl", "Minister", "Krankenhaus"]
    for i, sid in enumerate((ids * requests)[:requests]):
        pages["story api"].append(f"/api/stories/{sid}")
        pages["search api"].append(f"/api/search?q={words[i % len(words)]}")
    for sid in ids[:10]:
        story = httpx.get(f"{base}/api/stories/{sid}?events_limit=5", timeout=60).json()
        for ev in story.get("events", [])[:5]:
            pages["event page"].append(f"/events/{ev['id']}")
            pages["article page"] += [f"/articles/{a['id']}" for a in ev["articles"][:2]]
        pages["entity page"] += [f"/entities/{quote(e['key'], safe='')}"
                                 for e in story.get("entities", [])[:5]]
    return {name: (urls * requests)[:requests] for name, urls in pages.items() if urls}


def latency(db: Path, ingest_input: Path, *, requests: int = 200,
            concurrency: int = 4, extended: bool = False) -> dict[str, Any]:
    """p50/p95/max per endpoint while an ingest writes to the same database. `extended`
    adds the JSON twins and the article, event and entity pages to the story list, story
    page and search. The machine's load average (before, after) is recorded with them:
    on a shared machine the latencies mostly measure the wait for a core."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    for suffix in ("", "-wal", "-shm"):  # pages and panels of an earlier run would be warm
        Path(f"{db}-webcache{suffix}").unlink(missing_ok=True)
    load_before = os.getloadavg()[0]
    server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "--db", str(db), "serve",
                               "--port", str(port), "--workers", "2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    writer = None
    try:
        _wait(base + "/api/stats")
        stories = httpx.get(base + "/api/stories?limit=50", timeout=30).json()
        ids = [s["id"] for s in (stories["stories"] if isinstance(stories, dict)
                                 else stories)]
        writer = subprocess.Popen([sys.executable, "-m", "storyline.cli", "--db", str(db),
                                   "ingest", str(ingest_input), "--workers", "1"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        paths = {"story list": ["/"] * requests,
                 "story page": [f"/stories/{ids[i % len(ids)]}" for i in range(requests)],
                 "search": [f"/search?q={q}" for q in
                            ["Regierung", "Polizei", "Wahl", "Minister", "Krankenhaus"]
                            * (requests // 5)]}
        if extended:
            paths.update(_extended(base, ids, requests))
        out: dict[str, Any] = {}
        with httpx.Client(base_url=base, timeout=30) as client, \
                ThreadPoolExecutor(concurrency) as pool:
            for urls in paths.values():  # one warm-up round: first requests load dictionaries
                _timed(client, urls[0])
            for name, urls in paths.items():
                answers = list(pool.map(lambda p: _timed(client, p), urls))
                times = sorted(t for t, _ in answers)
                out[name] = {"requests": len(times), "p50_ms": statistics.median(times),
                             "p95_ms": times[int(0.95 * (len(times) - 1))],
                             "max_ms": times[-1],
                             "errors": sum(1 for _, status in answers if status != 200)}
        out["ingest_running_during_test"] = writer.poll() is None
        out["load_average_1min"] = [load_before, os.getloadavg()[0], os.cpu_count()]
        return out
    finally:
        for proc in (writer, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
