"""Duplicates, events and stories on the driver: `ingest`'s own indexes, fed the compact
per-article features in publication order (with `--dedup spark`, the duplicate candidates
come ranked and confirmed from `spark.dedup`, and only the group bookkeeping is done here).

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

from storyline.corpus.dedup import MAX_CHECKS, DedupIndex
from storyline.corpus.dedup.groups import Groups
from storyline.corpus.events import StoryIndex
from storyline.settings import Settings

Assignment = tuple[str, str | None, str, str]  # id, duplicate_of, event_id, story_id


@dataclass
class GroupStats:
    articles: int = 0
    duplicates: int = 0
    unverified: int = 0  # articles whose dedup walk needed more than Spark confirmed
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


def group(rows: Iterable[Any], settings: Settings, stats: GroupStats,
          checked: bool = False) -> list[Assignment]:
    """rows: (id, features JSON, checks JSON or None) in sort_key order. checked: the
    candidates were ranked and confirmed in Spark (`spark.dedup`), else `DedupIndex` here."""
    dedup = DedupIndex(settings) if not checked else None
    walk = _Walk()
    events = StoryIndex(settings)
    out: list[Assignment] = []
    clock = time.perf_counter
    for aid, raw, check in _timed(rows, stats):
        t0 = clock()
        feats = json.loads(raw or "{}")
        t1 = clock()
        if dedup is not None:
            dup, followed = dedup.add(aid, feats), dedup.followed
        else:
            dup, followed = walk.add(aid, check)
        t2 = clock()
        event_id, story_id = events.add(aid, feats, followed)
        t3 = clock()
        stats.seconds["parse"] += t1 - t0
        stats.seconds["dedup"] += t2 - t1
        stats.seconds["events"] += t3 - t2
        out.append((aid, dup, event_id, story_id))
    groups = dedup.groups if dedup is not None else walk.groups
    changes = groups.take_changes()  # a fuller or bridging copy re-points its group
    out = [(a, changes.get(a, d), e, s) for a, d, e, s in out]
    stats.articles = len(out)
    stats.duplicates = sum(1 for a in out if a[1])
    stats.unverified = walk.unverified
    return out


class _Walk:
    """`DedupIndex.add` over candidates Spark ranked and confirmed: the same loop (skip a
    candidate whose group was joined, stop after MAX_CHECKS checks), the same groups."""

    def __init__(self) -> None:
        self.groups = Groups()
        self.seq = 0
        self.unverified = 0

    def add(self, aid: str, check: str | None) -> tuple[str | None, str | None]:
        """(canonical if another article, the earlier canonical this one follows)."""
        seq, self.seq = self.seq, self.seq + 1
        if not check:
            return None, None
        data = json.loads(check)
        found: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        checks = 0
        for other, full, other_seq, confirmed in data["ranked"]:
            group = self.groups.canonical(other)
            if group in seen:
                continue
            if checks >= MAX_CHECKS:
                break
            checks += 1
            if confirmed:
                found.append((other, full, other_seq))
                seen.add(group)
        else:
            if data.get("more"):
                self.unverified += 1  # the walk would go on past what Spark confirmed
        followed = self.groups.merge((aid, data["full"], seq), found)
        canonical = self.groups.canonical(aid)
        return (canonical if canonical != aid else None), followed
