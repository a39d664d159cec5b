"""Entities as pages and the API read them: the articles' mentions with the story-level
names applied (`storynames.py`: a bare "Johnson" moved to the story's one Boris Johnson, a
name the tagger typed MISC in one article given the type the story gives it)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from storyline.store.db import Store
from storyline.store.storynames import MENTION_JOIN, SPEAKER_JOIN

# the mention and quote columns of queries.FACT_COLUMNS, the story's names applied
ENTITY_COLS = ("m.text, COALESCE(r.type, m.type) AS type, m.canonical, "
               "COALESCE(r.key, m.entity_key) AS entity_key, m.role, m.start, m.end")
QUOTE_COLS = ("q.text, q.kind, q.speaker, COALESCE(e.name, q.speaker_canonical) AS "
              "speaker_canonical, "
              "CASE WHEN q.speaker_key IS NULL THEN NULL ELSE COALESCE(r.key, q.speaker_key) END "
              "AS speaker_key, q.speaker_start, q.speaker_end, q.cue, q.start, q.end")
RESOLVED = {
    "entities": f"SELECT {ENTITY_COLS} FROM mentions m JOIN articles a ON a.id = m.article_id "
                f"{MENTION_JOIN.format(m='m')}",
    # a speaker the story moved is named as the story names that entity
    "quotes": f"SELECT {QUOTE_COLS} FROM quotes q JOIN articles a ON a.id = q.article_id "
              f"{SPEAKER_JOIN.format(q='q')} LEFT JOIN story_entities e "
              "ON e.story_id = r.story_id AND e.entity_key = r.key",
}
ALIAS = {"entities": "m", "quotes": "q"}


def resolved_facts(store: Store, article_ids: list[str], kind: str) -> list[dict[str, Any]]:
    """Mentions or quotes of these articles (by article, then offset), keys and types as
    their stories resolve them."""
    x = ALIAS[kind]
    return store.query(f"{RESOLVED[kind].replace('SELECT ', f'SELECT {x}.article_id, ', 1)} "
                       f"WHERE {x}.article_id IN (SELECT value FROM json_each(?)) "
                       f"ORDER BY {x}.article_id, {x}.start", [json.dumps(article_ids)])


def top_entities(store: Store, ids: list[str], limit: int = 20) -> list[dict[str, Any]]:
    """The most mentioned entities of these articles, each named by its most frequent
    canonical form among them (names written so before those moved there by the story;
    one pass over their mentions, no per-entity subquery)."""
    return store.query(
        "WITH m AS (SELECT COALESCE(r.key, m.entity_key) AS k, COALESCE(r.type, m.type) AS t, "
        "m.canonical AS c, r.key IS NOT NULL AS moved, m.article_id AS aid "
        f"FROM mentions m JOIN articles a ON a.id = m.article_id {MENTION_JOIN.format(m='m')} "
        "WHERE m.article_id IN (SELECT value FROM json_each(?))), "
        "per AS (SELECT k, MIN(t) AS t, COUNT(*) AS n, COUNT(DISTINCT aid) AS na FROM m "
        "GROUP BY k ORDER BY n DESC, k LIMIT ?), "
        "names AS (SELECT k, c, ROW_NUMBER() OVER (PARTITION BY k ORDER BY MIN(moved), "
        "COUNT(*) DESC, LENGTH(c) DESC, c) AS r FROM m WHERE k IN (SELECT k FROM per) "
        "GROUP BY k, c) "
        "SELECT per.k AS key, per.t AS type, per.n AS mentions, per.na AS articles, "
        "names.c AS name FROM per JOIN names ON names.k = per.k AND names.r = 1 "
        "ORDER BY mentions DESC, key", [json.dumps(ids), limit])


_MENTION = ("SELECT m.rowid AS rid, m.text, m.type, m.canonical, m.role, m.start, m.end, "
            "m.article_id, a.title, a.outlet, COALESCE(a.published, a.crawl_month) AS date, "
            "x.story_id FROM {src} m JOIN articles a ON a.id = m.article_id "
            # story_id sits after the text in the row: the covering index spares reading it
            "JOIN articles x INDEXED BY articles_meta ON x.rowid = a.rowid")


# a mention (or quote) its story moved to another key; x is the fact's article
_MOVED = ("EXISTS (SELECT 1 FROM story_names r WHERE r.story_id = x.story_id "
          "AND r.canonical = {c} AND r.type0 = {t})")


def entity(store: Store, key: str, *, limit: int | None = None) -> dict[str, Any] | None:
    """An entity's names, variants, roles, mentions over time and quotes. A name in the news
    every day has 100k mentions; with `limit`, these come from its newest `limit` mentions
    and quotes (`sampled` says so) while `n_mentions`, `n_articles` and `n_stories` count
    all (the last two over grouped articles). Mentions a story moved to another entity are
    that entity's; those moved here from another key are this one's."""
    one = store.conn.execute
    moved_in = store.query("SELECT type0, mentions FROM story_names WHERE key = ?", [key])
    moved_out = one("SELECT COALESCE(SUM(mentions), 0) FROM story_names WHERE key0 = ?",
                    [key]).fetchone()[0]
    n = (one("SELECT COUNT(*) FROM mentions WHERE entity_key = ?", [key]).fetchone()[0]
         - moved_out + sum(r["mentions"] for r in moved_in))
    if n <= 0:
        return None
    cap = -1 if limit is None else limit
    mentions = store.query(_MENTION.format(src="mentions") + " WHERE m.entity_key = ? AND "
                           f"NOT {_MOVED.format(c='m.canonical', t='m.type')} "
                           "ORDER BY m.rowid DESC LIMIT ?", [key, cap])
    if moved_in:  # one query over the moved keys' mentions, however many stories moved them
        mentions += store.query(
            _MENTION.format(src="mentions").replace("m.type,", "r.type,", 1)
            + " JOIN story_names r ON r.story_id = x.story_id AND r.canonical = m.canonical "
            "AND r.type0 = m.type WHERE r.key = ?1 AND m.entity_key IN "
            "(SELECT key0 FROM story_names WHERE key = ?1) ORDER BY m.rowid DESC LIMIT ?2",
            [key, cap])
    mentions.sort(key=lambda m: -m["rid"])
    mentions = mentions if limit is None else mentions[:limit]
    mentions.sort(key=lambda m: (m["date"] or "", m["article_id"], m["start"]))
    for m in mentions:
        m.pop("rid")
    names = Counter(m["canonical"] for m in mentions)
    grouped = one("SELECT COALESCE(SUM(articles), 0), COUNT(*) FROM story_entities "
                  "WHERE entity_key = ?", [key]).fetchone()
    return {
        "key": key,
        "name": max(names, key=lambda n: (names[n], len(n))) if names else key,
        "type": Counter(m["type"] for m in mentions).most_common(1)[0][0] if mentions
        else key.split(":", 1)[0],
        "n_mentions": n, "n_articles": grouped[0], "n_stories": grouped[1],
        "sampled": len(mentions) < n,
        "variants": Counter(m["text"] for m in mentions).most_common(),
        "roles": Counter(m["role"] for m in mentions if m["role"]).most_common(),
        "timeline": sorted(Counter(m["date"] or "undated" for m in mentions).items()),
        "quotes": _quotes(store, key, cap, moved_in),
        "mentions": mentions,
    }


def _quotes(store: Store, key: str, cap: int,
            moved_in: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Quotes whose speaker is this entity in their story."""
    cols = ("SELECT q.text, q.kind, q.article_id, q.start, q.end FROM quotes q "
            "JOIN articles x ON x.id = q.article_id")
    moved = _MOVED.format(c="q.speaker_canonical", t="'PER'")
    found = store.query(f"{cols} WHERE q.speaker_key = ? AND NOT {moved} "
                        "ORDER BY q.rowid DESC LIMIT ?", [key, cap])
    if any(r["type0"] == "PER" for r in moved_in):
        found += store.query(
            cols + " JOIN story_names r ON r.story_id = x.story_id AND r.type0 = 'PER' "
            "AND r.canonical = q.speaker_canonical WHERE r.key = ?1 AND q.speaker_key IN "
            "(SELECT key0 FROM story_names WHERE key = ?1) ORDER BY q.rowid DESC LIMIT ?2",
            [key, cap])
    found.sort(key=lambda q: (q["article_id"], q["start"]))
    return found if cap < 0 else found[:cap]
