"""`storyline why A B`: the similarity components behind two articles' grouping."""

from __future__ import annotations

import json
from typing import Any

from storyline.corpus.assign import STATE, unpack
from storyline.corpus.events import StoryIndex
from storyline.settings import Settings
from storyline.store import Store


def explain_pair(store: Store, settings: Settings, a: str, b: str) -> dict[str, Any] | None:
    rows = {r["id"]: r for r in store.query(
        "SELECT id, features, duplicate_of, event_id, story_id FROM articles WHERE id IN (?, ?)",
        [a, b])}
    if a not in rows or b not in rows:
        return None
    ra, rb = rows[a], rows[b]
    result: dict[str, Any] = {
        "same_event": ra["event_id"] == rb["event_id"],
        "same_story": ra["story_id"] == rb["story_id"],
        "duplicates": (ra["duplicate_of"] or a) == (rb["duplicate_of"] or b),
        "events": [ra["event_id"], rb["event_id"]],
        "stories": [ra["story_id"], rb["story_id"]],
    }
    components = _index(store, settings).explain(json.loads(ra["features"]),
                                                 json.loads(rb["features"]))
    result.update(components)
    return result


def _index(store: Store, settings: Settings) -> StoryIndex:
    """The saved index, so term weights are the corpus's own; a fresh one if none is saved."""
    row = store.conn.execute("SELECT data FROM corpus_state WHERE name=?", (STATE,)).fetchone()
    if row is None:
        return StoryIndex(settings)
    return StoryIndex.from_state(unpack(row[0])[1], settings)
