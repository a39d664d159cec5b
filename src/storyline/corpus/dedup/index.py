"""Duplicate groups: copies of one text (wire copies, mirrors, teasers, cut or re-framed
copies, light re-edits), found online over a sliding window of recent articles.

Candidates come from an inverted index of sampled narrative shingles (`anchors`), which finds
a short copy inside a long text as well as two equal texts: containment, not Jaccard. Each
candidate is confirmed by `confirm.confirm` (narrative containment, or sentence-by-sentence
matching for re-edits; the same function any other runner of the pipeline calls). The new
article joins the groups of all confirmed candidates (`groups`: transitive groups, the
fullest member canonical). Candidates are ranked by shared anchors, latest first, and at most
MAX_CHECKS are confirmed, skipping those already in a joined group: a story of hundreds of
near-identical copies costs a bounded time per article.
"""

from __future__ import annotations

import json
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from storyline.corpus.dedup.anchors import AnchorIndex, anchors
from storyline.corpus.dedup.confirm import QUOTED, DupRecord, Rules, confirm
from storyline.corpus.dedup.groups import Groups
from storyline.corpus.dedup.shingles import pack_hashes, unpack_hashes
from storyline.settings import Settings

MAX_CHECKS = 12  # candidate pairs confirmed per article, best first
C = TypeVar("C")


class StaleState(ValueError):
    """A saved state this version cannot continue from; the caller replays the corpus."""


def keys(record: DupRecord) -> np.ndarray:
    """The anchors a record is indexed and looked up by: of its narrative, or of the whole text
    when that is mostly quotation (as `confirm` then judges the whole)."""
    mostly_quotes = len(record.narrative) < QUOTED * record.size
    return anchors(record.hashes if mostly_quotes else record.narrative)


def fullness(record: DupRecord) -> int:
    """How much of the story a copy tells: its narrative shingles (site chrome of short lines
    and a longer quote do not make a copy fuller)."""
    return len(record.narrative)


def ranked(seqs: np.ndarray, counts: np.ndarray, query: int,
           anchors_of: Callable[[int], int | None], rules: Rules) -> Iterator[int]:
    """The candidates an anchor query found (`AnchorIndex.query`: seqs, shared anchors) in
    the order they are confirmed: most shared first, then latest; those sharing under half
    the least containment any rule accepts are left out (shared anchors estimate shared
    shingles: a quarter of them). `query`: the asking article's anchor count; `anchors_of`:
    an indexed article's (None: out of the window). Every runner of dedup (DedupIndex, the
    Spark backfill's blocks) ranks with this."""
    order = np.lexsort((-seqs.astype(np.int64), -counts))
    least = 0.5 * min(rules.sentence_floor, rules.min_narrative)
    for seq, count in zip(seqs[order].tolist(), counts[order].tolist(), strict=True):
        known = anchors_of(seq)
        if known is not None and count >= least * min(query, known):
            yield seq


def walk(candidates: Iterable[C], group_of: Callable[[C], str],
         is_copy: Callable[[C], bool]) -> tuple[list[C], int, bool]:
    """Confirm ranked candidates until MAX_CHECKS checks, skipping those of a group already
    joined (so a story of hundreds of copies costs a bounded time): (the confirmed copies,
    one per group; the checks made; whether the candidates ran out before the limit).
    `DedupIndex` confirms as it goes; the Spark backfill walks verdicts made in advance."""
    found: list[C] = []
    seen: set[str] = set()
    checks = 0
    for candidate in candidates:
        group = group_of(candidate)
        if group in seen:
            continue
        if checks >= MAX_CHECKS:
            return found, checks, False
        checks += 1
        if is_copy(candidate):
            found.append(candidate)
            seen.add(group)
    return found, checks, True


@dataclass
class _Entry:
    seq: int
    article_id: str
    record: DupRecord
    anchors: int = 0  # how many keys it is indexed by


class DedupIndex:
    """Online duplicate finder over a sliding window of recent articles."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rules = Rules.of(settings)
        self.max_entries = int(settings.section("dedup").get("max_entries", 10_000))
        self._anchors = AnchorIndex()
        self._entries: dict[int, _Entry] = {}
        self._seq_of: dict[str, int] = {}
        self._order: deque[int] = deque()
        self._seq = 0
        self.groups = Groups()
        self.followed: str | None = None  # the earlier copy the last added article follows
        self.checks = 0  # pairs the last added article was confirmed against

    def __len__(self) -> int:
        return len(self._entries)

    def candidates(self, query: np.ndarray) -> Iterator[_Entry]:
        """Indexed articles sharing enough anchors with `query` to pass any rule (`ranked`)."""
        seqs, counts = self._anchors.query(query)
        entries = self._entries

        def anchors_of(seq: int) -> int | None:
            entry = entries.get(seq)
            return entry.anchors if entry is not None else None

        for seq in ranked(seqs, counts, len(query), anchors_of, self.rules):
            yield entries[seq]

    def check(self, record: DupRecord) -> list[_Entry]:
        """The indexed articles `record` is confirmed a copy of, one per group at most."""
        found, self.checks, _ = walk(
            self.candidates(keys(record)),
            lambda entry: self.groups.canonical(entry.article_id),
            lambda entry: confirm(record, entry.record, self.rules).duplicate)
        return found

    def add(self, article_id: str, feats: dict[str, Any]) -> str | None:
        """Index one article; return the canonical id of its group if that is another article.

        `followed` is then the canonical the article found (an earlier article: the events
        stage puts a copy where that one is); `groups.take_changes()` lists every article
        whose canonical changed.
        """
        self.followed = None
        if article_id in self._seq_of:  # re-adding is a no-op, not a self-duplicate
            canonical = self.groups.canonical(article_id)
            self.followed = canonical if canonical != article_id else None
            return self.followed
        record = DupRecord.of(feats)
        seq, self._seq = self._seq, self._seq + 1
        if record is None:
            return None
        found = self.check(record)
        self.followed = self.groups.merge(
            (article_id, fullness(record), seq),
            [(e.article_id, fullness(e.record), e.seq) for e in found])
        self._insert(_Entry(seq, article_id, record))
        canonical = self.groups.canonical(article_id)
        return canonical if canonical != article_id else None

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.seq] = entry
        self._seq_of[entry.article_id] = entry.seq
        found = keys(entry.record)
        entry.anchors = len(found)
        self._anchors.add(entry.seq, found)
        self._order.append(entry.seq)
        while len(self._entries) > self.max_entries:  # a sliding window over the input
            old = self._entries.pop(self._order.popleft())
            del self._seq_of[old.article_id]
            self._anchors.retire_before(old.seq + 1)

    def to_state(self) -> bytes:
        entries = [[e.seq, e.article_id, e.record.size, pack_hashes(e.record.hashes),
                    pack_hashes(e.record.narrative),
                    pack_hashes(e.record.words), e.record.lengths, e.record.outlet,
                    pack_hashes(e.record.lead)]
                   for e in sorted(self._entries.values(), key=lambda e: e.seq)]
        data = {"v": 2, "seq": self._seq, "entries": entries, "groups": self.groups.to_state()}
        # level 1: the default level took 1.7x the time for 5% less (hashes hardly compress)
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> DedupIndex:
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        index = cls(settings)
        if raw.get("v") != 2:
            raise StaleState("a dedup state from before transitive groups: replay")
        for seq, aid, size, hashes, narr, words, lengths, outlet, lead in raw["entries"]:
            record = DupRecord(int(size), unpack_hashes(hashes), unpack_hashes(narr),
                               unpack_hashes(words),
                               [int(n) for n in lengths], outlet, unpack_hashes(lead))
            index._insert(_Entry(int(seq), aid, record))
        if index._order:
            index._anchors.retire_before(index._order[0])
        index.groups = Groups.from_state(raw["groups"])
        index._seq = int(raw["seq"])
        return index
