"""Duplicates, events and stories on the driver: `ingest`'s own indexes, fed the compact
per-article features in publication order.

One pass in `sort_key` order through `DedupIndex.add` and `StoryIndex.add`, exactly as
`corpus.assign.assign_pending` runs them (the copy follows the earlier text it was found to
copy; groups whose fullest member changed re-point their earlier members at the end), so the
partition is the single-machine one by construction. What reaches the driver is the features
record only (terms, entities, dates, shingle hashes: a few KB), streamed partition by
partition from Spark's sort, never the texts. This pass is the serial part of a backfill.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.settings import Settings

Assignment = tuple[str, str | None, str, str]  # id, duplicate_of, event_id, story_id


@dataclass
class GroupStats:
    articles: int = 0
    duplicates: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: {"fetch": 0.0, "parse": 0.0,
                                                                "dedup": 0.0, "events": 0.0})


def _timed(rows: Iterable[Any], stats: GroupStats) -> Iterator[Any]:
    it = iter(rows)
    while True:
        started = time.perf_counter()
        row = next(it, None)
        stats.seconds["fetch"] += time.perf_counter() - started
        if row is None:
            return
        yield row


def group(rows: Iterable[Any], settings: Settings, stats: GroupStats) -> list[Assignment]:
    """rows: (id, features JSON) in sort_key order."""
    dedup, events = DedupIndex(settings), StoryIndex(settings)
    out: list[Assignment] = []
    clock = time.perf_counter
    for aid, raw in _timed(rows, stats):
        t0 = clock()
        feats = json.loads(raw or "{}")
        t1 = clock()
        dup = dedup.add(aid, feats)
        t2 = clock()
        event_id, story_id = events.add(aid, feats, dedup.followed)
        t3 = clock()
        stats.seconds["parse"] += t1 - t0
        stats.seconds["dedup"] += t2 - t1
        stats.seconds["events"] += t3 - t2
        out.append((aid, dup, event_id, story_id))
    changes = dedup.groups.take_changes()  # a fuller or bridging copy re-points its group
    out = [(a, changes.get(a, d), e, s) for a, d, e, s in out]
    stats.articles = len(out)
    stats.duplicates = sum(1 for a in out if a[1])
    return out
