"""Load a backfill's result into a storyline database (`--db`), so `serve`, `stories`,
`skipped` and later `ingest`s work on it as on an ingested one.

Articles go in through the store's own batch writer in read order (so a changed text under
one source supersedes the older one as in `ingest`), with their dates, figures and search
rows. If the database held only these articles, the groups computed in Spark are written as
they are; if it held others too, the grouping is replayed over everything with
`corpus.assign` (a one-machine pass over the stored features), as `ingest` would do for a
late backfill. Loading again adds nothing (articles are keyed by content id).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storyline.corpus import assign
from storyline.ingest.base import Skip
from storyline.settings import Settings
from storyline.spark.lines import LinePass
from storyline.store import Store
from storyline.store.db import ArticleRows, set_late_facts_mark
from storyline.store.search import record_lemmas

BATCH = 500


def load(db: str, kept: Any, assigned: list[tuple[str, str | None, str, str]],
         skipped: list[Skip], settings: Settings, lines: LinePass) -> int:
    """Returns how many articles were new to the database."""
    store = Store(db)
    try:
        _outlet_counts(store, lines)
        inserted = 0
        batch: list[dict[str, Any]] = []
        rows = kept.select("store").orderBy("ordinal").toLocalIterator()
        for row in rows:
            batch.append(json.loads(row[0]))
            if len(batch) >= BATCH:
                inserted += _write(store, batch)
                batch = []
        inserted += _write(store, batch)
        store.write_batch([], [(s.source, s.record, s.reason) for s in skipped])
        _groups(store, assigned, settings, alone=_only_these(store, assigned))
        return inserted
    finally:
        store.close()


def _outlet_counts(store: Store, lines: LinePass) -> None:
    """The outlet-line counts of the plain-text articles not stored yet, so a later `ingest`
    cuts the same lines it would have after ingesting these (as `OutletLines.flush`)."""
    if lines.rows is None:
        return
    ids = {r[0] for r in lines.rows.select("id").toLocalIterator()}
    articles, keys = lines.counts(ids - store.known_ids(sorted(ids)))
    with store.transaction() as conn:
        conn.executemany("INSERT INTO outlet_articles VALUES (?, ?) ON CONFLICT(outlet) "
                         "DO UPDATE SET n = n + excluded.n", articles.items())
        conn.executemany("INSERT INTO outlet_lines VALUES (?, ?, ?) ON CONFLICT(outlet, "
                         "line_key) DO UPDATE SET n = n + excluded.n",
                         [(o, k, n) for (o, k), n in keys.items()])


def _write(store: Store, batch: list[dict[str, Any]]) -> int:
    if not batch:
        return 0
    rows = [ArticleRows(b["article"][0], b["article"][3], tuple(b["article"]),
                        [tuple(m) for m in b["mentions"]], [tuple(q) for q in b["quotes"]])
            for b in batch]
    known = store.known_ids([r.id for r in rows])
    inserted, _ = store.write_batch(rows, [])
    fresh = [b for b in batch if b["article"][0] not in known]
    if fresh:
        with store.transaction() as conn:
            _late(conn, fresh)
    return inserted


def _late(conn: sqlite3.Connection, batch: list[dict[str, Any]]) -> None:
    """Dates, figures and search rows (what `write_late` stores after an ingest)."""
    ids = [b["article"][0] for b in batch]
    rowid = dict(conn.execute("SELECT id, rowid FROM articles WHERE id IN "
                              "(SELECT value FROM json_each(?))", (json.dumps(ids),)))
    conn.executemany("INSERT INTO dates VALUES (?,?,?,?,?)",
                     [(i, *d) for i, b in zip(ids, batch, strict=True) for d in b["dates"]])
    conn.executemany("INSERT INTO figures VALUES (?,?,?,?,?,?,?)",
                     [(i, *f) for i, b in zip(ids, batch, strict=True) for f in b["figures"]])
    conn.executemany("INSERT INTO articles_fts (rowid, title, text, lemmas) VALUES (?,?,?,?)",
                     [(rowid[i], b["article"][7] or "", b["article"][14], b["lemmas"])
                      for i, b in zip(ids, batch, strict=True)])
    record_lemmas(conn, [(b["article"][7], b["article"][14], b["article"][8], b["lemmas"])
                         for b in batch])
    set_late_facts_mark(conn, max(rowid.values()))


def _only_these(store: Store, assigned: list[tuple[str, str | None, str, str]]) -> bool:
    current = store.conn.execute("SELECT COUNT(*) FROM articles WHERE superseded_by IS NULL")
    return int(current.fetchone()[0]) == len(assigned)


def _groups(store: Store, assigned: list[tuple[str, str | None, str, str]],
            settings: Settings, *, alone: bool) -> None:
    conn = store.conn
    with store.transaction():
        conn.execute("DELETE FROM corpus_state WHERE name IN (?, ?)", (assign.STATE, assign.MOVES))
        if alone:
            conn.executemany("UPDATE articles SET duplicate_of=?, event_id=?, story_id=? "
                             "WHERE id=?", [(d, e, s, i) for i, d, e, s in assigned])
            assign.refresh_groups(conn, None, None)
    if not alone:  # other articles are stored too: one grouping over all, as ingest does
        conn.execute("UPDATE articles SET event_id = NULL")
        assign.assign_pending(store, settings)
