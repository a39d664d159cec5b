"""Run the corpus stages (dedup, events, stories) over pending articles in publication order.

The indexes only ever see articles sorted by `sort_key`. New articles that all sort after the
last one seen are added to the saved index state; if any sorts earlier (a late backfill), the
grouping is replayed from the start over the stored features. Either way the result equals one
pass over the whole corpus in order: the same groups and ids whatever the batches were.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from storyline.corpus.dedup import DedupIndex, StaleState
from storyline.corpus.events import StoryIndex
from storyline.corpus.headlines import SAMPLE, Member, headline
from storyline.corpus.labels import label
from storyline.corpus.move import story_moves
from storyline.corpus.placing import place, repoint
from storyline.corpus.split import Protos, stored, stored_days
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.schema import STORY_AGGREGATE_TABLES, STORY_AGGREGATES

STATE = "groups"
MOVES = "moves"  # article id -> its event before a stray-member move (corpus/move.py)
_PAGE = 2000  # pending rows read per query


def assign_pending(store: Store, settings: Settings,
                   progress: Callable[[str, int], None] | None = None) -> int:
    """Group every unassigned article; return how many of them are duplicates."""
    conn = store.conn
    first = conn.execute("SELECT MIN(sort_key) FROM articles WHERE event_id IS NULL "
                         "AND superseded_by IS NULL").fetchone()[0]
    if first is None:
        return 0
    row = conn.execute("SELECT data, watermark FROM corpus_state WHERE name=?", (STATE,)).fetchone()
    dedup, events = _resume(row, first, settings)
    replay = dedup is None or events is None
    if dedup is None or events is None:
        dedup, events = DedupIndex(settings), StoryIndex(settings)
    where = "superseded_by IS NULL" if replay else "event_id IS NULL AND superseded_by IS NULL"
    before = _assigned(conn)  # read before the pass rewrites them
    updates: list[tuple[str | None, str, str, str]] = []
    protos, last = Protos(), ""
    for aid, key, feats in _features(conn, where):
        dup, event_id, story_id = place(dedup, events, aid, feats, feats)
        protos.note(events.roster, events.follows, aid, event_id)
        updates.append((dup, event_id, story_id, aid))
        last = key
        if progress and len(updates) % 1000 == 0:
            progress("group", 1000)
    renamed = events.renamed  # stories the re-link joined to another (corpus/relink.py)
    updates = [(dup, ev, renamed.get(st, st), aid) for dup, ev, st, aid in updates]
    dups, changes = repoint([(u[3], u[0]) for u in updates], dedup.groups)
    split = protos.refine(stored(conn), settings)  # proto-events cut in developments (split.py)
    updates = [(dup, split.get(u[3], u[1]), *u[2:])
               for dup, u in zip(dups, updates, strict=True)]
    placed = {u[3] for u in updates}
    moved = {aid: ev for aid, ev in split.items() if aid not in placed}  # earlier batches'
    saved = {} if replay else _saved_moves(conn)
    earlier = {} if replay else {a: (d, e, renamed.get(str(s), s)) for a, (d, e, s) in
                                 before[0].items()}
    updates, saved = _move_strays(conn, settings, earlier, updates, changes, moved, saved)
    with store.transaction():
        if replay:
            conn.execute("UPDATE articles SET duplicate_of=NULL, event_id=NULL, story_id=NULL")
        conn.executemany("UPDATE articles SET duplicate_of=?, event_id=?, story_id=? WHERE id=?",
                         updates)
        conn.executemany("UPDATE articles SET duplicate_of=? WHERE id=?",
                         [(c, a) for a, c in changes.items()])  # earlier batches' articles
        conn.executemany("UPDATE articles SET event_id=? WHERE id=?",
                         [(e, a) for a, e in moved.items()])
        conn.executemany("UPDATE articles SET story_id=? WHERE story_id=?",
                         [(new, old) for old, new in renamed.items()])  # earlier batches'
        state = _pack(dedup.to_state(), events.to_state())
        conn.execute("INSERT OR REPLACE INTO corpus_state VALUES (?, ?, ?)", (STATE, state, last))
        conn.execute("INSERT OR REPLACE INTO corpus_state VALUES (?, ?, '')",
                     (MOVES, json.dumps(saved, sort_keys=True).encode("utf-8")))
        refresh_groups(conn, *changed_groups(before, updates, changes, moved, renamed))
    return sum(1 for u in updates if u[0])


Assigned = dict[str, tuple[str | None, str | None, str | None]]


def _saved_moves(conn: sqlite3.Connection) -> dict[str, str]:
    row = conn.execute("SELECT data FROM corpus_state WHERE name=?", (MOVES,)).fetchone()
    return dict(json.loads(row[0])) if row else {}


def _move_strays(conn: sqlite3.Connection, settings: Settings, earlier: Assigned,
                 updates: list[tuple[str | None, str, str, str]], changes: dict[str, str | None],
                 moved: dict[str, str], saved: dict[str, str]
                 ) -> tuple[list[tuple[str | None, str, str, str]], dict[str, str]]:
    """Stray members moved to their sibling event (corpus/move.py) in every story the pass
    touched. A move reads each member's event before any move: for an earlier pass's article
    the split's new event, else the event `saved` recorded when it was moved, else the
    stored one. Returns the updates and the new `saved`; earlier articles whose event
    changes go into `moved` (in place)."""
    base = {aid: moved.get(aid) or saved.get(aid) or ev for aid, (_, ev, _) in earlier.items()}
    story = {aid: st for aid, (_, _, st) in earlier.items()}
    group = {aid: changes.get(aid, dup) for aid, (dup, _, _) in earlier.items()}
    for dup, ev, st, aid in updates:
        base[aid], story[aid], group[aid] = ev, st, dup
    touched = {u[2] for u in updates} | {story[a] for a in moved if a in story}
    members = [(a, str(base[a]), str(story[a]), group[a] or a) for a in base if story[a] in touched]
    new = story_moves(members, stored(conn), settings, stored_days(conn))
    saved = {a: e for a, e in saved.items() if story.get(a) not in touched}
    saved.update((a, str(base[a])) for a in new)
    for aid, *_ in members:  # the split's new event may be undone by a move, and vice versa
        final = new.get(aid, str(base[aid]))
        if aid in earlier and (aid in moved or final != earlier[aid][1]):
            moved[aid] = final
    return [(dup, new.get(aid, ev), st, aid) for dup, ev, st, aid in updates], saved


def _assigned(conn: sqlite3.Connection) -> tuple[Assigned, set[str], set[str]]:
    """Before a pass: id -> (duplicate_of, event_id, story_id) of every grouped article, and
    the events and stories whose stored rows no longer match their members."""
    rows = {aid: (dup, ev, st) for aid, dup, ev, st in conn.execute(
        "SELECT id, duplicate_of, event_id, story_id FROM articles WHERE event_id IS NOT NULL")}
    return rows, _stale(conn, "events", "event_id"), _stale(conn, "stories", "story_id")


def changed_groups(before: tuple[Assigned, set[str], set[str]],
                   updates: list[tuple[str | None, str, str, str]],
                   changes: dict[str, str | None], moved: dict[str, str] | None = None,
                   renamed: dict[str, str] | None = None
                   ) -> tuple[set[str] | None, set[str] | None]:
    """The events and stories whose rows a pass must rewrite: stale ones, those an article
    joined or left (`moved`: earlier passes' articles a split put in another event), and
    those whose canonical copies changed (headlines count copies); a
    group's row reads only its members, so the others stay as they are. `renamed`: stories
    the re-link joined to another (old -> new id), whose earlier articles move with them.
    (None, None), every group, when nothing was grouped before: one pass over the table
    beats id lookups then."""
    rows, stale_events, stale_stories = before
    if not rows:
        return None, None
    after: Assigned = {aid: (dup, ev, st) for dup, ev, st, aid in updates}
    for aid, (dup, ev, st) in rows.items() if renamed else ():
        if aid not in after and st in renamed:  # type: ignore[operator]
            after[aid] = (changes.get(aid, dup), ev, renamed[st])  # type: ignore[index]
    for aid, dup in changes.items():  # earlier passes' copies re-pointed
        if aid in rows and aid not in after:
            after[aid] = (dup, *rows[aid][1:])
    for aid, event in (moved or {}).items():  # the story stays: a split cuts within one
        if aid in rows:
            old = after.get(aid, rows[aid])
            after[aid] = (old[0], event, old[2])
    events, stories = set(stale_events), set(stale_stories)
    none = (None, None, None)
    for aid, new in after.items():  # a replay places every article again
        old = rows.get(aid, none)
        if old == new:
            continue
        for dup, ev, st in (old, new):
            canon = after.get(dup or "") or rows.get(dup or "") or none
            events.update(x for x in (ev, canon[1]) if x)
            stories.update(x for x in (st, canon[2]) if x)
    return events, stories


def _stale(conn: sqlite3.Connection, table: str, col: str) -> set[str]:
    """Groups whose stored count no longer matches their members: one lost an article
    outside a grouping pass (a superseded version leaves its groups at once)."""
    return {gid for (gid,) in conn.execute(
        f"SELECT g.id FROM {table} g LEFT JOIN (SELECT {col} AS gid, COUNT(*) AS n FROM "
        f"articles WHERE {col} IS NOT NULL GROUP BY {col}) c ON c.gid = g.id "
        "WHERE c.n IS NULL OR c.n != g.n_articles")}


def _resume(row: sqlite3.Row | None, first: str,
            settings: Settings) -> tuple[DedupIndex | None, StoryIndex | None]:
    """The saved indexes when every pending article sorts after the last one they saw."""
    if not row or row["watermark"] >= first:
        return None, None
    dedup_state, event_state = unpack(row["data"])
    try:
        dedup = DedupIndex.from_state(dedup_state, settings)
    except StaleState:
        return None, None
    return dedup, StoryIndex.from_state(event_state, settings)


def _features(conn: sqlite3.Connection, where: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Pending rows in sort order, a page per query: one cursor over the whole run held a
    read snapshot for minutes, so the WAL could not be checkpointed while the workers wrote
    late facts (it grew past 6 GB at 100k). sort_key ends with the id, so paging is exact."""
    last = ""
    while True:
        rows = conn.execute(f"SELECT id, sort_key, features FROM articles INDEXED BY "
                            f"articles_sort WHERE {where} AND sort_key > ? ORDER BY sort_key "
                            f"LIMIT {_PAGE}", (last,)).fetchall()
        for aid, key, feats in rows:
            yield aid, key, json.loads(feats or "{}")
        if len(rows) < _PAGE:
            return
        last = rows[-1][1]


def _pack(dedup_state: bytes, event_state: bytes) -> bytes:
    """Two length-prefixed blobs in one column."""
    return len(dedup_state).to_bytes(8, "big") + dedup_state + event_state


def unpack(data: bytes) -> tuple[bytes, bytes]:
    n = int.from_bytes(data[:8], "big")
    return data[8:8 + n], data[8 + n:]


def refresh_groups(conn: sqlite3.Connection, event_ids: set[str] | None,
                   story_ids: set[str] | None) -> None:
    """Recompute the events/stories rows (counts, dates, labels) for the given ids (None: all),
    and the per-story aggregates the web reads (entities, speakers, days). Each refreshed story
    gets a new `version`, so caches of per-story panels know when to recompute."""
    version = conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM stories").fetchone()[0]
    for table, col, ids in (("events", "event_id", event_ids), ("stories", "story_id", story_ids)):
        cols = ("id, story_id, label, first_date, last_date, n_articles, n_outlets"
                if table == "events" else
                "id, label, first_date, last_date, n_articles, n_outlets, n_events, version")
        extra = ", story_id" if table == "events" else ""
        counts = (f", COUNT(DISTINCT event_id), {int(version)}" if table == "stories" else "")
        where, params = _in(col, ids)
        _delete(conn, table, "id", ids)
        conn.execute(
            f"INSERT INTO {table} ({cols}) SELECT {col}{extra}, '', "
            f"MIN(COALESCE(published, crawl_month)), MAX(COALESCE(published, crawl_month)), "
            f"COUNT(*), COUNT(DISTINCT outlet){counts} "
            f"FROM articles WHERE {col} IS NOT NULL {where} GROUP BY {col}", params)
        rows = conn.execute(f"SELECT id FROM {table} WHERE label = '' {_in('id', ids)[0]}",
                            params).fetchall()
        for (gid,) in rows:
            _name(conn, table, col, gid)
    only, params = _in("a.story_id", story_ids)
    for table, sql in zip(STORY_AGGREGATE_TABLES, STORY_AGGREGATES, strict=True):
        _delete(conn, table, "story_id", story_ids)
        conn.execute(sql.format(only=only), params)


def _name(conn: sqlite3.Connection, table: str, col: str, gid: str) -> None:
    """Label (main actors) and headline of one event or story, from its first canonical
    articles."""
    # `+` keeps the copies count on the duplicate_of index: by superseded_by SQLite walked
    # every live article per member (quadratic: most of a 100k ingest's group phase)
    members = [Member(aid, title, lang, lead, copies, json.loads(feats or "{}"))
               for aid, title, lang, lead, copies, feats in conn.execute(
                   f"SELECT id, title, lang, substr(text, 1, 600), (SELECT COUNT(*) FROM "
                   "articles c WHERE c.duplicate_of = a.id AND +c.superseded_by IS NULL), "
                   f"features FROM articles a WHERE {col}=? AND duplicate_of IS NULL "
                   f"ORDER BY sort_key LIMIT {SAMPLE}", (gid,))]
    head = headline(members)
    conn.execute(f"UPDATE {table} SET label=?, title=?, title_article=?, titles=? WHERE id=?",
                 (label([m.feats for m in members]) or gid, head.title, head.article,
                  json.dumps(head.titles, ensure_ascii=False), gid))


def fill_titles(conn: sqlite3.Connection) -> None:
    """Headlines for every event and story (a database from before they existed)."""
    with conn:
        conn.execute("BEGIN")
        for table, col in (("events", "event_id"), ("stories", "story_id")):
            for (gid,) in conn.execute(f"SELECT id FROM {table}").fetchall():
                _name(conn, table, col, gid)


def _delete(conn: sqlite3.Connection, table: str, col: str, ids: set[str] | None) -> None:
    if ids is None:
        conn.execute(f"DELETE FROM {table}")
    else:
        conn.execute(f"DELETE FROM {table} WHERE {col} IN (SELECT value FROM json_each(?))",
                     (json.dumps(sorted(ids)),))


def _in(col: str, ids: set[str] | None) -> tuple[str, tuple[Any, ...]]:
    if ids is None:
        return "", ()
    return f"AND {col} IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)
