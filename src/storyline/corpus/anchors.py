"""Candidate search for dedup by containment: an inverted index of sampled shingles.

MinHash LSH finds pairs by Jaccard similarity, so a 450-character teaser of a 3,000-character
article (Jaccard about 0.15) was rarely a candidate. Here every narrative shingle whose hash
is 0 mod ANCHOR_MOD is an *anchor* (the "0 mod p" sample of Schleimer et al., SIGMOD 2003):
two texts sharing k shingles share about k/ANCHOR_MOD anchors whatever their lengths, so a
short copy is found as surely as a long one.

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
        """Sequence numbers of the articles sharing anchors with `keys`, and how many each."""
        if not len(keys):
            return _EMPTY, _EMPTY
        which, seqs = [], []
        low = keys.astype(np.uint64) << np.uint64(32)
        for part in (self._large, self._small):
            lo = part.searchsorted(low)
            hi = part.searchsorted(low + (np.uint64(1) << np.uint64(32)))
            lo = np.maximum(lo, hi - MAX_POSTINGS)  # the latest postings of each anchor
            n = hi - lo
            if not n.sum():
                continue
            idx = np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(n.sum())
            which.append(np.repeat(np.arange(len(keys)), n))
            seqs.append(part[idx] & _LOW)
        if not seqs:
            return _EMPTY, _EMPTY
        anchor_of, seq = np.concatenate(which), np.concatenate(seqs)
        keep = seq >= self.min_seq
        anchor_of, seq = anchor_of[keep], seq[keep]
        order = np.lexsort((-seq.astype(np.int64), anchor_of))  # per anchor, latest first
        anchor_of, seq = anchor_of[order], seq[order]
        first = np.searchsorted(anchor_of, anchor_of)  # start of each anchor's run
        seq = seq[np.arange(len(seq)) - first < MAX_POSTINGS]
        found, counts = np.unique(seq, return_counts=True)
        return found, counts
