"""Read queries shared by the CLI, the REST API and the web UI (one library, three adapters)."""

from __future__ import annotations

import json
from typing import Any

from storyline.store.db import Store
from storyline.store.entities import RESOLVED, entity, resolved_facts, top_entities
from storyline.store.hits import SEARCH_CAP, search

# re-exported: pages, the API and the CLI read entities and search here
__all__ = ["SEARCH_CAP", "entity", "search", "top_entities"]

FACT_COLUMNS = {
    "entities": ("mentions", "text, type, canonical, entity_key, role, start, end"),
    "quotes": ("quotes", "text, kind, speaker, speaker_canonical, speaker_key, speaker_start, "
                         "speaker_end, cue, start, end"),
    "dates": ("dates", "text, value, start, end"),
    "figures": ("figures", "text, value, what, qualifier, start, end"),
}
FACT_TABLES = {kind: f"SELECT {cols} FROM {table}" for kind, (table, cols) in FACT_COLUMNS.items()}
_ARTICLE_COLS = ("id, source, source_name, url, outlet, title, lang, published, "
                 "published_source, duplicate_of, event_id, story_id")  # = index articles_card


def stats(store: Store) -> dict[str, Any]:
    one = store.conn.execute
    return {
        "articles": one("SELECT COUNT(*) FROM articles WHERE superseded_by IS NULL").fetchone()[0],
        "versions_superseded": one("SELECT COUNT(*) FROM articles "
                                   "WHERE superseded_by IS NOT NULL").fetchone()[0],
        "duplicates": one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL "
                          "AND superseded_by IS NULL").fetchone()[0],
        "events": one("SELECT COUNT(*) FROM events").fetchone()[0],
        "stories": one("SELECT COUNT(*) FROM stories").fetchone()[0],
        "outlets": one("SELECT COUNT(DISTINCT outlet) FROM articles").fetchone()[0],
        "skipped": one("SELECT COUNT(*) FROM skipped").fetchone()[0],
        "languages": dict(one("SELECT lang, COUNT(*) FROM articles WHERE superseded_by IS NULL "
                              "GROUP BY lang ORDER BY 2 DESC").fetchall()),
        "pending_grouping": one("SELECT COUNT(*) FROM articles WHERE event_id IS NULL "
                                "AND superseded_by IS NULL").fetchone()[0],
    }


def stories(store: Store, *, limit: int = 25, offset: int = 0, sort: str = "size",
            date_from: str | None = None, date_to: str | None = None,
            outlet: str | None = None, entity: str | None = None,
            lang: str | None = None) -> list[dict[str, Any]]:
    """Stories, largest (or most recent) first, filtered by date range/outlet/entity/language."""
    where, params = ["1=1"], []
    if date_from:
        where.append("+s.last_date >= ?")  # unary +: walk the ORDER BY index instead
        params.append(date_from)
    if date_to:
        where.append("s.first_date <= ?")
        params.append(date_to + "~")
    # EXISTS probes per story (indexes on (outlet|lang, story_id) and story_entities) let the
    # scan follow the ORDER BY index and stop at the page end instead of collecting every
    # matching article first
    for col, value in (("outlet", outlet), ("lang", lang)):
        if value:
            where.append(f"EXISTS (SELECT 1 FROM articles a WHERE a.{col} = ? "
                         "AND a.story_id = s.id)")
            params.append(value)
    if entity:
        where.append("EXISTS (SELECT 1 FROM story_entities e WHERE e.story_id = s.id "
                     "AND e.entity_key = ?)")
        params.append(entity)
    order = ("s.last_date DESC, s.n_articles DESC" if sort == "recent"
             else "s.n_articles DESC, s.last_date DESC")
    return [titled(r) for r in store.query(
        f"SELECT s.* FROM stories s WHERE {' AND '.join(where)} "
        f"ORDER BY {order}, s.id LIMIT ? OFFSET ?", [*params, limit, offset])]


def titled(group: dict[str, Any], langs: tuple[str, ...] = ()) -> dict[str, Any]:
    """An event or story row with its headline: `title` in the first of `langs` it has one
    in (else its default), `titles` per language, the label (main actors) as fallback."""
    raw = group.get("titles")
    titles = json.loads(raw) if isinstance(raw, str) and raw else (raw or {})
    group["titles"] = titles
    pick = next((titles[lang] for lang in langs if lang in titles), None)
    group["title"] = pick or group.get("title") or group.get("label") or group.get("id")
    return group


def facts(store: Store, article_ids: list[str], kind: str) -> list[dict[str, Any]]:
    marks = json.dumps(article_ids)
    return store.query(f"{FACT_TABLES[kind].replace('SELECT ', 'SELECT article_id, ', 1)} "
                       "WHERE article_id IN (SELECT value FROM json_each(?)) "
                       "ORDER BY article_id, start", [marks])


def group_articles(store: Store, col: str, gid: str) -> list[dict[str, Any]]:
    return store.query(f"SELECT {_ARTICLE_COLS} FROM articles WHERE {col} = ? "
                       "AND superseded_by IS NULL ORDER BY sort_key", [gid])


def fold(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Canonical articles with their copies under `copies` (duplicates folded)."""
    by_id = {a["id"]: {**a, "copies": []} for a in articles}
    out: list[dict[str, Any]] = []
    for a in by_id.values():
        parent = by_id.get(a["duplicate_of"] or "")
        (parent["copies"] if parent else out).append(a)
    return out


def story(store: Store, story_id: str, *, events_limit: int | None = None,
          events_offset: int = 0, per_event: int | None = None,
          facts_limit: int | None = None) -> dict[str, Any] | None:
    """A story with its events (copies folded), top entities, quotes and figures.

    The limits bound what a page shows of a long story (thousands of articles): a page of
    events (`events_offset`), the first `per_event` canonical articles of each (with their
    copies; `more` counts the rest) and the first `facts_limit` quotes and figures in
    publication order. None shows everything."""
    rows = store.query("SELECT * FROM stories WHERE id = ?", [story_id])
    if not rows:
        return None
    result = titled(rows[0])
    events = [titled(e) for e in store.query(
        "SELECT * FROM events WHERE story_id = ? ORDER BY first_date, id LIMIT ? OFFSET ?",
        [story_id, -1 if events_limit is None else events_limit, events_offset])]
    _fill_events(store, story_id, events, per_event)
    result["events"] = events
    result["entities"] = store.query(
        "SELECT entity_key AS key, type, mentions, articles, name FROM story_entities "
        "WHERE story_id = ? ORDER BY mentions DESC, entity_key LIMIT 20", [story_id])
    result["n_quotes"] = store.conn.execute(
        "SELECT COALESCE(SUM(n), 0) FROM story_speakers WHERE story_id = ?",
        [story_id]).fetchone()[0]
    for kind in ("quotes", "figures"):
        result[kind] = story_facts(store, story_id, kind, facts_limit)
    return result


def _fill_events(store: Store, story_id: str, events: list[dict[str, Any]],
                 per_event: int | None) -> None:
    """Each event's folded articles; only the rows shown are read in full (the membership
    comes from a covering index)."""
    wanted = {ev["id"] for ev in events}
    members: dict[str, list[dict[str, Any]]] = {ev: [] for ev in wanted}
    for aid, ev_id, dup in store.conn.execute(
            "SELECT id, event_id, duplicate_of FROM articles INDEXED BY articles_story_cover "
            "WHERE story_id = ? AND superseded_by IS NULL ORDER BY sort_key", [story_id]):
        if ev_id in wanted:  # tuples, not dicts: a long story has thousands of rows here
            members[ev_id].append({"id": aid, "event_id": ev_id, "duplicate_of": dup})
    shown: dict[str, list[dict[str, Any]]] = {}
    for ev in events:
        tops = fold(members[ev["id"]])
        shown[ev["id"]] = tops if per_event is None else tops[:per_event]
        ev["more"] = len(tops) - len(shown[ev["id"]])
    ids = [a["id"] for keep in shown.values() for top in keep for a in (top, *top["copies"])]
    full = {r["id"]: r for r in store.query(
        f"SELECT {_ARTICLE_COLS} FROM articles INDEXED BY articles_card "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)])}
    for ev in events:
        ev["articles"] = [{**full[top["id"]], "copies": [
            {**full[c["id"]], "copies": []} for c in top["copies"]]}
            for top in shown[ev["id"]]]


def story_facts(store: Store, story_id: str, kind: str,
                limit: int | None = None) -> list[dict[str, Any]]:
    """A story's quotes or figures in publication order (first `limit`)."""
    if kind == "quotes":  # speakers as the story resolves them (store/entities.py)
        select = RESOLVED[kind].replace("SELECT ", "SELECT q.article_id, ", 1).replace(
            "JOIN articles a ON", "JOIN articles a INDEXED BY articles_story_cover ON", 1)
        return store.query(f"{select} WHERE a.story_id = ? AND a.superseded_by IS NULL "
                           "ORDER BY a.sort_key, q.start LIMIT ?",
                           [story_id, -1 if limit is None else limit])
    table, cols = FACT_COLUMNS[kind]
    return store.query(
        f"SELECT x.article_id, {', '.join('x.' + c for c in cols.split(', '))} "
        f"FROM articles a INDEXED BY articles_story_cover JOIN {table} x "
        "ON x.article_id = a.id WHERE a.story_id = ? AND a.superseded_by IS NULL "
        "ORDER BY a.sort_key, x.start LIMIT ?", [story_id, -1 if limit is None else limit])


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM events WHERE id = ?", [event_id])
    if not rows:
        return None
    result = titled(rows[0])
    articles = group_articles(store, "event_id", event_id)
    result["articles"] = fold(articles)
    ids = [a["id"] for a in articles]
    result["entities"] = top_entities(store, ids)
    result["quotes"] = resolved_facts(store, ids, "quotes")
    return result


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    a = rows[0]
    for key in ("published_evidence", "removed", "features"):
        a[key] = json.loads(a[key]) if a[key] else None
    a.pop("features")
    for kind in FACT_TABLES:
        a[kind] = (resolved_facts if kind in RESOLVED else facts)(store, [article_id], kind)
        for fact in a[kind]:
            fact.pop("article_id")
    a["copies"] = [r["id"] for r in store.query(
        "SELECT id FROM articles WHERE duplicate_of = ?", [article_id])]
    a.update(annotation(a["lang"]))
    return a


def annotation(lang: str | None) -> dict[str, Any]:
    """Whether names and quotes were looked for (`annotated`), and if not why, in words."""
    from storyline.stages import has_model

    if has_model(lang):
        return {"annotated": True, "annotation_note": None}
    return {"annotated": False, "annotation_note":
            f"no entity or quote model for this language ({lang}): names and quotes were not "
            "extracted; dates and figures were"}
