"""A sidecar SQLite file next to the database (`<db>-webcache`) through which the processes
of `storyline serve --workers N` share rendered story pages and story panels.

Each process has its own in-process caches and panel worker; without the sidecar, each
rendered every story page and computed every panel once more. Keyed like the in-process
caches (story, version, ...), so never stale, and tied to the database it was made for (a
new database at the same path empties it). The main database stays read-only for the web; a
sidecar that cannot be opened or written only costs the sharing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from storyline.store.db import cache_file, connect

log = logging.getLogger(__name__)

_FORMAT = 2  # of the sidecar's tables: another format starts it anew


def _code() -> str:
    """A fingerprint of the code that renders the cached pages and panels (the web package's
    modules, templates and scripts): after an upgrade the sidecar starts anew instead of
    serving pages rendered by the old templates, whose markup the new scripts may not read."""
    digest = hashlib.sha1()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("templates/*"), *here.glob("static/*")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


_CODE = _code()


class Shared:
    """The sidecar cache of one database, shared by every process serving it (see the module
    docstring). Rows are written by whoever computed them first and never changed (a key
    names one story version); the oldest are dropped beyond `keep` rows per table. Every
    failure (locked, read-only folder, full disk) is logged once and costs only the
    sharing: the caller computes what it did not find."""

    def __init__(self, db_path: str | Path, keep: int = 400) -> None:
        self.db_path = Path(db_path)
        self.path = cache_file(db_path, "-webcache")  # in ~/.cache if db's folder is read-only
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
        return f"{_FORMAT}|{_CODE}|{os.stat(self.db_path).st_ino}|{row[0] if row else ''}"

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
