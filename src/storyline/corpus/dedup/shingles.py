"""Word shingles as 32-bit hashes: what dedup compares texts by.

Hand-written because hashing each n-gram string is the slow part: word hashes are cached
and combined per position with numpy. Words are folded (case, diacritics), not lemmatised:
copies share surface text.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np

_SHINGLE_WORD = re.compile(r"\w+")
_CACHE = 1 << 16  # distinct words remembered

# Odd 64-bit multipliers, one per shingle position, and the MurmurHash3 fmix64 constants.
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53,
                 0x94D049BB133111EB, 0xBF58476D1CE4E5B9], dtype=np.uint64)


def fold(text: str) -> str:
    """Casefold and drop diacritics: 'Erdoğan' and 'Erdogan' must be one key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=_CACHE)
def word_hash(token: str) -> int:
    """64 stable bits of a folded word (SHA-1 prefix: the same in every process and run)."""
    return int.from_bytes(hashlib.sha1(fold(token).encode("utf-8")).digest()[:8], "little")


def word_hashes(text: str) -> np.ndarray:
    """The 64-bit hash of every word of `text`, in order."""
    return np.fromiter((word_hash(w) for w in _SHINGLE_WORD.findall(text)), dtype=np.uint64)


def shingles_of(words: np.ndarray, size: int) -> np.ndarray:
    """Unsorted 32-bit hashes of the word `size`-grams of a word-hash sequence (none when it
    is shorter than `size`)."""
    n = len(words) - size + 1
    if n <= 0 or size < 1:
        return np.zeros(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        h = np.zeros(n, dtype=np.uint64)
        for k in range(size):
            h = (h ^ words[k:k + n]) * _MIX[k]  # order matters: "a b" and "b a" differ
        h ^= h >> np.uint64(33)
        h *= _MIX[4]
        h ^= h >> np.uint64(33)
    return (h >> np.uint64(32)).astype(np.uint32)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word `size`-grams of `text` (a text shorter than
    `size` words is one shingle)."""
    words = word_hashes(text)
    if not len(words):
        return np.zeros(0, dtype=np.uint32)
    return np.unique(shingles_of(words, max(1, min(size, len(words), len(_MIX)))))


def pack_hashes(hashes: np.ndarray) -> str:
    """JSON-friendly: base64 of the little-endian array (about 5.3 characters a hash)."""
    return base64.b64encode(hashes.astype("<u4").tobytes()).decode("ascii")


def unpack_hashes(packed: str | None) -> np.ndarray:
    return np.frombuffer(base64.b64decode(packed or ""), dtype="<u4").astype(np.uint32)
