"""Search hits: ranked among the newest matches, folded by duplicate group and grouped by
event before paging, so a page holds distinct texts and an event's hits stay together."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from storyline.store.db import Store
from storyline.store.search import expression

MAX_COPIES = 20  # copies listed under a hit (`n_copies` counts all)


SEARCH_CAP = 500
RANK_ROWS = 5000  # core matches scored with bm25 per request; older candidates rank by date


def search(store: Store, q: str, *, limit: int = 20, offset: int = 0,
           outlet: str | None = None, lang: str | None = None, story: str | None = None,
           cap: int = SEARCH_CAP) -> dict[str, Any]:
    """Ranked hits; in `snippet`, \x02 and \x03 mark the matched words (escape, then style).

    FTS5 scores every row it is asked to rank, so a common word (in half of 100k articles)
    would cost a pass over 50k documents per request. Hits are therefore ranked among the
    `cap` most recently stored matches; facets and `total` count that same set, and
    `total_exact` is False when more articles match. The matches of one duplicate group are
    one hit (the best ranked, the others under `copies`) and the hits of one event follow
    each other (events in the rank of their best hit), both before paging: `limit` and
    `offset` count these hits, `n_groups` all of them."""
    expr = expression(store.conn, str(store.path), q)
    if expr is None:
        return {"query": q, "total": 0, "total_exact": True, "hits": [], "facets": {},
                "n_groups": 0}
    where, params = "", [expr.match]
    for col, value in (("outlet", outlet), ("lang", lang), ("story_id", story)):
        if value:
            where += f" AND a.{col} = ?"
            params.append(value)
    # the covering index answers the filters without reading article rows; forcing it also
    # keeps the planner from driving the join from a story's articles (one MATCH per row)
    rows = store.conn.execute(
        "SELECT f.rowid, a.outlet, a.lang, a.story_id "
        "FROM articles_fts f JOIN articles a INDEXED BY articles_meta ON a.rowid = f.rowid "
        f"WHERE articles_fts MATCH ? AND a.superseded_by IS NULL{where} "
        "ORDER BY f.rowid DESC LIMIT ?", [*params, cap + 1]).fetchall()
    exact, rows = len(rows) <= cap, rows[:cap]
    facets = {col: dict(Counter(r[i] for r in rows).most_common(15))
              for i, col in ((1, "outlet"), (2, "lang"), (3, "story_id"))}
    score = _scores(store, expr.core, [r[0] for r in rows])
    ranked = sorted((r[0] for r in rows), key=lambda r: (score.get(r, 0.0), -r))
    groups = _fold(store, ranked)
    page = groups[offset:offset + limit]
    found = _hits(store, expr.match, [g[0] for g in page])
    copies = _rows(store, [r for g in page for r in g[1:MAX_COPIES + 1]])
    hits = []
    for group in page:
        if group[0] in found:
            hits.append({**found[group[0]], "n_copies": len(group) - 1, "copies": [
                copies[r] for r in group[1:MAX_COPIES + 1] if r in copies]})
    return {"query": q, "total": len(rows), "total_exact": exact, "hits": hits,
            "facets": facets, "n_groups": len(groups)}


def _fold(store: Store, ranked: list[int]) -> list[list[int]]:
    """Ranked rowids as duplicate groups (best ranked first in each), the groups of one
    event together, events in the rank of their best hit. The group keys come from a
    covering index: the article rows hold the text before them."""
    if not ranked:
        return []
    keys = {r: (dup or aid, ev or f"article:{aid}") for r, aid, dup, ev in store.conn.execute(
        "SELECT rowid, id, duplicate_of, event_id FROM articles INDEXED BY articles_groups "
        "WHERE rowid IN (SELECT value FROM json_each(?))", [json.dumps(ranked)])}
    dups: dict[str, list[int]] = {}
    events: dict[str, list[str]] = {}
    for r in ranked:
        dup, ev = keys.get(r, (f"row:{r}", f"row:{r}"))
        if dup not in dups:
            events.setdefault(ev, []).append(dup)
        dups.setdefault(dup, []).append(r)
    return [dups[d] for members in events.values() for d in members]


def _rows(store: Store, rowids: list[int]) -> dict[int, dict[str, Any]]:
    if not rowids:
        return {}
    return {r.pop("rowid"): r for r in store.query(
        "SELECT rowid, id, title, outlet, lang, published, story_id, event_id, duplicate_of "
        "FROM articles WHERE rowid IN (SELECT value FROM json_each(?))",
        [json.dumps(rowids)])}


def _scores(store: Store, core: str, rowids: list[int]) -> dict[int, float]:
    """bm25 (lower is better) of the candidates matching a query word itself or its lemma,
    newest RANK_ROWS first: one rowid-range scan (a MATCH per rowid redoes the term lookups
    per row: seconds for 500 rows). Candidates matched only by a longer word under the prefix
    score 0 and follow by date."""
    if not rowids:
        return {}
    wanted = set(rowids)
    return {r: s for r, s in store.conn.execute(
        "SELECT rowid, bm25(articles_fts, 5.0, 1.0, 1.0) FROM articles_fts "
        "WHERE articles_fts MATCH ? AND rowid >= ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?",
        [core, min(rowids), max(rowids), RANK_ROWS]) if r in wanted}


def _hits(store: Store, expr: str, rowids: list[int]) -> dict[int, dict[str, Any]]:
    """Hit rows with snippets by rowid. A MATCH restricted to single rowids
    re-expands prefix terms per row (slow), so one range scan computes the few snippets."""
    if not rowids:
        return {}
    marks = json.dumps(rowids)
    snippets = {rowid: text for rowid, text in store.conn.execute(
        "SELECT f.rowid, CASE WHEN f.rowid IN (SELECT value FROM json_each(?4)) THEN "
        "snippet(articles_fts, 1, char(2), char(3), ' … ', 16) END FROM articles_fts f "
        "WHERE articles_fts MATCH ?1 AND f.rowid >= ?2 AND f.rowid <= ?3",
        [expr, min(rowids), max(rowids), marks]) if text is not None}
    rows = _rows(store, rowids)
    return {r: {**row, "snippet": snippets.get(r, "")} for r, row in rows.items()}
