"""In-process caches for what is costly to compute and changes only when the database does.

- `PANELS`: the timeline and comparison panels of a story read every article of it (texts,
  lemmas, dates); they are kept per story *version* (bumped by `refresh_groups` whenever
  grouping touches the story), so a cached panel is never stale. `LATEST` keeps each story's
  most recent panels of any version: while an ingest keeps changing a story, its page shows
  those (marked as earlier) instead of nothing, and the worker refreshes them when idle.
- `Snapshot`: corpus-wide counts (page header, filter choices) scan every article. They are
  recomputed after the database changed, at most every few seconds and in a background
  thread: a page gets the last computed value (during an ingest it may lag one batch) and
  never waits for the count, except the very first time.
- `sidecar.Shared`: what one process computed, the others serving the same database find.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from storyline.store.db import Store, connect
from storyline.web.sidecar import shared

log = logging.getLogger(__name__)
T = TypeVar("T")


class LRU:
    """A small thread-safe least-recently-used map (functools.lru_cache cannot key on a
    value read inside the call, such as the story version)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


PANELS = LRU(512)
BINS = LRU(4096)  # per story version: its coverage binned for the sparkline and chart
FRAGMENTS = LRU(256)  # per story version: rendered HTML of its cached panels
STORY_PAGES = LRU(128)  # per story version and events page: the rendered page
LEADS = LRU(20_000)  # per article: the opening of its (never changing) text
LATEST = LRU(512)  # per story and panel: (version, panel) of the last one computed


def _unversioned(key: Hashable) -> Hashable:
    """A panel key (db, story, version, module, func) without its version."""
    return key[:2] + key[3:] if isinstance(key, tuple) else key


def keep_panel(key: Hashable, value: Any, *, share: bool = True) -> None:
    """Keep a computed panel in this process and (`share`) for the other processes."""
    PANELS.put(key, value)
    version = key[2] if isinstance(key, tuple) else 0
    local = LATEST.get(_unversioned(key))
    if local is None or local[0] <= version:
        LATEST.put(_unversioned(key), (version, value))
    if share and isinstance(key, tuple):
        shared(key[0]).put_panel(key[1], _panel_name(key), key[2], value)


def _panel_name(key: tuple[Any, ...]) -> str:
    return f"{key[3]}.{key[4]}"


def find_panel(key: Hashable) -> Any:
    """The panel for exactly this key (story version), from this process or another one."""
    hit = PANELS.get(key)
    if hit is None and isinstance(key, tuple) and key[2] is not None:
        hit = shared(key[0]).panel(key[1], _panel_name(key), key[2])
        if hit is not None:
            keep_panel(key, hit, share=False)
    return hit


def has_panel(key: Hashable) -> bool:
    """Whether `find_panel(key)` finds one (without loading a panel from the sidecar)."""
    if PANELS.get(key) is not None:
        return True
    return (isinstance(key, tuple) and key[2] is not None
            and shared(key[0]).panel_version(key[1], _panel_name(key), key[2]) is not None)


def latest_version(key: Hashable) -> int | None:
    """The version of the last panel computed for the key's story and panel (any version,
    any process); None if none was."""
    local = LATEST.get(_unversioned(key))
    other = (shared(key[0]).panel_version(key[1], _panel_name(key))
             if isinstance(key, tuple) else None)
    versions = [v for v in (local[0] if local else None, other) if v is not None]
    return max(versions) if versions else None


def latest_panel(key: Hashable) -> tuple[int, Any] | None:
    """(version, panel) last computed for the key's story and panel, any version."""
    found: tuple[int, Any] | None = LATEST.get(_unversioned(key))
    newest = latest_version(key)
    if newest is not None and (found is None or found[0] < newest):
        assert isinstance(key, tuple)
        value = find_panel(key[:2] + (newest,) + key[3:])
        if value is not None:
            found = (newest, value)
    return found


class Snapshot(Generic[T]):
    """`compute(store)` over a read-only store, redone in the background when another
    connection committed (SQLite's `PRAGMA data_version`), at most every `min_interval` s."""

    def __init__(self, db_path: Path, compute: Callable[[Store], T],
                 min_interval: float = 3.0) -> None:
        self.db_path, self.compute, self.min_interval = db_path, compute, min_interval
        self._value: T | None = None
        self._seen = -1
        self._at = 0.0
        self._running = False
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None

    def _data_version(self) -> int:
        if self._watch is None:
            self._watch = connect(self.db_path, readonly=True)
        return int(self._watch.execute("PRAGMA data_version").fetchone()[0])

    def get(self) -> T:
        with self._lock:
            version = self._data_version()
            if self._value is None:
                self._refresh(version)
            elif (version != self._seen and not self._running
                  and time.monotonic() - self._at >= self.min_interval):
                self._running = True
                threading.Thread(target=self._background, args=(version,), daemon=True,
                                 name="storyline-snapshot").start()
            assert self._value is not None
            return self._value

    def _refresh(self, version: int) -> None:
        store = Store(self.db_path, readonly=True)
        try:
            self._value = self.compute(store)
        finally:
            store.close()
        self._seen, self._at = version, time.monotonic()

    def _background(self, version: int) -> None:
        try:
            store = Store(self.db_path, readonly=True)
            try:
                value = self.compute(store)
            finally:
                store.close()
            with self._lock:
                self._value, self._seen, self._at = value, version, time.monotonic()
        except Exception:  # a failed refresh keeps the last value; the next change retries
            log.exception("snapshot refresh failed")
        finally:
            with self._lock:
                self._running = False


class PanelWorker:
    """Computes story panels into `PANELS` in one background *process* (the panels are
    Python-heavy: in a thread they would hold the GIL the request threads need): the front
    page's stories after each change, so opening one finds its panels ready, and long
    stories whose panels are too slow for a request (seconds for 5,000 articles).

    A story that has panels of an earlier version is refreshed only when the worker is idle:
    during an ingest every batch changes the large stories, and refreshing all of them after
    each batch kept a core busy that the requests needed.

    With `pages=True` (the front page's stories) the worker first renders the first page of
    each story as it would be served now (`page_job`, ahead of the panels, which take
    seconds for a long story): the first reader of a story, in any server process, then
    finds it rendered instead of waiting ~30 ms, more on a busy machine."""

    def __init__(self, job: Callable[[Path, str, int], list[Any]],
                 keys: Callable[[Path, str, int], list[Hashable]],
                 page_job: Callable[[Path, list[tuple[str, int]]], int] | None = None) -> None:
        self.job, self.keys, self.page_job = job, keys, page_job
        self._pool: Executor | None = None
        self._threads = False
        self._busy: set[tuple[Path, str, int]] = set()
        self._paged: set[tuple[Path, str, int]] = set()
        self._lock = threading.Lock()

    def want(self, db_path: Path, stories: list[tuple[str, int]], *,
             pages: bool = False) -> None:
        if getattr(_IN_JOB, "active", False):
            return  # a job rendering a page whose panels are missing: no workers of its own
        with self._lock:
            if pages and self.page_job is not None:
                self._want_pages(db_path, stories)
            for story_id, version in stories:
                item = (db_path, story_id, version)
                keys = self.keys(*item)
                if item in self._busy or all(has_panel(k) for k in keys):
                    continue
                if self._busy and all(latest_version(k) is not None for k in keys):
                    continue  # a refresh: asked again with the next change or page view
                if not shared(db_path).claim(_claim(item)):
                    continue  # another process computes it; its result lands in the sidecar
                self._busy.add(item)
                self._submit(item).add_done_callback(partial(self._done, item))

    def _want_pages(self, db_path: Path, stories: list[tuple[str, int]]) -> None:
        todo = [(sid, v) for sid, v in stories if (db_path, sid, v) not in self._paged]
        if not todo:
            return
        if len(self._paged) > 50_000:
            self._paged.clear()
        self._paged.update((db_path, sid, v) for sid, v in todo)
        assert self.page_job is not None  # not niced while the process has run no panels:
        # at server start the pages race the first readers, not yet the requests
        self._call(self.page_job, db_path, todo, nice=False).add_done_callback(
            self._pages_done)

    @staticmethod
    def _pages_done(future: Future[Any]) -> None:
        if not future.cancelled() and future.exception() is not None:
            log.error("pre-rendering story pages failed: %s", future.exception())

    def _submit(self, item: tuple[Path, str, int]) -> Future[list[Any]]:
        return self._call(self.job, *item)

    def _call(self, fn: Callable[..., Any], *args: Any, nice: bool = True) -> Future[Any]:
        if self._pool is None:
            self._pool = (ThreadPoolExecutor(1) if self._threads else ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_child))
        try:
            return self._pool.submit(_as_job, fn, nice, *args)
        except BrokenProcessPool:
            # the child died (out of memory, or a __main__ script that cannot be re-imported
            # by spawn): panels still come, from a thread of this process
            log.warning("panel process died; computing panels in a thread instead")
            self._pool, self._threads = ThreadPoolExecutor(1), True
            return self._pool.submit(_as_job, fn, nice, *args)

    def close(self) -> None:
        """Drop queued work and let the process go (at server shutdown: a queue of panels
        would otherwise hold the exit until every one was computed)."""
        with self._lock:
            pool, self._pool = self._pool, None
            self._busy.clear()
        if pool is None:
            return
        # a worker still writing a large result would block on its pipe once we are gone
        # (it holds the pipe's other end itself), so it is ended, not waited for
        # (the executor's `_processes`: Python has no public way to end its workers before
        # 3.14's terminate_workers)
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.terminate()

    def _done(self, item: tuple[Path, str, int], future: Future[list[Any]]) -> None:
        with self._lock:
            self._busy.discard(item)
        if future.cancelled() or future.exception() is not None:
            shared(item[0]).release(_claim(item))
            if not future.cancelled():
                log.error("panels for %s failed: %s", item[1], future.exception())
            return
        for key, value in zip(self.keys(*item), future.result(), strict=True):
            if value is not None:  # the job shared them already
                keep_panel(key, value, share=False)


_IN_JOB = threading.local()


_CHILD = {"is": False, "niced": False}


def _child() -> None:
    _CHILD["is"] = True


def _as_job(fn: Callable[..., Any], nice: bool, *args: Any) -> Any:
    """Run a worker job; a page it renders asks no worker for missing panels (in the worker
    process that would start a worker of its own). From the first `nice` job on, the worker
    process runs at nice 5 (never the server's own process, where the jobs run in a thread
    when no process can be started)."""
    if nice and _CHILD["is"] and not _CHILD["niced"]:
        os.nice(5)
        _CHILD["niced"] = True
    _IN_JOB.active = True
    try:
        return fn(*args)
    finally:
        _IN_JOB.active = False


def _claim(item: tuple[Path, str, int]) -> str:
    return f"panels|{item[1]}|{item[2]}"
