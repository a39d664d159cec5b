"""Events and stories on the driver: `ingest`'s own indexes, fed the compact per-article
features in publication order.

The grouping is one pass in `sort_key` order through `StoryIndex.add` (corpus/events.py),
exactly as `corpus.assign` runs it, so the partition is the single-machine one by
construction. What reaches the driver is the features record only (terms, entities, dates:
a few KB), streamed partition by partition from Spark's sort, never the texts.

Duplicates come either from Spark (`spark.dedup`: each article's best confirmed earlier copy,
found with MinHash bands in the executors) and are resolved to canonical ids here, or, with
`--dedup driver`, from `DedupIndex.add` in the same pass.
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


def group(rows: Iterable[Any], settings: Settings, copies: dict[str, str] | None,
          stats: GroupStats) -> list[Assignment]:
    """rows: (id, features JSON) in sort_key order. copies: article -> the earlier article it
    copies (Spark dedup), or None to run `DedupIndex` here."""
    dedup = DedupIndex(settings) if copies is None else None
    canonical: dict[str, str] = {}
    events = StoryIndex(settings)
    out: list[Assignment] = []
    clock = time.perf_counter
    for aid, raw in _timed(rows, stats):
        t0 = clock()
        feats = json.loads(raw or "{}")
        t1 = clock()
        if dedup is not None:
            dup = dedup.add(aid, feats)
        else:
            source = (copies or {}).get(aid)
            dup = canonical.get(source, source) if source else None
            if dup:
                canonical[aid] = dup
        t2 = clock()
        event_id, story_id = events.add(aid, feats, dup)
        t3 = clock()
        stats.seconds["parse"] += t1 - t0
        stats.seconds["dedup"] += t2 - t1
        stats.seconds["events"] += t3 - t2
        stats.articles += 1
        stats.duplicates += bool(dup)
        out.append((aid, dup, event_id, story_id))
    return out
