"""What the pages and their JSON twins show: `storyline.store.queries` plus the few small
read queries only the web needs (coverage per day, article leads, filter choices).

Each request gets its own read-only connection under the store's time limit, so a running
ingest (the single writer, WAL mode) never blocks a page and a runaway query cannot pin a
worker thread.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.store import queries
from storyline.store.db import QueryTimeout, Store
from storyline.store.search import fts_query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    db_path: Path
    timeout_ms: int
    page_size: int


@contextmanager
def reader(cfg: WebConfig) -> Iterator[Store]:
    """A per-request read-only store; QueryTimeout when the reads run past the limit."""
    store = Store(cfg.db_path, readonly=True)
    try:
        with store.time_limit(cfg.timeout_ms):
            yield store
    finally:
        store.close()


def _ids(ids: list[str]) -> str:
    return json.dumps(ids)


def coverage(store: Store, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Articles (copies included: they are coverage too) per publication date and story."""
    rows = store.query(
        "SELECT story_id, COALESCE(published, crawl_month) AS date, COUNT(*) AS n "
        "FROM articles WHERE story_id IN (SELECT value FROM json_each(?)) "
        "AND superseded_by IS NULL GROUP BY story_id, date ORDER BY date", [_ids(story_ids)])
    out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
    for r in rows:
        out[r["story_id"]].append({"date": r["date"], "n": r["n"]})
    return out


def leads(store: Store, article_ids: list[str], chars: int = 180) -> dict[str, str]:
    """The opening of each text, shown where an article has no title (most crawls)."""
    rows = store.query("SELECT id, substr(text, 1, ?) AS lead FROM articles "
                       "WHERE id IN (SELECT value FROM json_each(?))",
                       [chars, _ids(article_ids)])
    return {r["id"]: " ".join(r["lead"].split()) for r in rows}


def story_labels(store: Store, story_ids: list[str]) -> dict[str, str]:
    rows = store.query("SELECT id, label FROM stories WHERE id IN "
                       "(SELECT value FROM json_each(?))", [_ids(story_ids)])
    return {r["id"]: r["label"] for r in rows}


def choices(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Outlets and languages with article counts, for the story-list filter controls."""
    return {col: store.query(f"SELECT {col} AS value, COUNT(*) AS n FROM articles "
                             f"WHERE superseded_by IS NULL AND {col} IS NOT NULL "
                             f"GROUP BY {col} ORDER BY n DESC, {col} LIMIT 300")
            for col in ("outlet", "lang")}


def entity_name(store: Store, key: str) -> str | None:
    rows = store.query("SELECT canonical FROM mentions WHERE entity_key = ? GROUP BY canonical "
                       "ORDER BY COUNT(*) DESC LIMIT 1", [key])
    return rows[0]["canonical"] if rows else None


def search_in_story(store: Store, q: str, story_id: str, *, outlet: str | None,
                    lang: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Hits within one story (the story facet). queries.search has no story filter yet, so
    this narrows the same FTS expression; facets stay those of the query without the story."""
    result = queries.search(store, q, limit=1, offset=0, outlet=outlet, lang=lang)
    expr = fts_query(q)
    if not expr:
        return result
    where, params = "", [expr, story_id]
    for col, value in (("outlet", outlet), ("lang", lang)):
        if value:
            where += f" AND a.{col} = ?"
            params.append(value)
    base = ("FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts "
            f"MATCH ? AND a.superseded_by IS NULL AND a.story_id = ?{where}")
    result["hits"] = store.query(
        "SELECT a.id, a.title, a.outlet, a.lang, a.published, a.story_id, a.event_id, "
        "a.duplicate_of, snippet(articles_fts, 1, char(2), char(3), ' … ', 16) AS snippet "
        f"{base} ORDER BY bm25(articles_fts, 5.0, 1.0, 1.0) LIMIT ? OFFSET ?",
        [*params, limit, offset])
    result["total"] = store.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
    return result


def optional(module: str, func: str) -> Callable[[Store, str], dict[str, Any] | None] | None:
    """A corpus function that may not be installed yet (timeline, compare): None if absent."""
    try:
        mod = importlib.import_module(f"storyline.corpus.{module}")
    except ImportError:
        return None
    found = getattr(mod, func, None)
    return found if callable(found) else None


def panel(store: Store, module: str, func: str, story_id: str) -> dict[str, Any] | None:
    """Run an optional corpus function for a page panel: a failure there costs the panel (and
    is logged), not the whole page; a timeout still fails the request."""
    fn = optional(module, func)
    if fn is None:
        return None
    try:
        return fn(store, story_id)
    except QueryTimeout:
        raise
    except Exception:
        log.exception("%s.%s failed for %s", module, func, story_id)
        return None


def speakers(quotes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return Counter(q["speaker_canonical"] or q["speaker"] or "unattributed"
                   for q in quotes).most_common()
