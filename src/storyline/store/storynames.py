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

# {only} narrows a.story_id like the other aggregates (schema.STORY_AGGREGATES)
STORY_NAMES = (
    "INSERT INTO story_names WITH m AS (SELECT a.story_id AS sid, m.canonical AS c, "
    "m.type AS t0, m.entity_key AS k0, COUNT(*) AS n, COUNT(DISTINCT m.article_id) AS na "
    "FROM articles a JOIN mentions m ON m.article_id = a.id WHERE a.story_id IS NOT NULL "
    "AND a.superseded_by IS NULL {only} GROUP BY sid, c, t0), "
    "x AS (SELECT *, storyline_name(c) AS nb FROM m), "
    "v AS (SELECT sid, nb, t0, ROW_NUMBER() OVER (PARTITION BY sid, nb ORDER BY t0 = 'MISC', "
    "SUM(na) DESC, SUM(n) DESC, t0 = 'PER' DESC, t0) AS r FROM x GROUP BY sid, nb, t0), "
    "y AS (SELECT x.sid, x.c, x.t0, x.k0, x.n, x.na, v.t0 AS t, CASE WHEN v.t0 = x.t0 "
    "THEN x.k0 ELSE storyline_key(x.c, v.t0) END AS k FROM x JOIN v ON v.sid = x.sid "
    "AND v.nb = x.nb AND v.r = 1), "
    "p AS (SELECT sid, substr(k, instr(k, '.') + 1) AS sur, MIN(k) AS k, "
    "COUNT(DISTINCT k) AS nf FROM y WHERE t = 'PER' AND instr(k, '.') > 0 GROUP BY sid, sur), "
    "z AS (SELECT y.sid, y.c, y.t0, y.k0, y.n, y.na, "
    "CASE WHEN p.nf = 1 THEN p.k ELSE y.k END AS k, "
    "CASE WHEN p.nf = 1 THEN 'PER' ELSE y.t END AS t FROM y LEFT JOIN p ON p.sid = y.sid "
    "AND y.t IN ('PER', 'MISC') AND instr(y.k, '.') = 0 "
    "AND p.sur = substr(y.k, instr(y.k, ':') + 1)) "
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
