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
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.store.db import QueryTimeout, Store
from storyline.web.cache import (
    BINS,
    LEADS,
    find_panel,
    has_panel,
    keep_panel,
    latest_panel,
    latest_version,
)
from storyline.web.chart import bins

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebConfig:
    db_path: Path
    timeout_ms: int
    page_size: int


class Readers:
    """Read-only connections kept between requests (per process, per database). A fresh
    connection parses the schema and starts with an empty page cache, so every request
    re-read the index pages it needs; a kept one has them at hand. In autocommit mode each
    statement reads the latest committed state, so a kept connection is never stale."""

    def __init__(self, keep: int = 8) -> None:
        self.keep = keep
        self._idle: dict[Path, list[Store]] = {}
        self._lock = threading.Lock()

    def take(self, path: Path) -> Store:
        with self._lock:
            idle = self._idle.get(path)
            if idle:
                return idle.pop()
        return Store(path, readonly=True)

    def give(self, store: Store) -> None:
        """Keep `store` for the next request, unless a statement still holds a read snapshot
        (it would pin the WAL) or enough are kept already."""
        with self._lock:
            idle = self._idle.setdefault(store.path, [])
            if not store.conn.in_transaction and len(idle) < self.keep:
                idle.append(store)
                return
        store.close()


READERS = Readers()


@contextmanager
def reader(cfg: WebConfig) -> Iterator[Store]:
    """A read-only store for one request; QueryTimeout when the reads run past the limit."""
    store = READERS.take(cfg.db_path)
    try:
        with store.time_limit(cfg.timeout_ms):
            yield store
    finally:
        READERS.give(store)


def _ids(ids: list[str]) -> str:
    return json.dumps(ids)


def coverage(store: Store, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Articles (copies included: they are coverage too) per publication date and story, from
    the per-story day counts kept at grouping time."""
    rows = store.query(
        "SELECT story_id, date, n FROM story_days WHERE story_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY date", [_ids(story_ids)])
    out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_ids}
    for r in rows:
        out[r["story_id"]].append({"date": r["date"], "n": r["n"]})
    return out


def coverage_bins(store: Store, stories: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`render.bins` of each story's coverage, cached per story version (a story that
    spans years has a thousand days to bin)."""
    keys = {s["id"]: (str(store.path), s["id"], s.get("version")) for s in stories}
    out = {sid: BINS.get(key) for sid, key in keys.items()}
    missing = [sid for sid, binned in out.items() if binned is None]
    for sid, days in coverage(store, missing).items():
        out[sid] = bins(days)
        BINS.put(keys[sid], out[sid])
    return {sid: binned for sid, binned in out.items() if binned is not None}


def leads(store: Store, article_ids: list[str], chars: int = 180) -> dict[str, str]:
    """The opening of each text, shown where an article has no title (most crawls). Kept
    per article id: a stored text never changes (a new version is a new article), and a
    story page reads a few hundred of them from overflow pages."""
    keys = {aid: (str(store.path), aid, chars) for aid in article_ids}
    out = {aid: lead for aid, key in keys.items() if (lead := LEADS.get(key)) is not None}
    missing = [aid for aid in article_ids if aid not in out]
    if missing:
        for r in store.query("SELECT id, substr(text, 1, ?) AS lead FROM articles "
                             "WHERE id IN (SELECT value FROM json_each(?))",
                             [chars, _ids(missing)]):
            out[r["id"]] = " ".join(r["lead"].split())
            LEADS.put(keys[r["id"]], out[r["id"]])
    return out


def story_labels(store: Store, story_ids: list[str]) -> dict[str, str]:
    """What names each story in links: its headline (`title`) where it has one, else its
    label of main actors."""
    rows = store.query("SELECT * FROM stories WHERE id IN "
                       "(SELECT value FROM json_each(?))", [_ids(story_ids)])
    return {r["id"]: " ".join((r.get("title") or "").split()) or r["label"] for r in rows}


def event_labels(store: Store, event_ids: list[str]) -> dict[str, str]:
    """Each event's headline (`title`) where it has one, else its label."""
    rows = store.query("SELECT * FROM events WHERE id IN (SELECT value FROM json_each(?))",
                       [_ids(event_ids)])
    return {r["id"]: " ".join((r.get("title") or "").split()) or r["label"] for r in rows}


def choices(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Outlets and languages with article counts, for the story-list filter controls."""
    return {col: store.query(f"SELECT {col} AS value, COUNT(*) AS n FROM articles "
                             f"WHERE superseded_by IS NULL AND {col} IS NOT NULL "
                             f"GROUP BY {col} ORDER BY n DESC, {col} LIMIT 300")
            for col in ("outlet", "lang")}


def entity_name(store: Store, key: str) -> str | None:
    rows = store.query("SELECT name FROM story_entities WHERE entity_key = ? GROUP BY name "
                       "ORDER BY SUM(mentions) DESC, LENGTH(name) DESC LIMIT 1", [key])
    return rows[0]["name"] if rows else None


def entity_stories(store: Store, key: str, limit: int = 50) -> dict[str, str]:
    """The stories that mention an entity most, with their labels."""
    rows = store.query("SELECT s.id, s.label FROM story_entities e JOIN stories s "
                       "ON s.id = e.story_id WHERE e.entity_key = ? "
                       "ORDER BY e.mentions DESC, s.id LIMIT ?", [key, limit])
    return {r["id"]: r["label"] for r in rows}


def speakers(store: Store, story_id: str, limit: int = -1) -> list[tuple[str, int]]:
    """Who is quoted how often in the story (all its quotes, not just those shown); the
    `limit` most quoted."""
    return [(r[0], r[1]) for r in store.conn.execute(
        "SELECT name, n FROM story_speakers WHERE story_id = ? ORDER BY n DESC, name "
        "LIMIT ?", [story_id, limit])]


def event_marks(store: Store, story_id: str) -> list[dict[str, Any]]:
    """Every event of the story, light rows for the chart (the page lists one page of them)."""
    return store.query("SELECT id, label, first_date, n_articles FROM events "
                       "WHERE story_id = ? ORDER BY first_date, id", [story_id])


def story_version(store: Store, story_id: str) -> int | None:
    row = store.conn.execute("SELECT version FROM stories WHERE id = ?", [story_id]).fetchone()
    return None if row is None else int(row[0])


def panel_function(module: str, func: str) -> Callable[[Store, str], dict[str, Any] | None]:
    """The corpus function behind a story panel, by name: names travel to the panel worker's
    process, functions do not."""
    found: Callable[[Store, str], dict[str, Any] | None] = getattr(
        importlib.import_module(f"storyline.corpus.{module}"), func)
    return found


def panel(store: Store, module: str, func: str, story_id: str,
          version: int | None = None, *, quiet: bool = True) -> dict[str, Any] | None:
    """Run a corpus function for a page panel: a failure there costs the panel (logged;
    `quiet=False` raises it), not the whole page; a timeout fails the request. With the
    story's `version`, the result is cached until grouping changes the story."""
    fn = panel_function(module, func)
    key = (str(store.path), story_id, version, module, func)
    if version is not None and (hit := find_panel(key)) is not None:
        return hit
    try:
        result = fn(store, story_id)
    except QueryTimeout:
        raise
    except Exception:
        if not quiet:
            raise
        log.exception("%s.%s failed for %s", module, func, story_id)
        return None
    if version is not None and result is not None:
        keep_panel(key, result)
    return result


PANEL_FUNCS = (("timeline", "story_timeline"), ("compare", "story_comparison"))


def cached_panels(store: Store, story_id: str, version: int) -> list[dict[str, Any] | None]:
    """The story's panels if computed for this version (None where not yet)."""
    return [find_panel(key) for key in panel_keys(store.path, story_id, version)]


def earlier_panels(store: Store, story_id: str) -> list[tuple[int, dict[str, Any]] | None]:
    """(version, panel) of the story's last computed panels, whatever their version."""
    return [latest_panel(key) for key in panel_keys(store.path, story_id, 0)]


def panel_state(store: Store, story_id: str, version: int) -> tuple[int | None, ...]:
    """The version of each panel a page of the story would show now (None: none yet)."""
    out: list[int | None] = []
    for key in panel_keys(store.path, story_id, version):
        out.append(version if has_panel(key) else latest_version(key))
    return tuple(out)


def shown_state(s: dict[str, Any]) -> tuple[int | None, ...]:
    """The version of each panel a rendered story page `s` shows (None: none)."""
    pending, earlier = s.get("panels_pending") or [], s.get("panels_earlier") or {}
    return tuple(earlier.get(module, None if module in pending else s.get("version"))
                 for module, _ in PANEL_FUNCS)


def panel_keys(db_path: Path, story_id: str, version: int) -> list[Hashable]:
    return [(str(db_path), story_id, version, module, func) for module, func in PANEL_FUNCS]


def front_stories(store: Store, n: int = 50) -> list[tuple[str, int]]:
    """The stories the list pages open with (largest and newest): warmed after a change, in
    the order the front page lists them (a UNION returned them in id order, so the largest
    stories, which a reader opens first, waited behind small ones)."""
    rows = store.query(
        "SELECT id, version FROM (SELECT id, version FROM stories "
        "ORDER BY n_articles DESC, last_date DESC, id LIMIT ?) UNION ALL "
        "SELECT id, version FROM (SELECT id, version FROM stories "
        "ORDER BY last_date DESC, n_articles DESC, id LIMIT ?)", [n, n // 2])
    return list(dict.fromkeys((r["id"], r["version"]) for r in rows))


def quote_speakers(quotes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return Counter(q["speaker_canonical"] or q["speaker"] or "unattributed"
                   for q in quotes).most_common()
