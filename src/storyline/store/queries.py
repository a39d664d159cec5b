"""Read queries shared by the CLI, the REST API and the web UI (one library, three adapters)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from storyline.store.db import Store
from storyline.store.search import fts_query

FACT_TABLES = {
    "entities": "SELECT text, type, canonical, entity_key, role, start, end FROM mentions",
    "quotes": "SELECT text, kind, speaker, speaker_canonical, speaker_key, speaker_start, "
              "speaker_end, cue, start, end FROM quotes",
    "dates": "SELECT text, value, start, end FROM dates",
    "figures": "SELECT text, value, what, qualifier, start, end FROM figures",
}
_ARTICLE_COLS = ("id, source, source_name, url, outlet, title, lang, published, "
                 "published_source, duplicate_of, event_id, story_id")


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
        where.append("s.last_date >= ?")
        params.append(date_from)
    if date_to:
        where.append("s.first_date <= ?")
        params.append(date_to + "~")
    for col, value in (("a.outlet", outlet), ("a.lang", lang)):
        if value:
            where.append(f"s.id IN (SELECT a.story_id FROM articles a WHERE {col} = ?)")
            params.append(value)
    if entity:
        where.append("s.id IN (SELECT a.story_id FROM articles a JOIN mentions m "
                     "ON m.article_id = a.id WHERE m.entity_key = ?)")
        params.append(entity)
    order = ("s.last_date DESC, s.n_articles DESC" if sort == "recent"
             else "s.n_articles DESC, s.last_date DESC")
    return store.query(f"SELECT s.* FROM stories s WHERE {' AND '.join(where)} "
                       f"ORDER BY {order}, s.id LIMIT ? OFFSET ?", [*params, limit, offset])


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


def story(store: Store, story_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM stories WHERE id = ?", [story_id])
    if not rows:
        return None
    result = rows[0]
    articles = group_articles(store, "story_id", story_id)
    events = store.query("SELECT * FROM events WHERE story_id = ? ORDER BY first_date, id",
                         [story_id])
    for ev in events:
        ev["articles"] = fold([a for a in articles if a["event_id"] == ev["id"]])
    result["events"] = events
    ids = [a["id"] for a in articles]
    result["entities"] = top_entities(store, ids)
    result["quotes"] = facts(store, ids, "quotes")
    result["figures"] = facts(store, ids, "figures")
    return result


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM events WHERE id = ?", [event_id])
    if not rows:
        return None
    result = rows[0]
    articles = group_articles(store, "event_id", event_id)
    result["articles"] = fold(articles)
    ids = [a["id"] for a in articles]
    result["entities"] = top_entities(store, ids)
    result["quotes"] = facts(store, ids, "quotes")
    return result


def top_entities(store: Store, ids: list[str], limit: int = 20) -> list[dict[str, Any]]:
    return store.query(
        "SELECT entity_key AS key, type, COUNT(*) AS mentions, COUNT(DISTINCT article_id) AS "
        "articles, (SELECT canonical FROM mentions m2 WHERE m2.entity_key = m.entity_key "
        "GROUP BY canonical ORDER BY COUNT(*) DESC, LENGTH(canonical) DESC LIMIT 1) AS name "
        "FROM mentions m WHERE article_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY entity_key ORDER BY mentions DESC, key LIMIT ?", [json.dumps(ids), limit])


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    rows = store.query("SELECT * FROM articles WHERE id = ?", [article_id])
    if not rows:
        return None
    a = rows[0]
    for key in ("published_evidence", "removed", "features"):
        a[key] = json.loads(a[key]) if a[key] else None
    a.pop("features")
    for kind in FACT_TABLES:
        a[kind] = facts(store, [article_id], kind)
        for fact in a[kind]:
            fact.pop("article_id")
    a["copies"] = [r["id"] for r in store.query(
        "SELECT id FROM articles WHERE duplicate_of = ?", [article_id])]
    return a


def entity(store: Store, key: str) -> dict[str, Any] | None:
    mentions = store.query(
        "SELECT m.text, m.type, m.canonical, m.role, m.start, m.end, m.article_id, a.title, "
        "a.outlet, COALESCE(a.published, a.crawl_month) AS date, a.story_id FROM mentions m "
        "JOIN articles a ON a.id = m.article_id WHERE m.entity_key = ? "
        "ORDER BY date, m.article_id, m.start", [key])
    if not mentions:
        return None
    names = Counter(m["canonical"] for m in mentions)
    return {
        "key": key,
        "name": max(names, key=lambda n: (names[n], len(n))),
        "type": Counter(m["type"] for m in mentions).most_common(1)[0][0],
        "variants": Counter(m["text"] for m in mentions).most_common(),
        "roles": Counter(m["role"] for m in mentions if m["role"]).most_common(),
        "timeline": sorted(Counter(m["date"] or "undated" for m in mentions).items()),
        "quotes": store.query("SELECT q.text, q.kind, q.article_id, q.start, q.end FROM quotes q "
                              "WHERE q.speaker_key = ? ORDER BY q.article_id, q.start", [key]),
        "mentions": mentions,
    }


def search(store: Store, q: str, *, limit: int = 20, offset: int = 0,
           outlet: str | None = None, lang: str | None = None) -> dict[str, Any]:
    """Ranked hits; in `snippet`, \x02 and \x03 mark the matched words (escape, then style)."""
    expr = fts_query(q)
    if not expr:
        return {"query": q, "total": 0, "hits": [], "facets": {}}
    where, params = "", [expr]
    for col, value in (("outlet", outlet), ("lang", lang)):
        if value:
            where += f" AND a.{col} = ?"
            params.append(value)
    base = (f"FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            f"WHERE articles_fts MATCH ? AND a.superseded_by IS NULL{where}")
    hits = store.query(
        f"SELECT a.id, a.title, a.outlet, a.lang, a.published, a.story_id, a.event_id, "
        f"a.duplicate_of, snippet(articles_fts, 1, char(2), char(3), ' … ', 16) AS snippet {base} "
        f"ORDER BY bm25(articles_fts, 5.0, 1.0, 1.0) LIMIT ? OFFSET ?", [*params, limit, offset])
    facets = {col: dict(store.conn.execute(
        f"SELECT a.{col}, COUNT(*) {base} GROUP BY a.{col} ORDER BY 2 DESC LIMIT 15",
        params).fetchall()) for col in ("outlet", "lang", "story_id")}
    total = store.conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
    return {"query": q, "total": total, "hits": hits, "facets": facets}
