"""Duplicate groups: copies of one text (wire copies, mirrors, truncated or re-framed copies).

MinHash LSH (datasketch) finds candidates among recent articles; a candidate is confirmed
when the estimated share of the *shorter* text's shingles found in the other text reaches
`min_containment`. Containment rather than Jaccard, because a truncated copy or one wrapped
in a lot of other text has a low Jaccard score with its source but is still a copy. A rewrite
that only shares a quoted sentence or two stays well below it.

Articles arrive in (date, -length, id) order, so the first one added of a group is the
canonical one; later copies point to it (never to another copy).
"""

from __future__ import annotations

import json
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.corpus.features import SCHEME, day_range
from storyline.settings import Settings

DEFAULTS: dict[str, Any] = {
    "num_perm": 128, "threshold": 0.2, "min_containment": 0.5,
    "window_days": 60, "max_entries": 200_000,
}


@dataclass
class _Entry:
    seq: int
    article_id: str
    canonical: str
    day: int | None  # last possible publication day, or None when unknown
    size: int  # number of shingles
    sig: list[int]


def _config(settings: Settings) -> dict[str, Any]:
    return {**DEFAULTS, **settings.section("dedup")}


def containment(j: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger, from Jaccard and the two sizes."""
    small = min(size_a, size_b)
    if small <= 0:
        return 0.0
    inter = j * (size_a + size_b) / (1.0 + j)
    return min(1.0, inter / small)


class DedupIndex:
    """Online duplicate finder over a sliding window of recent articles."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        cfg = _config(settings)
        self.num_perm = int(cfg["num_perm"])
        self.min_containment = float(cfg["min_containment"])
        self.window = int(cfg["window_days"])
        self.max_entries = int(cfg["max_entries"])
        self._lsh = MinHashLSH(threshold=float(cfg["threshold"]), num_perm=self.num_perm)
        self._entries: dict[str, _Entry] = {}
        self._dated: deque[str] = deque()  # input is date-sorted, so this is too
        self._undated: deque[str] = deque()
        self._seq = 0
        self._clock: int | None = None  # latest publication day seen

    def __len__(self) -> int:
        return len(self._entries)

    def _minhash(self, sig: list[int]) -> MinHash:
        return MinHash(num_perm=self.num_perm, hashvalues=np.array(sig, dtype=np.uint64),
                       scheme=SCHEME)

    def check(self, feats: dict[str, Any]) -> tuple[str | None, float]:
        """The canonical id this record copies (or None) and the containment that decided."""
        sig, size = feats.get("minhash") or [], int(feats.get("shingles") or 0)
        if len(sig) != self.num_perm or size <= 0:
            return None, 0.0
        query = self._minhash(sig)
        best: tuple[float, int, str] | None = None
        for key in self._lsh.query(query):
            entry = self._entries[key]
            score = containment(query.jaccard(self._minhash(entry.sig)), size, entry.size)
            if score >= self.min_containment and (best is None or (score, -entry.seq) > best[:2]):
                best = (score, -entry.seq, entry.canonical)
        return (best[2], best[0]) if best else (None, 0.0)

    def add(self, article_id: str, feats: dict[str, Any]) -> str | None:
        """Index one article; return the canonical id it duplicates, None if it is new."""
        if article_id in self._entries:  # re-adding is a no-op, not a self-duplicate
            entry = self._entries[article_id]
            return None if entry.canonical == article_id else entry.canonical
        canonical, _ = self.check(feats)
        sig, size = feats.get("minhash") or [], int(feats.get("shingles") or 0)
        rng = day_range(feats.get("date"))
        day = rng[1] if rng else None
        if len(sig) == self.num_perm and size > 0:
            self._insert(_Entry(self._seq, article_id, canonical or article_id, day, size, sig))
        self._seq += 1
        return canonical

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.article_id] = entry
        self._lsh.insert(entry.article_id, self._minhash(entry.sig))
        if entry.day is None:
            self._undated.append(entry.article_id)
        else:
            self._dated.append(entry.article_id)
            self._clock = max(self._clock or entry.day, entry.day)
        self._evict()

    def _evict(self) -> None:
        """Drop entries older than the window, then the oldest while over the size cap."""
        while self._dated and self._clock is not None:
            head = self._entries[self._dated[0]]
            if head.day is None or head.day >= self._clock - self.window:
                break
            self._drop(self._dated.popleft())
        while len(self._entries) > self.max_entries:
            fronts = [q for q in (self._dated, self._undated) if q]
            oldest = min(fronts, key=lambda q: self._entries[q[0]].seq)
            self._drop(oldest.popleft())

    def _drop(self, key: str) -> None:
        self._lsh.remove(key)
        del self._entries[key]

    def to_state(self) -> bytes:
        entries = sorted(self._entries.values(), key=lambda e: e.seq)
        data = {
            "seq": self._seq, "clock": self._clock,
            "entries": [[e.seq, e.article_id, e.canonical, e.day, e.size, e.sig] for e in entries],
        }
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"))

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> DedupIndex:
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        index = cls(settings)
        for seq, aid, canonical, day, size, sig in raw["entries"]:
            index._insert(_Entry(seq, aid, canonical, day, size, sig))
        index._seq, index._clock = raw["seq"], raw["clock"]
        return index
