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

from storyline.corpus.shingles import shingles_of, word_hashes

# opening mark -> the marks that close it
_CLOSERS = {"„": "“”\"", "“": "”\"", "\"": "\"“”", "»": "«", "«": "»"}
_SOCIAL = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w+\)|(?:^|\s)[#@][^\W\d]\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"“”»«]?\s+(?=[\"„“»«]?[A-ZÄÖÜ0-9])")
MIN_SENTENCE_WORDS = 5  # shorter pieces (datelines, captions) say nothing about copying
MAX_SENTENCES = 80  # per article: the alignment is quadratic in the worst case


def quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """Character spans of `paragraph` inside quotation marks (see module docstring)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(paragraph)
    while i < n:
        ch = paragraph[i]
        if ch in _CLOSERS and not (ch == '"' and i and paragraph[i - 1].isalnum()):
            j = i + 1
            while j < n and paragraph[j] not in _CLOSERS[ch]:
                j += 1
            spans.append((i, min(j + 1, n)))
            i = j + 1
        else:
            i += 1
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


def narrative_shingles(text: str, size: int) -> np.ndarray:
    """Sorted unique shingle hashes of the narrative; no shingle spans a removed quote."""
    parts = [shingles_of(word_hashes(p), size) for p in pieces(text)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros(0, dtype=np.uint32)
    return np.unique(np.concatenate(parts))


def sentences(text: str) -> tuple[np.ndarray, list[int]]:
    """Narrative sentences as one array of 32-bit word hashes and the length of each."""
    words: list[np.ndarray] = []
    lengths: list[int] = []
    for piece in pieces(text):
        for sentence in _SENTENCE_END.split(piece):
            hashes = word_hashes(sentence)
            if len(hashes) >= MIN_SENTENCE_WORDS:
                words.append((hashes & np.uint64(0xFFFFFFFF)).astype(np.uint32))
                lengths.append(len(hashes))
            if len(lengths) >= MAX_SENTENCES:
                break
        if len(lengths) >= MAX_SENTENCES:
            break
    if not words:
        return np.zeros(0, dtype=np.uint32), []
    return np.concatenate(words), lengths


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
