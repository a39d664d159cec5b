"""The narrative part of an article: its text without quotations and social-media embeds.

Two reports of one event often carry the same statement, tweet or press-release sentence
word for word, yet they are different texts; a wire copy shares the *narrative* around them.
So dedup compares narrative shingles and narrative sentences only.

Quoted spans are found per paragraph: „…“, “…”, "…", »…«, «…»; an opening mark with no
closing mark in its paragraph quotes the rest of it (the English convention for statements
of several paragraphs: each paragraph opens with a mark, only the last one closes). A
paragraph with a hashtag, an @handle or a Twitter link is an embedded post and is dropped.
Hand-written: quotation marks vary by language and the rule is a few lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from storyline.corpus.dedup.shingles import shingles_of, word_hash

# opening mark -> the marks that close it
_CLOSERS = {"„": "“”\"", "“": "”\"", "\"": "\"“”", "»": "«", "«": "»"}
_OPENING = re.compile("[„“\"»«]")
_WORD = re.compile(r"\w+")
_SOCIAL = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w+\)|(?:^|\s)[#@][^\W\d]\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"“”»«]?\s+(?=[\"„“»«]?[A-ZÄÖÜ0-9])")
MIN_SENTENCE_WORDS = 5  # shorter pieces (datelines, captions) say nothing about copying
MAX_SENTENCES = 80  # per article: the alignment is quadratic in the worst case


def quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of `paragraph` inside quotation marks (see module docstring)."""
    spans: list[tuple[int, int]] = []
    pos, n = 0, len(paragraph)
    while (m := _OPENING.search(paragraph, pos)) is not None:
        i, mark = m.start(), m.group()
        if mark == '"' and i and paragraph[i - 1].isalnum():  # 12" or a closing mark
            pos = i + 1
            continue
        found = [at for c in _CLOSERS[mark] if (at := paragraph.find(c, i + 1)) >= 0]
        j = min(found, default=n)
        spans.append((i, min(j + 1, n)))
        pos = j + 1
    return spans


def pieces(text: str) -> list[str]:
    """The narrative stretches of `text`: paragraphs minus their quotes, embeds dropped."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip() or _SOCIAL.search(paragraph):
            continue
        last = 0
        for start, end in quoted_spans(paragraph):
            out.append(paragraph[last:start])
            last = end
        out.append(paragraph[last:])
    return [p for p in out if p.strip()]


@dataclass(frozen=True)
class Narrative:
    """What dedup keeps of one text (see `analyse`)."""

    shingles: np.ndarray  # sorted unique shingle hashes of the whole text
    narrative: np.ndarray  # the same of its narrative; no shingle spans a removed quote
    words: np.ndarray  # 32-bit word hashes of the narrative sentences ...
    lengths: list[int]  # ... and the words of each sentence


def _cuts(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts and ends of the left-out spans (quotes, embedded posts), and every position
    where a narrative piece ends (a paragraph end or a left-out span)."""
    left_out: list[tuple[int, int]] = []
    ends: list[int] = []
    offset = 0
    for paragraph in text.split("\n"):
        if _SOCIAL.search(paragraph):
            left_out.append((offset, offset + len(paragraph)))
        else:
            left_out += [(offset + s, offset + e) for s, e in quoted_spans(paragraph)]
        offset += len(paragraph) + 1
        ends.append(offset - 1)
    starts = np.array([s for s, _ in left_out], dtype=np.int64)
    stops = np.array([e for _, e in left_out], dtype=np.int64)
    return starts, stops, np.unique(np.concatenate([starts, np.array(ends, dtype=np.int64)]))


def analyse(text: str, size: int) -> Narrative:
    """Shingles of the text and of its narrative, and its narrative sentences, from one pass
    over the words (hashing each word once: this runs for every article)."""
    found = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    if not found:
        empty = np.zeros(0, dtype=np.uint32)
        return Narrative(empty, empty, empty, [])
    at = np.array([p for p, _ in found], dtype=np.int64)
    words = np.array([word_hash(w) for _, w in found], dtype=np.uint64)
    whole = np.unique(shingles_of(words, min(size, len(words))))
    starts, stops, ends = _cuts(text)
    inside = np.searchsorted(starts, at, "right") - 1
    keep = ~((inside >= 0) & (at < stops[np.maximum(inside, 0)])) if len(starts) else \
        np.ones(len(at), dtype=bool)
    at, words = at[keep], words[keep]
    piece = np.searchsorted(ends, at, "right")
    hashes = shingles_of(words, size)
    same = piece[:len(hashes)] == piece[size - 1:size - 1 + len(hashes)]
    stops_at = np.array([m.end() for m in _SENTENCE_END.finditer(text)], dtype=np.int64)
    sentence = np.searchsorted(np.union1d(ends, stops_at), at, "right")
    _, first, counts = np.unique(sentence, return_index=True, return_counts=True)
    chosen = [(f, c) for f, c in zip(first.tolist(), counts.tolist(), strict=True)
              if c >= MIN_SENTENCE_WORDS][:MAX_SENTENCES]
    low = (words & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    kept = np.concatenate([low[f:f + c] for f, c in chosen]) if chosen else low[:0]
    return Narrative(whole, np.unique(hashes[same]), kept, [c for _, c in chosen])


def narrative_shingles(text: str, size: int) -> np.ndarray:
    """Sorted unique shingle hashes of the narrative; no shingle spans a removed quote."""
    return analyse(text, size).narrative


def sentences(text: str) -> tuple[np.ndarray, list[int]]:
    """Narrative sentences as one array of 32-bit word hashes and the length of each."""
    result = analyse(text, 5)
    return result.words, result.lengths


@dataclass(frozen=True)
class Sentences:
    """Narrative sentences prepared for matching: each sentence's distinct words, sorted by
    word across sentences, so one binary search finds every sentence a word occurs in."""

    words: np.ndarray  # uint32 word hashes ...
    sentence: np.ndarray  # ... and the sentence each one is in
    sizes: np.ndarray  # distinct words per sentence

    @classmethod
    def of(cls, words: np.ndarray, lengths: list[int]) -> Sentences:
        if not lengths or len(words) != sum(lengths):
            empty = np.zeros(0, dtype=np.int64)
            return cls(np.zeros(0, dtype=np.uint32), empty, empty)
        ids = np.repeat(np.arange(len(lengths), dtype=np.uint64), lengths)
        keys = np.unique((ids << np.uint64(32)) | words.astype(np.uint64))  # distinct per sentence
        word, sentence = keys & np.uint64(0xFFFFFFFF), (keys >> np.uint64(32)).astype(np.int64)
        order = np.argsort(word, kind="stable")
        return cls(word[order], sentence[order], np.bincount(sentence, minlength=len(lengths)))


def sentence_share(short: Sentences, long: Sentences, least_dice: float) -> tuple[float, int]:
    """Share of `short`'s words in sentences with a near twin in `long` (Dice of the word sets
    >= least_dice), and how many such sentences. A re-edit that changes a word in every
    sentence breaks most 5-word shingles but keeps each sentence's words."""
    total = int(short.sizes.sum())
    if not total or not len(long.sizes):
        return 0.0, 0
    lo = long.words.searchsorted(short.words, "left")
    hi = long.words.searchsorted(short.words, "right")
    n = hi - lo
    if not n.sum():
        return 0.0, 0
    at = np.repeat(lo - np.concatenate([[0], np.cumsum(n)[:-1]]), n) + np.arange(n.sum())
    pairs = np.repeat(short.sentence, n) * len(long.sizes) + long.sentence[at]
    found, shared = np.unique(pairs, return_counts=True)
    mine, theirs = found // len(long.sizes), found % len(long.sizes)
    best = np.zeros(len(short.sizes))
    np.maximum.at(best, mine, 2 * shared / (short.sizes[mine] + long.sizes[theirs]))
    matched = best >= least_dice
    return float(short.sizes[matched].sum()) / total, int(matched.sum())
