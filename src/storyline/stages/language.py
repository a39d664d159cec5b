"""Language identification with py3langid, restricted to the configured language set.

py3langid walks its byte n-gram automaton one byte at a time in Python (~0.8 ms for our 1200
characters). `_Identifier` walks it with numpy instead and feeds the same feature counts, in
the same order, to py3langid's own scoring, so language and score are exactly py3langid's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from storyline.model import Article
from storyline.settings import Settings, default

SETS = ("lang", "lang_score")


# The automaton is Aho-Corasick over byte n-grams: its state after a byte is the longest
# suffix read so far that begins some n-gram, so it depends on the last DEPTH bytes only
# (DEPTH = the longest n-gram's length; tests check it against the model's deepest state).
DEPTH = 6


class _Identifier(LanguageIdentifier):
    """py3langid's identifier with the automaton walk done for all positions at once: the
    state at byte i is the state reached from the start state by bytes i-DEPTH+1 .. i."""

    __slots__ = ("_walk",)
    _walk: tuple[np.ndarray, np.ndarray, np.ndarray]

    def walk(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        try:
            return self._walk
        except AttributeError:
            self._walk = (np.frombuffer(self.tk_nextmove, dtype=np.uint32),  # no copy
                          np.asarray(self._rowbase, dtype=np.intp),
                          np.asarray(self.tk_output, dtype=np.intp))
            return self._walk

    def visits(self, data: bytes) -> dict[int, int]:
        """Feature -> count, in order of first occurrence (as py3langid's Counter)."""
        nextmove, rowbase, output = self.walk()
        text = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
        n = len(text) - DEPTH + 1
        states: np.ndarray = np.zeros(n, dtype=np.intp)
        for k in range(DEPTH):
            states = nextmove[rowbase[states] + text[k:k + n]]
        head, state = [], 0
        for byte in data[:DEPTH - 1]:  # the first bytes, from the true start
            state = int(nextmove[rowbase[state] + byte])
            head.append(state)
        found = output[np.concatenate([np.array(head, dtype=np.intp), states])]
        found = found[found >= 0]
        keys, first, counts = np.unique(found, return_index=True, return_counts=True)
        order = np.argsort(first)
        return dict(zip(keys[order].tolist(), counts[order].tolist(), strict=True))

    def _raw_score(self, text: bytes) -> Any:
        if len(text) < DEPTH:
            return super()._raw_score(text)
        visits = self.visits(text)
        if not visits:
            return super()._raw_score(text)  # py3langid's score for text without features
        return self._sparse_score(visits, self.nb_ptc)


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    ident = _Identifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def _has_letters(text: str, n: int) -> bool:
    """At least `n` letters; stops at the n-th instead of counting the whole sample."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def detect(text: str, languages: tuple[str, ...]) -> tuple[str, float]:
    """('und', 0.0) for text too short to judge; otherwise the best allowed language."""
    sample = text[:1200]  # enough for a confident guess; cost grows with length
    if not _has_letters(sample, 20):
        return "und", 0.0
    lang, prob = _identifier(languages).classify(sample)
    return str(lang), float(prob)


def run(article: Article, settings: Settings | None = None) -> Article:
    settings = settings or default()
    languages = tuple(settings.get("language.allowed"))
    article.lang, article.lang_score = detect(article.text or article.raw_text, languages)
    return article
