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
- `Shared`: what one process computed, the others serving the same database find: rendered
  story pages and story panels, in a sidecar SQLite file next to the database
  (`<db>-webcache`). `storyline serve --workers N` runs N processes, each with its own
  in-process caches and panel worker; without it, each rendered every story page and computed
  every panel once more. Keyed like the in-process caches (story, version, ...), so never
  stale, and tied to the database it was made for (a new database at the same path empties
  it). The main database stays read-only for the web; a sidecar that cannot be opened or
  written only costs the sharing.
"""

from __future__ import annotations

import json
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


_FORMAT = 2  # of the sidecar's tables: another format starts it anew


class Shared:
    """The sidecar cache of one database, shared by every process serving it (see the module
    docstring). Rows are written by whoever computed them first and never changed (a key
    names one story version); the oldest are dropped beyond `keep` rows per table. Every
    failure (locked, read-only folder, full disk) is logged once and costs only the
    sharing: the caller computes what it did not find."""

    def __init__(self, db_path: str | Path, keep: int = 400) -> None:
        self.db_path = Path(db_path)
        self.path = Path(f"{db_path}-webcache")
        self.keep = keep
        self._local = threading.local()  # a connection per thread: a write waiting for
        # another process's holds up no reader of this one (WAL readers never wait)
        self._ready = 0  # pid of the process that set the file up (0: not yet)
        self._failed = False
        self._writes = 0
        self._lock = threading.Lock()

    def _identity(self) -> str:
        """The database this cache belongs to: a new database at the same path (a rebuilt
        corpus starts its story versions at 1 again) has another."""
        conn = connect(self.db_path, readonly=True)
        try:
            row = conn.execute("SELECT applied_at FROM schema_migrations "
                               "ORDER BY version LIMIT 1").fetchone()
        finally:
            conn.close()
        return f"{_FORMAT}|{os.stat(self.db_path).st_ino}|{row[0] if row else ''}"

    def _open(self) -> sqlite3.Connection | None:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        if self._failed:
            return None
        try:
            with self._lock:
                if self._ready != os.getpid():
                    self._setup()
                    self._ready = os.getpid()
            conn = sqlite3.connect(str(self.path), timeout=0.5, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA synchronous=OFF")  # a cache: a lost write is recomputed
        except (sqlite3.Error, OSError) as exc:
            log.warning("web cache %s not shared between processes: %s", self.path, exc)
            self._failed = True
            return None
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _setup(self) -> None:
        """Tables created; emptied if made for another database (or format)."""
        identity = self._identity()
        conn = sqlite3.connect(str(self.path), timeout=5.0, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
                row = conn.execute("SELECT v FROM meta WHERE k = 'database'").fetchone()
                if row is None or row[0] != identity:
                    for table in ("pages", "panels", "claims"):
                        conn.execute(f"DROP TABLE IF EXISTS {table}")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('database', ?)",
                                 [identity])
                conn.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, "
                             "at REAL NOT NULL, body BLOB NOT NULL)")  # `at` first: pruning
                # reads it without walking the page's overflow pages
                conn.execute("CREATE TABLE IF NOT EXISTS panels (story_id TEXT NOT NULL, "
                             "name TEXT NOT NULL, version INTEGER NOT NULL, at REAL NOT NULL, "
                             "value TEXT NOT NULL, PRIMARY KEY (story_id, name, version))")
                conn.execute("CREATE TABLE IF NOT EXISTS claims (item TEXT PRIMARY KEY, "
                             "pid INTEGER NOT NULL, at REAL NOT NULL)")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def _run(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]] | None:
        conn = self._open()
        if conn is None:
            return None
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:  # busy: another process writes; skipped, not waited for
            log.info("web cache %s: %s", self.path, exc)
            return None

    def page(self, key: str) -> bytes | None:
        rows = self._run("SELECT body FROM pages WHERE key = ?", [key])
        return bytes(rows[0][0]) if rows else None

    def put_page(self, key: str, body: bytes) -> None:
        self._write("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", [key, time.time(), body])

    def panel(self, story_id: str, name: str, version: int) -> Any:
        rows = self._run("SELECT value FROM panels WHERE story_id = ? AND name = ? "
                         "AND version = ?", [story_id, name, version])
        return json.loads(rows[0][0]) if rows else None

    def panel_version(self, story_id: str, name: str, version: int | None = None) -> int | None:
        """`version` if that panel is here, or without it the newest version that is."""
        rows = self._run("SELECT MAX(version) FROM panels WHERE story_id = ? AND name = ?"
                         + (" AND version = ?" if version is not None else ""),
                         [story_id, name] + ([version] if version is not None else []))
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def put_panel(self, story_id: str, name: str, version: int, value: Any) -> None:
        self._write("INSERT OR REPLACE INTO panels VALUES (?, ?, ?, ?, ?)",
                    [story_id, name, version, time.time(), json.dumps(value)])

    def claim(self, item: str, ttl: float = 600.0) -> bool:
        """True for the one process that is to compute `item` now: False while another
        live process claimed it less than `ttl` seconds ago (a claim of a process that
        ended, say the server before a restart, is taken over at once). Without a sidecar
        every process computes."""
        conn = self._open()
        if conn is None:
            return True
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT pid, at FROM claims WHERE item = ?",
                                   [item]).fetchone()
                mine = row is None or row[0] == os.getpid() or not _alive(row[0]) \
                    or row[1] < time.time() - ttl
                if mine:
                    conn.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?)",
                                 [item, os.getpid(), time.time()])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            log.info("web cache %s: %s", self.path, exc)
            return True
        return mine

    def release(self, item: str) -> None:
        self._run("DELETE FROM claims WHERE item = ?", [item])

    def clear(self) -> None:
        for table in ("pages", "panels", "claims"):
            self._run(f"DELETE FROM {table}", [])

    def _write(self, sql: str, params: list[Any]) -> None:
        self._run(sql, params)
        self._writes += 1
        if self._writes % 50 == 0:  # the newest `keep` rows per table stay
            self._run("DELETE FROM pages WHERE at < (SELECT at FROM pages ORDER BY at DESC "
                      "LIMIT 1 OFFSET ?)", [self.keep])
            self._run("DELETE FROM panels WHERE at < (SELECT at FROM panels ORDER BY at DESC "
                      "LIMIT 1 OFFSET ?)", [self.keep])
            self._run("DELETE FROM claims WHERE at < ?", [time.time() - 3600])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


_SHARED: dict[str, Shared] = {}
_SHARED_LOCK = threading.Lock()


def shared(db_path: str | Path) -> Shared:
    """This process's handle on the sidecar cache of the database at `db_path`."""
    with _SHARED_LOCK:
        found = _SHARED.get(str(db_path))
        if found is None:
            found = _SHARED[str(db_path)] = Shared(db_path)
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
