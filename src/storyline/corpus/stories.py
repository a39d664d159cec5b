"""Vector space and time arithmetic shared by events and stories.

Both levels are clusters of articles compared the same way: TF-IDF cosine over lemmas (plus
entity keys and normalised numbers, which are the same in every language), damped by the
time distance. Only thresholds and windows differ, so one `Cluster` type serves both.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.corpus.features import day_range

ENTITY_PREFIX = "@"
MAX_CLUSTER_TERMS = 400  # centroid size cap: keeps compare cost and memory flat
INDEX_TERMS = 25  # terms under which a cluster is found in the inverted index


class DocFreq:
    """Document frequencies, updated online in input order (so replays agree)."""

    def __init__(self, max_terms: int = 500_000) -> None:
        self.df: Counter[str] = Counter()
        self.n = 0
        self.max_terms = max_terms

    def add(self, terms: dict[str, float]) -> None:
        self.n += 1
        self.df.update(terms.keys())
        if len(self.df) > self.max_terms:  # forget hapaxes: they carry no similarity
            self.df = Counter({t: c for t, c in self.df.items() if c > 1})

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0


def article_terms(feats: dict[str, Any], entity_weight: float,
                  lead_boost: float) -> dict[str, float]:
    """Raw term mass of one article: lemma counts, lead terms boosted, entity keys added."""
    lead = set(feats.get("lead") or ())
    out: dict[str, float] = {}
    for term, count in (feats.get("terms") or {}).items():
        out[term] = float(count) * (1.0 + lead_boost if term in lead else 1.0)
    for key, count in (feats.get("entities") or {}).items():
        out[ENTITY_PREFIX + key] = float(count) * entity_weight
    return out


def weigh(terms: dict[str, float], df: DocFreq) -> dict[str, float]:
    return {t: (1.0 + math.log(c)) * df.idf(t) for t, c in terms.items() if c >= 1.0}


def norm(weights: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in weights.values())) or 1.0


@dataclass
class Span:
    """What is known about when: exact days [lo, hi] and/or an upper bound (a crawl month)."""

    lo: int | None = None
    hi: int | None = None
    bound: int | None = None

    @classmethod
    def of(cls, feats: dict[str, Any]) -> Span:
        rng = day_range(feats.get("date"))
        if rng is None:
            return cls()
        if feats.get("date_kind") == "published":
            return cls(rng[0], rng[1], None)
        return cls(None, None, rng[1])

    def merge(self, other: Span) -> None:
        if other.lo is not None and other.hi is not None:
            self.lo = other.lo if self.lo is None else min(self.lo, other.lo)
            self.hi = other.hi if self.hi is None else max(self.hi, other.hi)
        if other.bound is not None:
            self.bound = other.bound if self.bound is None else min(self.bound, other.bound)

    def gap(self, other: Span) -> int:
        """Days between the two, 0 if they may overlap; upper bounds rule out later starts."""
        gaps = [0]
        if None not in (self.lo, self.hi, other.lo, other.hi):
            gaps += [other.lo - self.hi, self.lo - other.hi]  # type: ignore[operator]
        if self.bound is not None and other.lo is not None:
            gaps.append(other.lo - self.bound)
        if other.bound is not None and self.lo is not None:
            gaps.append(self.lo - other.bound)
        return max(gaps)


def time_factor(gap: int, window: int) -> float:
    """1 within the window, then decaying: a week-old event is still the same event."""
    if gap <= window:
        return 1.0
    return math.exp(-(gap - window) / max(window, 1))


@dataclass
class Cluster:
    """An event or a story: summed term mass of its members, a cached norm, its time span."""

    id: str
    seq: int  # input position of the last article added (recency for the size cap)
    size: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    norm: float = 1.0
    span: Span = field(default_factory=Span)
    langs: dict[str, int] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)  # terms it is indexed under
    parent: str = ""  # an event's story id

    def absorb(self, terms: dict[str, float], span: Span, lang: str, seq: int) -> None:
        merged = Counter(self.terms)
        merged.update(terms)
        if len(merged) > MAX_CLUSTER_TERMS:
            merged = Counter(dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
                                  [:MAX_CLUSTER_TERMS]))
        self.terms = dict(merged)
        self.span.merge(span)
        self.langs[lang] = self.langs.get(lang, 0) + 1
        self.size += 1
        self.seq = seq

    def refresh(self, df: DocFreq) -> list[str]:
        """Recompute the cached norm and index keys; return the new keys."""
        weights = weigh(self.terms, df)
        self.norm = norm(weights)
        self.keys = [t for t, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
                     [:INDEX_TERMS]]
        return self.keys

    def cosine(self, weights: dict[str, float], wnorm: float, df: DocFreq) -> float:
        dot = sum(w * (1.0 + math.log(self.terms[t])) * df.idf(t)
                  for t, w in weights.items() if self.terms.get(t, 0.0) >= 1.0)
        return min(1.0, dot / (wnorm * self.norm))

    def to_json(self) -> list[Any]:
        s = self.span
        return [self.id, self.seq, self.size, self.terms, self.norm, [s.lo, s.hi, s.bound],
                self.langs, self.keys, self.parent]

    @classmethod
    def from_json(cls, raw: list[Any]) -> Cluster:
        cid, seq, size, terms, nrm, span, langs, keys, parent = raw
        return cls(cid, seq, size, terms, nrm, Span(*span), langs, keys, parent)
