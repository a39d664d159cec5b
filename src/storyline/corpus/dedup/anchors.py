"""Candidate search for dedup by containment: an inverted index of sampled shingles.

MinHash LSH finds pairs by Jaccard similarity, so a 450-character teaser of a 3,000-character
article (Jaccard about 0.15) was rarely a candidate. Here every narrative shingle whose hash
is 0 mod ANCHOR_MOD is an *anchor* (the "0 mod p" sample of Schleimer et al., SIGMOD 2003):
two texts sharing k shingles share about k/ANCHOR_MOD anchors whatever their lengths, so a
short copy is found as surely as a long one. Hand-written: datasketch's LSH Ensemble answers
containment queries but is built once over a fixed set (no inserts, no removals), and this
index grows and slides with the stream.

Postings live in two sorted numpy arrays of `anchor << 32 | seq` keys, a small one taking
each insert and a large one it is merged into now and then (a linear merge: numpy's stable
sort is a timsort, and the two parts are sorted runs): tens of bytes per posting instead of a
Python object each. A query keeps only the MAX_POSTINGS latest articles per anchor, so an
anchor shared by a flood of copies (or a footer the cleaner missed) costs a bounded time.
"""

from __future__ import annotations

import numpy as np

ANCHOR_MOD = 4
MAX_POSTINGS = 32
_SMALL = 20_000  # keys in the small array before it is merged into the large one
_LOW = np.uint64(0xFFFFFFFF)
_EMPTY = np.zeros(0, dtype=np.uint64)


def anchors(shingles: np.ndarray) -> np.ndarray:
    """The sampled shingles of a sorted unique hash array."""
    return shingles[shingles % ANCHOR_MOD == 0]


class AnchorIndex:
    """anchor -> the articles (by sequence number) that have it, latest first."""

    def __init__(self) -> None:
        self._large = _EMPTY
        self._small = _EMPTY
        self.min_seq = 0  # articles before this one have retired

    def add(self, seq: int, keys: np.ndarray) -> None:
        new = (keys.astype(np.uint64) << np.uint64(32)) | np.uint64(seq)
        self._small = np.sort(np.concatenate([self._small, new]))
        if len(self._small) > _SMALL:
            merged = np.sort(np.concatenate([self._large, self._small]), kind="stable")
            self._large = merged[(merged & _LOW) >= self.min_seq]
            self._small = _EMPTY

    def retire_before(self, seq: int) -> None:
        self.min_seq = max(self.min_seq, seq)

    def __len__(self) -> int:
        return len(self._large) + len(self._small)

    def query(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Sequence numbers of the articles sharing anchors with `keys`, and how many each.

        Every article in the small array is newer than every one in the large array (merges
        move all of it), so an anchor's latest postings are the tail of its small range and
        then the tail of its large range: the same answer wherever the split falls.
        """
        if not len(keys):
            return _EMPTY, _EMPTY
        low = keys.astype(np.uint64) << np.uint64(32)
        high = low + (np.uint64(1) << np.uint64(32))
        room = np.full(len(keys), MAX_POSTINGS, dtype=np.int64)
        seqs = []
        for part in (self._small, self._large):
            # retired articles sort first within an anchor: start after them
            lo, hi = part.searchsorted(low | np.uint64(self.min_seq)), part.searchsorted(high)
            lo = np.maximum(lo, hi - room)  # the latest postings of each anchor
            n = hi - lo
            room -= n
            if n.sum():
                at = np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n)
                seqs.append(part[at + np.arange(n.sum())] & _LOW)
        if not seqs:
            return _EMPTY, _EMPTY
        found, counts = np.unique(np.concatenate(seqs), return_counts=True)
        return found, counts
