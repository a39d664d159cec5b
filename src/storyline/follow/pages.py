"""Fetch listed article pages and ingest them through the normal pipeline, a batch at a time.

Pages are fetched by a thread pool (`follow.concurrency`) one batch ahead of the ingest, so
the network and the analysis overlap. Each batch is one `run_items` call and one transaction:
its articles are searchable and readable in the web UI as soon as it commits. Grouping them
into events and stories runs every `follow.group_seconds` and at the end of the poll, because
a regrouping replays the corpus when new articles sort before stored ones (see
`corpus.assign`), and fetched news does that nearly every time.
"""

from __future__ import annotations

import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import zip_longest

from storyline import pipeline
from storyline.follow import state
from storyline.follow.fetch import STOPPED, Fetched, Fetcher
from storyline.follow.urls import host, normalise
from storyline.ingest import Item, Skip
from storyline.ingest.base import decode, looks_binary
from storyline.ingest.html import from_html
from storyline.interrupt import Interrupted
from storyline.settings import Settings
from storyline.store import Store

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
Page = tuple[str, str]  # (url, the source that listed it)


@dataclass
class PageReport:
    fetched: int = 0
    blocked: int = 0
    failed: int = 0
    ingested: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)
    done: set[str] = field(default_factory=set)  # page URLs settled (stored or recorded)
    new_by_source: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def by_host(pages: list[Page]) -> list[Page]:
    """Round-robin over hosts, so a per-host delay on one site does not hold up the others."""
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        groups[host(page[0])].append(page)
    return [p for row in zip_longest(*groups.values()) for p in row if p is not None]


def fetch_and_ingest(store: Store, settings: Settings, fetcher: Fetcher, pages: list[Page],
                     workers: int = 1, progress: Callable[[str, int], None] | None = None
                     ) -> PageReport:
    cfg = settings.section("follow")
    size, report = int(cfg["batch_pages"]), PageReport()
    limit = int(float(cfg["max_page_mb"]) * 2**20)
    batches = [pages[i:i + size] for i in range(0, len(pages), size)]
    pool = ThreadPoolExecutor(int(cfg["concurrency"]), thread_name_prefix="follow")

    def submit(batch: list[Page]) -> list[tuple[Page, Future[Fetched]]]:
        return [(p, pool.submit(fetcher.get, p[0], limit=limit)) for p in batch]

    grouped, pending = time.monotonic(), False
    try:
        ahead = submit(batches[0]) if batches else []
        for k in range(len(batches)):
            got = [(page, future.result()) for page, future in ahead]
            ahead = submit(batches[k + 1]) if k + 1 < len(batches) and \
                not fetcher.stop.is_set() else []
            pending |= _ingest(store, settings, fetcher, got, report, workers)
            if progress:
                progress("pages", len(got))
            if fetcher.stop.is_set():
                break
            if pending and time.monotonic() - grouped >= float(cfg["group_seconds"]):
                report.duplicates += _group(store, settings, fetcher)
                grouped, pending = time.monotonic(), False
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if pending and not fetcher.stop.is_set():
        report.duplicates += _group(store, settings, fetcher)
    return report


def _group(store: Store, settings: Settings, fetcher: Fetcher) -> int:
    """Group what is pending; a signal meanwhile leaves it pending for the next run."""
    try:
        return pipeline.run_items(store, iter(()), settings).duplicates
    except Interrupted:
        fetcher.stop.set()
        return 0


def _ingest(store: Store, settings: Settings, fetcher: Fetcher,
            got: list[tuple[Page, Fetched]], report: PageReport, workers: int) -> bool:
    """Store a batch (grouping left for later: regrouping costs time in the size of the
    corpus, so it runs every `group_seconds`, not every batch). True when it stored any."""
    items: list[Item] = []
    rows: dict[str, tuple[str, str | None, int | None, str | None]] = {}
    finals: dict[str, str] = {}
    for (url, source), fetched in got:
        if fetched.error == STOPPED:
            continue
        if fetched.blocked:
            report.blocked += 1
            report.done.add(url)
            continue
        item = _item(url, fetched)
        items.append(item)
        report.fetched += fetched.status is not None
        if isinstance(item, Skip):
            report.failed += 1
            rows[url] = (url, source, fetched.status, item.reason)
        else:
            rows[url] = (url, source, fetched.status, None)
            finals[item.source_key] = source
    if not items:
        return False

    def record(conn: sqlite3.Connection, batch: list[Item]) -> None:
        state.record_pages(conn, [rows[i.source] for i in batch if i.source in rows])

    try:
        result = pipeline.run_items(store, iter(items), settings, workers=workers,
                                    on_write=record, group=False)
    except Interrupted as exc:  # a signal during the batch: what it committed stays
        fetcher.stop.set()
        result = exc.report or pipeline.IngestReport()
        rows = {u: rows[u] for u in _recorded(store, list(rows))}
    report.done |= set(rows)
    report.ingested += result.ingested
    report.unchanged += result.unchanged
    report.skipped += result.skipped
    for key in _stored(store, list(finals)):
        report.new_by_source[finals[key]] += 1
    return result.ingested > 0


def _item(url: str, fetched: Fetched) -> Item:
    """The article a fetched page is, or why it is skipped (status and reason)."""
    if fetched.error:
        return Skip(url, None, fetched.error if fetched.status is None
                    else f"HTTP {fetched.status}: {fetched.error}")
    if fetched.status != 200:
        return Skip(url, None, f"HTTP {fetched.status}")
    kind = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in HTML_TYPES:
        return Skip(url, None, f"not an HTML page ({kind})")
    if not fetched.body.strip() or looks_binary(fetched.body):
        return Skip(url, None, "empty or binary page")
    final = normalise(fetched.url) or url
    article = from_html(decode(fetched.body), source=url, source_name=url, url=final)
    article.source_key = final
    return article


def _recorded(store: Store, urls: list[str]) -> Iterator[str]:
    for i in range(0, len(urls), 500):
        chunk = urls[i:i + 500]
        marks = ",".join("?" * len(chunk))
        yield from (r[0] for r in store.conn.execute(
            f"SELECT url FROM follow_urls WHERE url IN ({marks})", chunk))


def _stored(store: Store, keys: list[str]) -> Iterator[str]:
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        marks = ",".join("?" * len(chunk))
        yield from (r[0] for r in store.conn.execute(
            f"SELECT DISTINCT source_key FROM articles WHERE source_key IN ({marks})", chunk))
