"""Duplicates, events and stories on the driver: `ingest`'s own indexes, fed the compact
per-article features in publication order (with `--dedup spark`, the duplicate candidates
come ranked and confirmed from `spark.dedup`, and only the group bookkeeping is done here).

One pass in `sort_key` order through `corpus.placing.place` and `repoint`, the functions
`corpus.assign.assign_pending` runs (the copy follows the earlier text it was found to copy;
groups whose fullest member changed re-point their earlier members at the end), so the
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
from storyline.corpus.dedup.groups import Groups
from storyline.corpus.dedup.index import walk
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import Deduper, place, repoint
from storyline.corpus.split import Protos
from storyline.settings import Settings

Assignment = tuple[str, str | None, str, str]  # id, duplicate_of, event_id, story_id


@dataclass
class GroupStats:
    articles: int = 0
    duplicates: int = 0
    unverified: int = 0  # articles whose dedup walk needed more than Spark confirmed
    seconds: dict[str, float] = field(default_factory=lambda: {"fetch": 0.0, "parse": 0.0,
                                                                "dedup": 0.0, "events": 0.0})
    protos: Protos = field(default_factory=Protos)  # the online events, for the split


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
    candidates were ranked and confirmed in Spark (`spark.dedup`), else `DedupIndex` here.
    Each article goes through `corpus.placing`, ingest's own step."""
    dedup: Deduper = _Walk() if checked else DedupIndex(settings)
    events = StoryIndex(settings)
    placed: list[tuple[str, str | None, str, str]] = []
    clock = time.perf_counter
    for aid, raw, check in _timed(rows, stats):
        started = clock()
        feats = json.loads(raw or "{}")
        stats.seconds["parse"] += clock() - started
        placed.append((aid, *place(dedup, events, aid, check if checked else feats, feats,
                                   stats.seconds)))
        stats.protos.note(events.roster, events.follows, aid, placed[-1][2])
    dups, _ = repoint([(a, d) for a, d, _, _ in placed], dedup.groups)
    renamed = events.renamed  # stories the re-link joined to another (corpus/relink.py)
    out = [(a, dup, e, renamed.get(s, s)) for dup, (a, _, e, s) in zip(dups, placed, strict=True)]
    stats.articles = len(out)
    stats.duplicates = sum(1 for a in out if a[1])
    stats.unverified = dedup.unverified if isinstance(dedup, _Walk) else 0
    return out


class _Walk:
    """`DedupIndex.add` over candidates Spark ranked and confirmed: the same `walk` (skip a
    candidate whose group was joined, stop after MAX_CHECKS checks), the same groups."""

    def __init__(self) -> None:
        self.groups = Groups()
        self.seq = 0
        self.unverified = 0
        self.followed: str | None = None

    def add(self, aid: str, check: str | None) -> str | None:
        """The canonical if another article (`followed`: the earlier canonical this one
        follows), as `DedupIndex.add` answers."""
        seq, self.seq = self.seq, self.seq + 1
        self.followed = None
        if not check:
            return None
        data = json.loads(check)
        found, _, exhausted = walk(data["ranked"], lambda c: self.groups.canonical(c[0]),
                                   lambda c: bool(c[3]))
        if exhausted and data.get("more"):
            self.unverified += 1  # the walk would go on past what Spark confirmed
        copies = [(other, full, other_seq) for other, full, other_seq, _ in found]
        self.followed = self.groups.merge((aid, data["full"], seq), copies)
        canonical = self.groups.canonical(aid)
        return canonical if canonical != aid else None
