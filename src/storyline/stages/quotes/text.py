"""Tokens with offsets and sentence boundaries for the quotes stage.

Hand-written because the stage must stay under a few milliseconds per article: a blank spaCy
pipeline alone costs about that much, and we only need word/punctuation tokens with character
offsets plus sentence ends that survive German ordinals ("am 28. Juli") and abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from storyline.stages.quotes.lex import words

_TOKEN = re.compile(r"\w+(?:(?:['’\-]|\.(?=[\da-zäöüß]))\w+)*|[^\w\s]")
_ABBREV = words()["abbreviations"]
_MONTHS = words()["months"]
OPENERS = "„»«“\"‚"
CLOSERS = "“”«»\"‘"
_END = frozenset(".!?…")


class Tok(NamedTuple):
    text: str
    start: int
    end: int
    low: str


def tokenize(text: str) -> list[Tok]:
    """Word and punctuation tokens. A dot stays inside a word only before a digit or a
    lowercase letter ("250.000", "ver.di", "ndr.de"), so "Dr." and "Ende.Der" split."""
    return [Tok(w, m.start(), m.end(), w.lower())
            for m in _TOKEN.finditer(text) for w in (m.group(),)]


def _is_boundary(toks: list[Tok], i: int, text: str) -> bool:
    """Does a sentence end after token i (a ., !, ? or a closing quote right after one)?"""
    t = toks[i]
    if t.text not in _END:
        if t.text in CLOSERS and i > 0 and toks[i - 1].text in _END:
            return _is_boundary(toks, i - 1, text) and i + 1 < len(toks) and \
                toks[i + 1].text not in ",;:" and not toks[i + 1].text[:1].islower()
        return False
    if i + 1 >= len(toks):
        return True
    nxt = toks[i + 1]
    if nxt.text in CLOSERS and nxt.start == t.end:
        return False  # the closing quote belongs to this sentence; decided on it
    if "\n" in text[t.end:nxt.start]:
        return True
    if t.text == "." and i > 0:
        prev = toks[i - 1]
        if prev.low in _ABBREV and prev.end == t.start:
            return False
        if prev.text.isdigit() and len(prev.text) <= 2 and (
            nxt.low in _MONTHS or nxt.text[:1].islower() or nxt.text.isdigit()
        ):
            return False
    return not nxt.text[:1].islower() and nxt.text not in ",;:)"


def content_end(toks: Sequence[Tok], a: int, b: int) -> int:
    """End of sentence [a, b) without its final punctuation."""
    while b > a and toks[b - 1].text in ".!?;:":
        b -= 1
    return b


def sentences(text: str, toks: list[Tok]) -> list[tuple[int, int]]:
    """Sentence spans as [first, last+1) token index pairs; a blank line always ends one."""
    out: list[tuple[int, int]] = []
    first = 0
    for i in range(len(toks)):
        if i > first and "\n\n" in text[toks[i - 1].end:toks[i].start]:
            out.append((first, i))
            first = i
        if _is_boundary(toks, i, text):
            out.append((first, i + 1))
            first = i + 1
    if first < len(toks):
        out.append((first, len(toks)))
    return [(a, b) for a, b in out if b > a]


class Found(NamedTuple):
    """A statement in token indices: message [m0, m1), cue token, source phrase [s0, s1)."""

    m0: int
    m1: int
    kind: str
    cue: int = -1
    s0: int = -1
    s1: int = -1
    carried: bool = False  # source copied from the statement before (continuation)
