"""The follow state in the store (migration 5): sources with their validators and schedule,
and every page URL requested with its status.

A page's row is written in the transaction that stores its article (`record_pages` is the
pipeline's `on_write`), so after a kill either both are there or neither is. A source's
validators are saved only once every page it listed is stored: a 304 never hides a page
that a killed poll had not yet fetched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storyline.store import Store
from storyline.store.schema import now


@dataclass
class SourceRow:
    url: str
    origin: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    next_poll: str | None


def add_sources(store: Store, urls: list[str], origin: str | None = None) -> None:
    with store.transaction() as conn:
        conn.executemany("INSERT OR IGNORE INTO follow_sources (url, origin, added_at) "
                         "VALUES (?, ?, ?)", [(u, origin, now()) for u in urls])


def sources(store: Store, roots: list[str] | None) -> list[SourceRow]:
    """The sources to poll: `roots` (all followed ones when None) and what they led to."""
    rows = store.conn.execute("SELECT url, origin, etag, last_modified, failures, next_poll "
                              "FROM follow_sources ORDER BY added_at, url").fetchall()
    every = [SourceRow(*r) for r in rows]
    if roots is None:
        return every
    wanted, out = set(roots), []
    for row in every:  # children were added after their origin, so one pass finds them
        if row.url in wanted or row.origin in wanted:
            wanted.add(row.url)
            out.append(row)
    return out


def children(store: Store, origin: str) -> list[SourceRow]:
    rows = store.conn.execute("SELECT url, origin, etag, last_modified, failures, next_poll "
                              "FROM follow_sources WHERE origin = ?", (origin,)).fetchall()
    return [SourceRow(*r) for r in rows]


def backing_off(row: SourceRow) -> bool:
    """A source that failed waits for its next poll time, even under --once."""
    return row.failures > 0 and row.next_poll is not None and row.next_poll > now()


def later(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def polled(store: Store, url: str, *, status: str, error: str | None, new: int,
           validators: tuple[str | None, str | None] | None, interval_min: float,
           backoff_max_h: float) -> None:
    """Record a source's poll; `validators` (ETag, Last-Modified) only when all it listed is
    stored. A failure doubles the wait before the next poll, up to `backoff_max_h`."""
    with store.transaction() as conn:
        failures = conn.execute("SELECT failures FROM follow_sources WHERE url = ?",
                                (url,)).fetchone()
        failures = (failures[0] + 1 if failures else 1) if error else 0
        wait = min(interval_min * 2 ** failures, backoff_max_h * 60) if error else interval_min
        conn.execute("UPDATE follow_sources SET last_poll = ?, next_poll = ?, failures = ?, "
                     "last_status = ?, last_error = ?, last_new = ?, total_new = total_new + ? "
                     "WHERE url = ?", (now(), later(wait), failures, status, error, new, new,
                                       url))
        if validators is not None:
            conn.execute("UPDATE follow_sources SET etag = ?, last_modified = ? WHERE url = ?",
                         (*validators, url))


def unfetched(store: Store, urls: list[str], retry_after_min: float,
              max_attempts: int) -> list[str]:
    """`urls` never requested, or failed transiently (5xx, network) long enough ago."""
    cutoff = (datetime.now(UTC) - timedelta(minutes=retry_after_min)).isoformat(
        timespec="seconds")
    done: set[str] = set()
    for i in range(0, len(urls), 500):
        chunk = urls[i:i + 500]
        marks = ",".join("?" * len(chunk))
        done |= {r[0] for r in store.conn.execute(
            f"SELECT url FROM follow_urls WHERE url IN ({marks}) AND NOT ("
            "(status IS NULL OR status >= 500) AND attempts < ? AND fetched_at < ?)",
            (*chunk, max_attempts, cutoff))}
    return [u for u in urls if u not in done]


def record_pages(conn: sqlite3.Connection,
                 pages: list[tuple[str, str | None, int | None, str | None]]) -> None:
    """(url, source, status, reason) of requested pages, in the caller's transaction."""
    stamp = now()
    conn.executemany(
        "INSERT INTO follow_urls (url, source, status, reason, attempts, fetched_at) "
        "VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT(url) DO UPDATE SET status = excluded.status, "
        "reason = excluded.reason, attempts = attempts + 1, fetched_at = excluded.fetched_at",
        [(*p, stamp) for p in pages])


def listing(store: Store) -> list[dict[str, object]]:
    """`storyline sources`: each source with its last poll, new articles and errors."""
    return store.query(
        "SELECT url, origin, last_poll, next_poll, last_status, last_new, total_new, failures, "
        "last_error FROM follow_sources ORDER BY COALESCE(origin, url), origin IS NOT NULL, url")
