"""Events and stories as clusters, and the time arithmetic between them.

Both levels are clusters of articles compared the same way: TF-IDF cosine over lemmas, entity
keys and normalised numbers (corpus/vectors.py), damped by the time distance. Only thresholds
and windows differ, so one `Cluster` type serves both; a cluster keeps one centroid per
language.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from storyline.corpus.features import day_range
from storyline.corpus.vectors import DocFreq, Query, centroid, norm, shared_cosine, top_items
from storyline.corpus.when import expected_days

MAX_CLUSTER_TERMS = 250  # per language: keeps compare cost and memory per cluster flat
INDEX_TERMS = 25  # terms under which a cluster is found in the inverted index


def decay(gap: float, window: int) -> float:
    """1 within the window, then falling off: an event is days, a story weeks to months."""
    return 1.0 if gap <= window else math.exp(-(gap - window) / max(window, 1))


@dataclass
class Span:
    """When: the span of exact publication days, and of all days including crawl months.

    `ub` is the earliest *upper bound* among the members: a page crawled in May 2017 was
    published by then, so an event reported on it began by the end of that month.
    """

    lo: int | None = None
    hi: int | None = None
    any_lo: int | None = None
    any_hi: int | None = None
    ub: int | None = None
    # per weekday, the members without an exact date that name it as their news day
    tally: list[int] = field(default_factory=lambda: [0] * 7)
    # the latest past day a member mentions (corpus/mentioned.py): the news is not earlier
    seen: int | None = None

    @classmethod
    def of(cls, feats: dict[str, Any]) -> Span:
        rng = day_range(feats.get("date"))
        tally = [0] * 7
        day = feats.get("weekday")
        if isinstance(day, int) and 0 <= day < 7:
            tally[day] = 1
        # a year-less date (no own date to resolve it against) is left to the split and move,
        # which compare pairs: resolved against an event's days here it moved more reports
        # into the wrong development than out of it (dev-bi, dev-3 jsonl)
        seen = (feats.get("mentioned") or {}).get("lo")
        if rng is None:
            return cls(tally=tally, seen=seen)
        if feats.get("date_kind") == "published" and rng[0] == rng[1]:
            return cls(rng[0], rng[1], rng[0], rng[1], rng[1], seen=seen)  # the date says more
        # a month-only publication date ("2016-08" from a URL) is as coarse as a crawl month:
        # as an exact range it would stretch an event by up to a month
        return cls(None, None, rng[0], rng[1], rng[1], tally, seen)

    def merge(self, o: Span) -> None:
        def lo(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else min(a, b)

        def hi(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else max(a, b)

        self.lo, self.hi = lo(self.lo, o.lo), hi(self.hi, o.hi)
        self.any_lo, self.any_hi = lo(self.any_lo, o.any_lo), hi(self.any_hi, o.any_hi)
        self.ub = lo(self.ub, o.ub)
        self.seen = hi(self.seen, o.seen)
        self.tally = [a + b for a, b in zip(self.tally, o.tally, strict=True)]

    def bound_gap(self, o: Span) -> int:
        """Days by which one side's exact date lies past the other side's upper bound: an
        article published in 2022 cannot report an event whose pages were crawled in 2017."""
        gap = 0
        if o.lo is not None and self.ub is not None:
            gap = max(gap, o.lo - self.ub)
        if self.lo is not None and o.ub is not None:
            gap = max(gap, self.lo - o.ub)
        return gap

    def factor(self, o: Span, window: int, soft_floor: float,
               whole: bool = False) -> tuple[float, int]:
        """Time factor in (0, 1] and the gap in days it came from.

        Exact dates on both sides decide alone: the days between them, or with `whole` (an
        event) the days the joined span would cover, so that reports a day or two apart cannot
        chain one event from a Friday attack to the next Wednesday's raid. Otherwise crawl
        months stand in as *soft* dates: usually the publication month, sometimes years late,
        so they can lower a score only to `soft_floor`, and they are month-granular, so they
        get a month of slack.
        """
        if None not in (self.lo, self.hi, o.lo, o.hi):
            if whole:
                gap = max(self.hi, o.hi) - min(self.lo, o.lo)  # type: ignore[type-var,operator]
            else:
                gap = max(0, o.lo - self.hi, self.lo - o.hi)  # type: ignore[operator]
            return decay(gap, window), gap
        hard = self.bound_gap(o)
        a_lo, a_hi = (self.lo, self.hi) if self.lo is not None else (self.any_lo, self.any_hi)
        b_lo, b_hi = (o.lo, o.hi) if o.lo is not None else (o.any_lo, o.any_hi)
        if a_lo is not None and a_hi is not None and b_lo is not None and b_hi is not None:
            # exact days, where a side has them, are what soft months are measured against:
            # late crawls that joined must not stretch the event for the next soft date
            gap = max(0, b_lo - a_hi, a_lo - b_hi)
            soft = max(soft_floor, decay(gap, window))  # month ranges: the slack is built in
            return min(soft, decay(hard, window)), max(gap, hard)
        return decay(hard, window), hard

    def apart(self, o: Span, days: int) -> bool:
        """One side looks back to a day `days` or more after the other side's upper bound
        (a member was out before that day): the ranges of possible news days lie apart."""
        return (o.seen is not None and self.ub is not None and o.seen - self.ub >= days) or \
            (self.seen is not None and o.ub is not None and self.seen - o.ub >= days)

    def other_weekday(self, o: Span) -> bool:
        """An undated article `o` names a news day two or more days from every day this
        event's news may fall on (corpus/when.py): likely another development."""
        if o.lo is not None or sum(o.tally) != 1:
            return False
        allowed = expected_days(self.lo, self.hi, self.tally)
        return bool(allowed) and not allowed >> o.tally.index(1) & 1

    def to_json(self) -> list[Any]:
        return [self.lo, self.hi, self.any_lo, self.any_hi, self.ub, self.tally, self.seen]


@dataclass
class Cluster:
    """An event or a story: per-language summed term mass and cached norms, and its span."""

    id: str
    seq: int  # input position of the last article added (recency for the size cap)
    size: int = 0
    terms: dict[str, dict[str, float]] = field(default_factory=dict)  # lang -> term -> mass
    norms: dict[str, float] = field(default_factory=dict)
    span: Span = field(default_factory=Span)
    keys: list[str] = field(default_factory=list)  # terms it is indexed under
    parent: str = ""  # an event's story id

    def absorb(self, mass: dict[str, float], span: Span, lang: str, seq: int) -> None:
        self.add_terms(lang, mass)
        self.span.merge(span)
        self.size += 1
        self.seq = seq

    def add_terms(self, lang: str, mass: dict[str, float]) -> None:
        """`mass` added to the terms of `lang`, only the MAX_CLUSTER_TERMS heaviest kept."""
        merged = Counter(self.terms.get(lang, {}))
        merged.update(mass)
        if len(merged) > MAX_CLUSTER_TERMS:
            merged = Counter(dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
                                  [:MAX_CLUSTER_TERMS]))
        self.terms[lang] = dict(merged)

    def refresh(self, df: DocFreq) -> list[str]:
        """Recompute the cached norms and index keys; return the new keys."""
        best: dict[str, float] = {}
        for lang, terms in self.terms.items():
            weights = centroid(terms, df)
            n = self.norms[lang] = norm(weights)
            if not best:  # the first language (usually the only one): weights are all > 0
                best = {t: w / n for t, w in weights.items()}
                continue
            for t, w in weights.items():
                best[t] = max(best.get(t, 0.0), w / n)
        self.keys = [t for t, _ in top_items(best, INDEX_TERMS)]
        return self.keys

    def similarity(self, q: Query) -> tuple[float, float]:
        """(cosine with the same-language centroid, best shared-vocabulary cosine)."""
        same, cross = 0.0, 0.0
        idf = q.df.table()
        for other, terms in self.terms.items():
            if other == q.lang:
                # the shared terms found in C, then summed in the article's term order as
                # ever: another order changes the last bits, and a score next to the
                # threshold could then flip
                common = sorted(q.weights.keys() & terms.keys(), key=q.order.__getitem__)
                dot = sum([q.weights[t] * terms[t] * idf[t] for t in common])
                same = min(1.0, dot / (q.norm * self.norms.get(other, 1.0)))
            else:
                cross = max(cross, shared_cosine(q, terms, other))
        return same, cross

    def to_json(self) -> list[Any]:
        return [self.id, self.seq, self.size, self.terms, self.norms, self.span.to_json(),
                self.keys, self.parent]

    @classmethod
    def from_json(cls, raw: list[Any]) -> Cluster:
        cid, seq, size, terms, norms, span, keys, parent = raw
        lo, hi, any_lo, any_hi, ub = span[:5]
        tally = span[5] if len(span) > 5 and isinstance(span[5], list) else [0] * 7
        seen = span[6] if len(span) > 6 else None
        return cls(cid, seq, size, terms, norms, Span(lo, hi, any_lo, any_hi, ub, tally, seen),
                   keys, parent)
