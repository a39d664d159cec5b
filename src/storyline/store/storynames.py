"""Names resolved per story: one entity and one type for a name across a story's articles.

Each article keys its names on its own (`stages/entities/keys.py`): a bare surname
("Johnson") keeps a key of its own unless the article names exactly one person of that
surname, and the tagger may call a name PER in one article and MISC in the next. Per story,
`STORY_NAMES` then decides, as one of the story aggregates `refresh_groups` recomputes:

- the type of a name (`keys.name_key`, so Sidorow and Sidorov vote together): the type most
  of the story's articles give it, MISC (where uncertain names end up) only when no article
  gives another; ties go to PER;
- a bare surname typed PER or MISC joins a full name when the story names exactly one person
  of that surname ("Johnson" -> "PER:b.johnson"); with two Johnsons it stays "PER:johnson".

`story_names` holds only the names that move: (story, canonical name, type as written) ->
(key, type). The articles' own facts stay as analysed (the export and provenance); readers of
pages and of the API apply the table (`queries`, `store/entities.py`).
"""

from __future__ import annotations

import sqlite3

# {only} narrows a.story_id like the other aggregates (schema.STORY_AGGREGATES).
# Window functions over one sorted pass, not joins back to grouped CTEs: SQLite builds no
# index on a materialised CTE here, so those joins scanned the whole CTE per row (quadratic:
# 60 of 70 CPU s of a full regroup at 10k articles, and past 20 minutes at 100k).
# t: the type the story gives a name (v: votes per type; MISC only when no other type, ties
# to PER); a bare surname (PER or MISC, no initial) takes the one full PER key of its surname
# in the story (lo = hi: exactly one distinct full key), else it keeps its own.
STORY_NAMES = (
    "INSERT INTO story_names WITH m AS (SELECT a.story_id AS sid, m.canonical AS c, "
    "m.type AS t0, m.entity_key AS k0, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS na "
    "FROM articles a JOIN mentions m ON m.article_id = a.id WHERE a.story_id IS NOT NULL "
    "AND a.superseded_by IS NULL {only} GROUP BY sid, c, t0), "
    "x AS (SELECT *, storyline_name(c) AS nb FROM m), "
    "v AS (SELECT *, SUM(na) OVER (PARTITION BY sid, nb, t0) AS vna, "
    "SUM(n) OVER (PARTITION BY sid, nb, t0) AS vn FROM x), "
    "y AS (SELECT sid, c, t0, k0, n, na, FIRST_VALUE(t0) OVER (PARTITION BY sid, nb "
    "ORDER BY t0 = 'MISC', vna DESC, vn DESC, t0 = 'PER' DESC, t0) AS t FROM v), "
    "s AS (SELECT *, CASE WHEN t = t0 THEN k0 ELSE storyline_key(c, t) END AS k FROM y), "
    "b AS (SELECT *, t = 'PER' AND instr(k, '.') > 0 AS full, "
    "t IN ('PER', 'MISC') AND instr(k, '.') = 0 AS bare FROM s), "
    "p AS (SELECT *, MIN(CASE WHEN full THEN k END) OVER w AS lo, "
    "MAX(CASE WHEN full THEN k END) OVER w AS hi FROM b WINDOW w AS (PARTITION BY sid, "
    "CASE WHEN full THEN substr(k, instr(k, '.') + 1) ELSE substr(k, instr(k, ':') + 1) END)), "
    "z AS (SELECT sid, c, t0, k0, n, na, CASE WHEN bare AND lo = hi THEN lo ELSE k END AS k, "
    "CASE WHEN bare AND lo = hi THEN 'PER' ELSE t END AS t FROM p) "
    "SELECT sid, c, t0, k0, k, t, n, na FROM z WHERE k != k0"
)

TABLE = """
CREATE TABLE story_names (
    story_id TEXT NOT NULL, canonical TEXT NOT NULL, type0 TEXT NOT NULL, key0 TEXT NOT NULL,
    key TEXT NOT NULL, type TEXT NOT NULL, mentions INTEGER NOT NULL, articles INTEGER NOT NULL,
    PRIMARY KEY (story_id, canonical, type0)
) WITHOUT ROWID;
CREATE INDEX story_names_key ON story_names(key);
CREATE INDEX story_names_key0 ON story_names(key0)"""

# person keys of older stores were the surname alone: rekey them (and the speakers)
REKEY = """
UPDATE mentions SET entity_key = storyline_key(canonical, type) WHERE type = 'PER';
UPDATE quotes SET speaker_key = storyline_key(speaker_canonical, 'PER')
    WHERE speaker_key IS NOT NULL"""

# joins for readers: `a` is the article row, the fact's alias is given
MENTION_JOIN = ("LEFT JOIN story_names r ON r.story_id = a.story_id "
                "AND r.canonical = {m}.canonical AND r.type0 = {m}.type")
SPEAKER_JOIN = ("LEFT JOIN story_names r ON r.story_id = a.story_id "
                "AND r.canonical = {q}.speaker_canonical AND r.type0 = 'PER'")


def _key(name: str | None, type_: str | None) -> str | None:
    from storyline.stages.entities.keys import canonical_key

    return None if name is None or type_ is None else canonical_key(name, type_)


def _name(name: str | None) -> str | None:
    from storyline.stages.entities.keys import name_key

    return None if name is None else name_key(name)


def register(conn: sqlite3.Connection) -> None:
    """The key functions the story aggregates and the rekeying migration call in SQL."""
    conn.create_function("storyline_key", 2, _key, deterministic=True)
    conn.create_function("storyline_name", 1, _name, deterministic=True)
