"""Build a 100k-article database for the web latency benchmark, fast.

The real pipeline is too slow to ingest 100k articles for every performance check, so this
ingests a real synthetic corpus once (the base, default 2,000 articles) and clones its rows
N times with SQL: new article ids and rowids, dates shifted per copy, and every fact table,
the full-text index and the features cloned consistently. Each copy gets its own events and
stories, except the `--shared` largest-but-one stories, which keep their id across copies so
the database also holds a few very long stories (thousands of articles), as real news does.
Events and stories rows are then rebuilt by the grouping code itself (`refresh_groups`).

    python scripts/make_big_db.py --base /tmp/big/base.db --out /tmp/big/big.db --copies 50
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from storyline.corpus.assign import refresh_groups
from storyline.store import Store

_COLS = ("id, source, source_name, source_key, record, url, outlet, title, lang, lang_score, "
         "published, published_source, published_evidence, crawl_month, text, raw_text, "
         "removed, sort_key, features, duplicate_of, event_id, story_id, supersedes, "
         "superseded_by, ingested_at")


def clone_id(old: str | None, k: int) -> str | None:
    """A stable new id of the same shape (prefix kept: 'ev-…', 'st-…', bare hex)."""
    if old is None:
        return None
    prefix, _, _ = old.rpartition("-")
    digest = hashlib.sha1(f"{old}#{k}".encode()).hexdigest()[:16]
    return f"{prefix}-{digest}" if prefix else digest


def shift(value: str | None, days: int) -> str | None:
    """YYYY-MM-DD, YYYY-MM and YYYY values moved by `days` (same precision); others as is."""
    if not value or value.startswith("X"):
        return value
    try:
        parts = [int(p) for p in value.split("-")]
    except ValueError:
        return value
    day = date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 15)
    moved = day + timedelta(days=days)
    return moved.isoformat()[: len(value)] if len(parts) > 1 else str(moved.year)


def sort_key(published: str | None, crawl_month: str | None, old_key: str, new_id: str) -> str:
    """storyline.store.db.sort_key for the moved dates (the length part is unchanged)."""
    when = published or crawl_month or "9999"
    return f"{when:<10}|{old_key.split('|')[1]}|{new_id}"


def _functions(conn: sqlite3.Connection) -> None:
    conn.create_function("clone_id", 2, clone_id, deterministic=True)
    conn.create_function("shift", 2, shift, deterministic=True)
    conn.create_function("skey", 4, sort_key, deterministic=True)


def clone_once(conn: sqlite3.Connection, k: int, days: int, base_max: int,
               shared: set[str]) -> None:
    """One copy of the base rows (rowid <= base_max) with ids from clone_id(…, k)."""
    conn.execute("DROP TABLE IF EXISTS temp.idmap")
    conn.execute("CREATE TEMP TABLE idmap (old_rowid INTEGER PRIMARY KEY, old TEXT UNIQUE, "
                 "new TEXT)")
    conn.execute("INSERT INTO idmap SELECT rowid, id, clone_id(id, ?) FROM articles "
                 "WHERE rowid <= ?", (k, base_max))
    conn.execute("DROP TABLE IF EXISTS temp.shared")
    conn.execute("CREATE TEMP TABLE shared (id TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO shared VALUES (?)", [(s,) for s in shared])
    conn.execute(
        f"INSERT INTO articles ({_COLS}) SELECT m.new, a.source, a.source_name || '-c' || ?1, "
        "a.source_key || '#c' || ?1, a.record, a.url, a.outlet, a.title, a.lang, a.lang_score, "
        "shift(a.published, ?2), a.published_source, a.published_evidence, "
        "shift(a.crawl_month, ?2), a.text, a.raw_text, a.removed, "
        "skey(shift(a.published, ?2), shift(a.crawl_month, ?2), a.sort_key, m.new), "
        "CASE WHEN json_valid(a.features) AND json_extract(a.features, '$.date') IS NOT NULL "
        "THEN json_set(a.features, '$.date', shift(json_extract(a.features, '$.date'), ?2)) "
        "ELSE a.features END, "
        "clone_id(a.duplicate_of, ?1), clone_id(a.event_id, ?1), "
        "CASE WHEN a.story_id IN (SELECT id FROM shared) THEN a.story_id "
        "ELSE clone_id(a.story_id, ?1) END, "
        "clone_id(a.supersedes, ?1), clone_id(a.superseded_by, ?1), a.ingested_at "
        "FROM articles a JOIN idmap m ON m.old_rowid = a.rowid ORDER BY a.rowid", (k, days))
    conn.execute("INSERT INTO articles_fts (rowid, title, text, lemmas) "
                 "SELECT n.rowid, f.title, f.text, f.lemmas FROM idmap m "
                 "JOIN articles_fts f ON f.rowid = m.old_rowid JOIN articles n ON n.id = m.new")
    conn.execute("INSERT INTO mentions SELECT m.new, x.start, x.end, x.text, x.type, "
                 "x.canonical, x.entity_key, x.role FROM mentions x JOIN idmap m "
                 "ON m.old = x.article_id")
    conn.execute("INSERT INTO quotes SELECT m.new, x.start, x.end, x.text, x.kind, x.speaker, "
                 "x.speaker_canonical, x.speaker_key, x.speaker_start, x.speaker_end, x.cue "
                 "FROM quotes x JOIN idmap m ON m.old = x.article_id")
    conn.execute("INSERT INTO dates SELECT m.new, x.start, x.end, x.text, shift(x.value, ?) "
                 "FROM dates x JOIN idmap m ON m.old = x.article_id", (days,))
    conn.execute("INSERT INTO figures SELECT m.new, x.start, x.end, x.text, x.value, x.what, "
                 "x.qualifier FROM figures x JOIN idmap m ON m.old = x.article_id")


def build(base: Path, out: Path, copies: int, step_days: int, n_shared: int) -> None:
    subprocess.run(["sqlite3", str(base), "PRAGMA wal_checkpoint(TRUNCATE);"], check=False,
                   capture_output=True)
    Store(base).close()  # migrated to the current schema before copying
    out.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(base, out)
    conn = sqlite3.connect(out, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    _functions(conn)
    base_max = conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0]
    shared = {r[0] for r in conn.execute("SELECT id FROM stories ORDER BY n_articles DESC, id "
                                         "LIMIT ? OFFSET 1", (n_shared,))}
    started = time.monotonic()
    for k in range(1, copies):
        conn.execute("BEGIN")
        clone_once(conn, k, k * step_days, base_max, shared)
        conn.execute("COMMIT")
        print(f"copy {k}/{copies - 1} done, {time.monotonic() - started:.0f} s", flush=True)
    conn.execute("BEGIN")
    refresh_groups(conn, None, None)
    conn.execute("COMMIT")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    Store(out).close()  # pending migrations (new indexes, precomputed tables) applied here
    print(f"built {out} in {time.monotonic() - started:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=Path("/tmp/big/base.db"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/big/big.db"))
    parser.add_argument("--copies", type=int, default=50, help="total copies, base included")
    parser.add_argument("--step-days", type=int, default=17, help="date shift per copy")
    parser.add_argument("--shared", type=int, default=1,
                        help="stories (largest but one first) kept across copies")
    args = parser.parse_args()
    if not args.base.is_file():
        sys.exit(f"no base database at {args.base}: ingest a synthetic corpus first")
    build(args.base, args.out, args.copies, args.step_days, args.shared)


if __name__ == "__main__":
    main()
