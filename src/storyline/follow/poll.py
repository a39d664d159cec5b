"""One poll of the followed sources, and the loop that repeats it (`storyline follow`).

A poll fetches each source with its validators (If-None-Match / If-Modified-Since), reads the
URLs it lists (children, such as the sitemaps of a sitemap index or the feeds named by a home
page, become sources of their own and are polled in the same poll), keeps the URLs never
requested before, then fetches and ingests those pages in batches (`pages`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from storyline.follow import state
from storyline.follow.fetch import Fetcher
from storyline.follow.pages import Page, PageReport, by_host, fetch_and_ingest
from storyline.follow.parse import Listing, gunzip, listing
from storyline.settings import Settings
from storyline.store import Store


@dataclass
class _Polled:
    status: str
    error: str | None = None
    validators: tuple[str | None, str | None] | None = None
    pages: list[str] = field(default_factory=list)
    complete: bool = True  # every URL it lists is taken in this poll


@dataclass
class PollReport:
    sources: int = 0
    failed_sources: list[tuple[str, str]] = field(default_factory=list)
    new_urls: int = 0
    pages: PageReport = field(default_factory=PageReport)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        p = self.pages
        return {"sources": self.sources, "new_urls": self.new_urls, "fetched": p.fetched,
                "ingested": p.ingested, "unchanged": p.unchanged, "duplicates": p.duplicates,
                "blocked_by_robots": p.blocked, "failed_pages": p.failed,
                "failed_sources": [{"url": u, "error": e} for u, e in self.failed_sources],
                "skipped": [{"source": s.source, "reason": s.reason} for s in p.skipped],
                "seconds": round(self.seconds, 3)}


class Poller:
    def __init__(self, store: Store, settings: Settings, *, workers: int = 1,
                 stop: threading.Event | None = None) -> None:
        self.store, self.settings, self.workers = store, settings, workers
        self.cfg = settings.section("follow")
        self.fetcher = Fetcher(self.cfg, stop)
        self.blocked = 0  # URLs robots.txt disallows, in the current poll

    def close(self) -> None:
        self.fetcher.close()

    def poll(self, roots: list[str] | None, *, due_only: bool = False,
             progress: Callable[[str, int], None] | None = None) -> PollReport:
        started, report = time.perf_counter(), PollReport()
        self.blocked = 0
        queue, seen = deque(state.sources(self.store, roots)), set()
        results: dict[str, _Polled] = {}
        pages: dict[str, str] = {}
        while queue and not self.fetcher.stop.is_set():
            row = queue.popleft()
            if row.url in seen or state.backing_off(row) or \
                    (due_only and row.next_poll and row.next_poll > state.later(0)):
                continue
            seen.add(row.url)
            polled, found = self._source(row)
            results[row.url] = polled
            if found is not None and found.sources:
                state.add_sources(self.store, found.sources, origin=row.url)
                queue.extend(r for r in state.children(self.store, row.url) if r.url not in seen)
            for url in polled.pages:
                pages.setdefault(url, row.url)
        report.sources, report.new_urls = len(results), len(pages)
        listed: list[Page] = list(pages.items())
        report.pages = fetch_and_ingest(self.store, self.settings, self.fetcher,
                                        by_host(listed), self.workers, progress)
        report.pages.blocked += self.blocked
        self._record(results, report)
        report.seconds = time.perf_counter() - started
        return report

    def _source(self, row: state.SourceRow) -> tuple[_Polled, Listing | None]:
        """Fetch one source conditionally and take the URLs it lists that are new."""
        headers = {}
        if row.etag:
            headers["If-None-Match"] = row.etag
        if row.last_modified:
            headers["If-Modified-Since"] = row.last_modified
        limit = int(float(self.cfg["max_source_mb"]) * 2**20)
        got = self.fetcher.get(row.url, limit=limit, headers=headers)
        if got.status == 304:
            return _Polled("not modified"), None
        if not got.ok:
            why = got.error or f"HTTP {got.status}"
            return _Polled("failed", f"HTTP {got.status}: {why}" if got.status and got.error
                           else why), None
        body = gunzip(got.body, limit)
        if isinstance(body, str):
            return _Polled("failed", body), None
        found = listing(body, got.url, int(self.cfg["max_urls_per_source"]),
                        int(self.cfg["max_children"]))
        if found.error:
            return _Polled("failed", found.error), found
        new = state.unfetched(self.store, found.urls, float(self.cfg["retry_failed_after_minutes"]),
                              int(self.cfg["max_attempts"]))
        allowed = [u for u in new if self.fetcher.robots.allowed(u, self.fetcher.agent)]
        self.blocked += len(new) - len(allowed)
        cap = int(self.cfg["max_new_per_poll"])
        notes = found.notes + ([f"{len(allowed) - cap} more new URLs left for the next poll"]
                               if len(allowed) > cap else [])
        status = f"{found.kind}: {len(found.urls)} URLs listed, {len(allowed)} new"
        if found.refused:
            notes.append(f"{len(found.refused)}{'+' if len(found.refused) >= 20 else ''} URLs "
                         f"refused, e.g. {found.refused[0]}")
        if len(new) > len(allowed):
            status += f", {len(new) - len(allowed)} disallowed by robots.txt"
        if notes:
            status += " (" + "; ".join(notes) + ")"
        return _Polled(status, None, (got.headers.get("etag"), got.headers.get("last-modified")),
                       allowed[:cap], complete=len(allowed) <= cap and not found.truncated), found

    def _record(self, results: dict[str, _Polled], report: PollReport) -> None:
        """Each source's poll; validators only for sources whose every new page is settled."""
        done = report.pages.done
        for url, polled in results.items():
            complete = polled.complete and all(p in done for p in polled.pages)
            if polled.error:
                report.failed_sources.append((url, polled.error))
            state.polled(self.store, url, status=polled.status, error=polled.error,
                         new=report.pages.new_by_source.get(url, 0),
                         validators=polled.validators if complete else None,
                         interval_min=float(self.cfg["interval_minutes"]),
                         backoff_max_h=float(self.cfg["backoff_max_hours"]))


def follow(store: Store, settings: Settings, roots: list[str] | None, *, once: bool,
           workers: int = 1, stop: threading.Event | None = None,
           on_poll: Callable[[PollReport], None] | None = None) -> None:
    """Poll until `stop` is set (or once); between polls, wait for the next source due."""
    stop = stop or threading.Event()
    poller = Poller(store, settings, workers=workers, stop=stop)
    try:
        while True:
            report = poller.poll(roots, due_only=not once)
            if on_poll is not None:
                on_poll(report)
            if once or stop.is_set():
                return
            stop.wait(_until_next(store, roots, settings))
            if stop.is_set():
                return
    finally:
        poller.close()


def _until_next(store: Store, roots: list[str] | None, settings: Settings) -> float:
    """Seconds until the first source is due (at least 1, at most the interval)."""
    interval = float(settings.get("follow.interval_minutes")) * 60
    times = [r.next_poll for r in state.sources(store, roots) if r.next_poll]
    if not times:
        return interval
    from datetime import datetime

    first = datetime.fromisoformat(min(times)).timestamp() - time.time()
    return max(1.0, min(interval, first))
