"""The store: connections, batch writes of articles with their facts, and skips.

One writer at a time (WAL lets readers go on while it writes); each batch is one transaction,
so a crash or kill loses at most the batch in flight and never leaves half an article.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from storyline.errors import StorylineError
from storyline.model import Article
from storyline.store.schema import TITLES_MIGRATION, migrate, now
from storyline.store.search import record_lemmas
from storyline.store.storynames import register

LATE_FACTS = "late_facts"  # corpus_state row: rowid up to which `write_late` is done


class ArticleRows(NamedTuple):
    """An analysed article as the rows `write_batch` stores. Built in the worker that
    analysed it, so plain tuples cross the process boundary rather than some hundred fact
    objects (unpickling those cost the single writer about 0.4 ms an article)."""

    id: str
    source_key: str
    article: tuple[Any, ...]  # the articles columns of _ARTICLE_COLUMNS, in that order
    mentions: list[tuple[Any, ...]]
    quotes: list[tuple[Any, ...]]


_ARTICLE_COLUMNS = ("id, source, source_name, source_key, record, url, outlet, title, lang, "
                    "lang_score, published, published_source, published_evidence, crawl_month, "
                    "text, raw_text, removed, sort_key, features")


class QueryTimeout(StorylineError):
    """A read query ran past its time limit."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = _connect_readonly(path)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.row_factory = sqlite3.Row
    register(conn)
    return conn


def _connect_readonly(path: str | Path) -> sqlite3.Connection:
    """mode=ro; a WAL database in a folder the user cannot write has no -shm file to share,
    so it is opened immutable then (nobody who cannot write the folder changes it)."""
    uri = f"file:{quote(str(path))}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)
    return conn


def writable(path: str | Path) -> bool:
    """Whether this user may write the database at `path` (and its folder, for the WAL)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def cache_file(db_path: str | Path, suffix: str) -> Path:
    """`<db><suffix>` beside the database, or in the user's cache folder when the database's
    folder is not writable (nothing is ever written next to a read-only database)."""
    beside = Path(f"{db_path}{suffix}")
    if writable(beside):
        return beside
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyline"
    home.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
    return home / f"{Path(db_path).name}-{key}{suffix}"


def open_for_reading(path: str | Path) -> Store:
    """A store to read: migrated when writable, else opened read-only (no migrations, no
    WAL switch: `stats`, `search`, `serve` ... work on a database the user cannot write)."""
    return Store(path) if writable(path) else Store(path, readonly=True)


class Store:
    """A storyline database; `storyline.open(path)` returns one."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = connect(self.path, readonly=readonly)
        if not readonly and TITLES_MIGRATION in migrate(self.conn):
            from storyline.corpus.assign import fill_titles  # corpus builds on the store

            fill_titles(self.conn)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite rolled back itself after "disk is full"
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def time_limit(self, ms: int) -> Iterator[None]:
        """Abort a read that runs longer than `ms` (SQLite progress handler)."""
        deadline = time.monotonic() + ms / 1000

        def check() -> int:
            return 1 if time.monotonic() > deadline else 0

        self.conn.set_progress_handler(check, 10_000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimeout(f"query exceeded {ms} ms") from exc
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return [dict(row) for row in self.conn.execute(sql, tuple(params))]

    def known_ids(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self.conn.execute(
                f"SELECT id FROM articles WHERE id IN ({marks})", chunk)}
        return found

    def write_batch(self, articles: list[ArticleRows],
                    skips: list[tuple[str, int | None, str]],
                    also: Callable[[sqlite3.Connection], None] | None = None) -> tuple[int, int]:
        """Insert new articles (with features, mentions and quotes) and skips in one
        transaction; `also` adds more writes to the same transaction. Dates, figures and the
        search row come later (`write_late`). Returns (inserted, of which new versions)."""
        inserted = versions = 0
        with self.transaction() as conn:
            if also is not None:
                also(conn)
            stamp = now()
            for rows in articles:
                added, is_version = _insert_article(conn, rows, stamp)
                inserted += added
                versions += is_version
            conn.executemany("INSERT OR IGNORE INTO skipped (source, record, reason, at) "
                             "VALUES (?, ?, ?, ?)", [(s, r, why, now()) for s, r, why in skips])
        return inserted, versions


def sort_key(article: Article) -> str:
    """Publication order for the corpus stages: date, then longer text first, then id."""
    when = article.published or article.crawl_month or "9999"
    return f"{when:<10}|{10**9 - len(article.text):010d}|{article.id}"


def article_rows(a: Article, feats: dict[str, Any]) -> ArticleRows:
    """The rows of an analysed article with its clustering features (pure: runs in workers)."""
    aid = a.id
    article = (aid, a.source, a.source_name, a.source_key, a.record, a.url, a.outlet, a.title,
               a.lang, a.lang_score, a.published, a.published_source,
               json.dumps(a.published_evidence, ensure_ascii=False), a.crawl_month, a.text,
               a.raw_text, json.dumps([r.__dict__ for r in a.removed], ensure_ascii=False),
               sort_key(a), json.dumps(feats, ensure_ascii=False))
    mentions = [(aid, m.start, m.end, m.text, m.type, m.canonical or m.text,
                 entity_key(m.canonical or m.text, m.type), m.role) for m in a.entities]
    quotes = [(aid, q.start, q.end, q.text, q.kind, q.speaker, q.speaker_canonical,
               entity_key(q.speaker_canonical, "PER") if q.speaker_canonical else None,
               q.speaker_start, q.speaker_end, q.cue) for q in a.quotes]
    return ArticleRows(aid, a.source_key, article, mentions, quotes)


def _insert_article(conn: sqlite3.Connection, rows: ArticleRows, stamp: str) -> tuple[int, int]:
    cur = conn.execute(f"INSERT OR IGNORE INTO articles ({_ARTICLE_COLUMNS}, ingested_at) "
                       f"VALUES ({','.join('?' * 20)})", (*rows.article, stamp))
    if cur.rowcount == 0:
        return 0, 0
    is_version = rows.source_key != "stdin" and _mark_version(conn, rows.id, rows.source_key)
    conn.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)", rows.mentions)
    conn.executemany("INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows.quotes)
    return 1, int(is_version)


def _mark_version(conn: sqlite3.Connection, aid: str, key: str) -> bool:
    """A changed text at a known source supersedes the older version (kept, not overwritten)."""
    old = conn.execute("SELECT id FROM articles WHERE source_key = ? AND id != ? "
                       "AND superseded_by IS NULL", (key, aid)).fetchall()
    for (old_id,) in old:
        conn.execute("UPDATE articles SET superseded_by = ?, event_id = NULL, story_id = NULL "
                     "WHERE id = ?", (aid, old_id))
        conn.execute("UPDATE articles SET supersedes = ? WHERE id = ?", (old_id, aid))
    if old:
        # groups must be rebuilt without the old text; the late-facts mark is not a group
        conn.execute("DELETE FROM corpus_state WHERE name != ?", (LATE_FACTS,))
    return bool(old)


def write_late(conn: sqlite3.Connection, lo: int, hi: int,
               rows: list[tuple[int, str, Article, str]]) -> None:
    """Dates, figures and search rows of the stored articles at rowids lo < r <= hi, given as
    (rowid, id, article, lemmas); whatever a crashed run left for them is replaced."""
    for table in ("dates", "figures"):
        conn.execute(f"DELETE FROM {table} WHERE article_id IN "
                     "(SELECT id FROM articles WHERE rowid > ? AND rowid <= ?)", (lo, hi))
    conn.execute("DELETE FROM articles_fts WHERE rowid > ? AND rowid <= ?", (lo, hi))
    conn.executemany("INSERT INTO dates VALUES (?,?,?,?,?)", [
        (aid, d.start, d.end, d.text, d.value) for _, aid, a, _ in rows for d in a.dates])
    conn.executemany("INSERT INTO figures VALUES (?,?,?,?,?,?,?)", [
        (aid, f.start, f.end, f.text, f.value, f.what, f.qualifier)
        for _, aid, a, _ in rows for f in a.figures])
    conn.executemany("INSERT INTO articles_fts (rowid, title, text, lemmas) VALUES (?,?,?,?)",
                     [(rowid, a.title or "", a.text, lemmas) for rowid, _, a, lemmas in rows])
    record_lemmas(conn, [(a.title, a.text, a.lang, lemmas) for _, _, a, lemmas in rows])


def late_facts_mark(conn: sqlite3.Connection) -> int:
    """The highest article rowid whose dates, figures and search row are stored: later rows
    still wait.

    A database without the mark has all its facts (they used to be written with the
    article), so the mark starts at the current last row."""
    row = conn.execute("SELECT watermark FROM corpus_state WHERE name=?",
                       (LATE_FACTS,)).fetchone()
    if row is not None:
        return int(row[0])
    last = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0])
    set_late_facts_mark(conn, last)
    return last


def set_late_facts_mark(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute("INSERT OR REPLACE INTO corpus_state VALUES (?, NULL, ?)",
                 (LATE_FACTS, str(rowid)))


def entity_key(name: str, type_: str) -> str:
    """The cross-article, cross-language key that merges name variants (Lawrow = Lavrov)."""
    from storyline.stages.entities.keys import canonical_key

    return canonical_key(name, type_)


def open_store(path: str | Path, *, readonly: bool = False) -> Store:
    return Store(path, readonly=readonly)
