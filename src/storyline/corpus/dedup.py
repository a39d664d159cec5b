"""Duplicate groups: copies of one text (wire copies, mirrors, truncated or re-framed copies).

MinHash LSH (datasketch) finds candidates among recent articles; a candidate is confirmed
when the share of the *shorter* text's 5-word shingles found in the other text reaches
`min_containment` (the corpus definition of a wire copy: about 30%). Containment rather than
Jaccard, because a truncated copy or one wrapped in a lot of other text has a low Jaccard
score with its source but is still a copy; so the LSH threshold is low (recall first) and the
share is counted exactly on the stored shingle hashes, not estimated from the signatures
(an estimate from Jaccard is noisy when the sizes differ a lot). A rewrite that only shares a
quoted sentence or two stays well below it.

Two pieces of one outlet are held to more: outlets repeat their own background paragraphs in
follow-up pieces, which can fill half of a short text. A copy or light edit keeps the lead in
some form, a follow-up writes a new one, so a same-outlet pair is a copy only if the first
paragraph of one of them is found in the other (at `min_containment`, as above).

Articles arrive in (date, -length, id) order, so the first one added of a group is the
canonical one; later copies point to it (never to another copy).
"""

from __future__ import annotations

import heapq
import json
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from storyline.corpus.features import SCHEME, pack_hashes, permutations, unpack_hashes
from storyline.settings import Settings

DEFAULTS: dict[str, Any] = {
    "num_perm": 128, "threshold": 0.05, "min_containment": 0.3, "max_entries": 50_000,
}
MAX_CHECKS = 200  # candidates confirmed per article, most recent first: bounds a flood of
# look-alikes (a shared footer the cleaner missed) to a flat cost


@dataclass
class _Entry:
    seq: int
    article_id: str
    canonical: str
    size: int  # number of shingles
    sig: np.ndarray
    hashes: np.ndarray  # sorted unique shingle hashes (empty for old feature records)
    outlet: str = ""
    lead: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))


def _config(settings: Settings) -> dict[str, Any]:
    return {**DEFAULTS, **settings.section("dedup")}


def overlap(a: np.ndarray, b: np.ndarray) -> int:
    """How many hashes of sorted unique `a` are in sorted unique `b`.

    A binary search of the smaller array in the larger one: a third of the time of
    `np.intersect1d`, which concatenates and re-sorts both (this runs ~60 times per article).
    """
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if not len(small):
        return 0
    at = large.searchsorted(small)
    return int(np.count_nonzero(large.take(at, mode="clip") == small))


def exact_containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller sorted unique hash array found in the other."""
    small = min(len(a), len(b))
    if small == 0:
        return 0.0
    return overlap(a, b) / small


def new_lead(a_lead: np.ndarray, a: np.ndarray, b_lead: np.ndarray, b: np.ndarray,
             least: float) -> bool:
    """Neither text's first paragraph is found in the other: a follow-up, not a copy."""
    if not len(a_lead) or not len(b_lead):
        return False  # records without leads: no evidence either way
    found = max(overlap(a_lead, b) / len(a_lead), overlap(b_lead, a) / len(b_lead))
    return found < least


def containment(j: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger, estimated from Jaccard and the two sizes
    (records without shingle hashes only)."""
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
        self.max_entries = int(cfg["max_entries"])
        self._lsh = MinHashLSH(threshold=float(cfg["threshold"]), num_perm=self.num_perm)
        self._entries: dict[str, _Entry] = {}
        self._order: deque[str] = deque()  # insertion order: the oldest leave first
        self._seq = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _minhash(self, sig: list[int] | np.ndarray) -> MinHash:
        # the shared permutations: drawing 128 of them per sketch was 6% of grouping time
        return MinHash(num_perm=self.num_perm, hashvalues=np.asarray(sig, dtype=np.uint64),
                       permutations=permutations(self.num_perm), scheme=SCHEME)

    def check(self, feats: dict[str, Any]) -> tuple[str | None, float]:
        """The canonical id this record copies (or None) and the containment that decided."""
        sig, size = feats.get("minhash") or [], int(feats.get("shingles") or 0)
        if len(sig) != self.num_perm or size <= 0:
            return None, 0.0
        query = self._minhash(sig)
        hashes = unpack_hashes(feats.get("shingle_hashes"))
        outlet, lead = str(feats.get("outlet") or ""), unpack_hashes(feats.get("lead_shingles"))
        found = heapq.nlargest(MAX_CHECKS, (self._entries[k] for k in self._lsh.query(query)),
                               key=lambda e: e.seq)  # the most recent candidates, bounded
        best: tuple[float, int, str] | None = None
        for entry in found:
            if len(hashes) and len(entry.hashes):
                score = exact_containment(hashes, entry.hashes)
            else:
                score = containment(query.jaccard(self._minhash(entry.sig)), size, entry.size)
            if score < self.min_containment or (
                    outlet and outlet == entry.outlet
                    and new_lead(lead, hashes, entry.lead, entry.hashes, self.min_containment)):
                continue
            if best is None or (score, -entry.seq) > best[:2]:
                best = (score, -entry.seq, entry.canonical)
        return (best[2], best[0]) if best else (None, 0.0)

    def add(self, article_id: str, feats: dict[str, Any]) -> str | None:
        """Index one article; return the canonical id it duplicates, None if it is new."""
        if article_id in self._entries:  # re-adding is a no-op, not a self-duplicate
            entry = self._entries[article_id]
            return None if entry.canonical == article_id else entry.canonical
        canonical, _ = self.check(feats)
        sig, size = feats.get("minhash") or [], int(feats.get("shingles") or 0)
        if len(sig) == self.num_perm and size > 0:
            packed = np.asarray(sig, dtype=np.uint32)  # affine32 values fit: half the memory
            self._insert(_Entry(self._seq, article_id, canonical or article_id, size, packed,
                                unpack_hashes(feats.get("shingle_hashes")),
                                str(feats.get("outlet") or ""),
                                unpack_hashes(feats.get("lead_shingles"))))
        self._seq += 1
        return canonical

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.article_id] = entry
        self._lsh.insert(entry.article_id, self._minhash(entry.sig))
        self._order.append(entry.article_id)
        while len(self._entries) > self.max_entries:  # a sliding window over the input
            key = self._order.popleft()
            self._lsh.remove(key)
            del self._entries[key]

    def to_state(self) -> bytes:
        entries = sorted(self._entries.values(), key=lambda e: e.seq)
        data = {"seq": self._seq, "entries": [
            [e.seq, e.article_id, e.canonical, e.size, e.sig.tolist(), pack_hashes(e.hashes),
             e.outlet, pack_hashes(e.lead)]
            for e in entries]}
        # level 1: the default level took 1.7x the time for 5% less (base64 of random
        # hashes hardly compresses)
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> DedupIndex:
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        index = cls(settings)
        for seq, aid, canonical, size, sig, *rest in raw["entries"]:
            packed = rest[0] if rest else None  # older states lack the tail
            outlet, lead = (rest[1], rest[2]) if len(rest) > 2 else ("", None)
            index._insert(_Entry(seq, aid, canonical, size, np.asarray(sig, dtype=np.uint32),
                                 unpack_hashes(packed), outlet or "", unpack_hashes(lead)))
        index._seq = raw["seq"]
        return index
