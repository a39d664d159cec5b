"""Vector space and time arithmetic shared by events and stories.

Both levels are clusters of articles compared the same way: TF-IDF cosine over lemmas, entity
keys and normalised numbers, damped by the time distance. Only thresholds and windows differ,
so one `Cluster` type serves both.

Languages: a cluster keeps one centroid per language. An article is compared with the
centroid of its own language in the full space, and with the other languages' centroids only
over the *shared vocabulary*, the terms already seen in documents of both languages: names,
places, numbers, internationalisms. That subspace needs no dictionary or model and is what
makes a German and an English report of one event comparable at all.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from storyline.corpus.features import day_range

ENTITY_PREFIX = "@"
MAX_CLUSTER_TERMS = 250  # per language: keeps compare cost and memory per cluster flat
INDEX_TERMS = 25  # terms under which a cluster is found in the inverted index
SHARED_EVIDENCE = 3.0  # matched shared terms at which a cross-language cosine counts half


@lru_cache(maxsize=1)
def background() -> tuple[int, dict[str, int]]:
    """Background document frequencies (scripts/build_df_prior.py): (documents, term -> df).

    Added to the stream's own counts as if those documents had been seen first, so the first
    articles of a stream are not weighed by idf from a handful of documents.
    """
    docs, table = 0, {}
    text = resources.files("storyline").joinpath("data/df_de.tsv").read_text("utf-8")
    for line in text.splitlines():
        term, _, count = line.partition("\t")
        if term == "#docs":
            docs = int(count)
        elif count:
            table[term] = int(count)
    return docs, table


@lru_cache(maxsize=1 << 16)
def prior_df(term: str) -> int:
    """Background frequency of a term; of an entity key, that of its rarest word. The prior
    counts words, so without this "@deutschland" would weigh as much as "@aleppo"."""
    table = background()[1]
    if not term.startswith(ENTITY_PREFIX):
        return table.get(term, 0)
    return min((table.get(w, 0) for w in term[1:].replace("-", " ").split()), default=0)


class DocFreq:
    """Document frequencies overall and per language, updated online in input order."""

    def __init__(self, max_terms: int = 500_000) -> None:
        self.df: Counter[str] = Counter()
        self.by_lang: dict[str, Counter[str]] = {}
        self.n = 0
        self.max_terms = max_terms
        self._idf = _IdfTable(self)

    def add(self, terms: dict[str, float], lang: str) -> None:
        self.n += 1
        self.df.update(terms.keys())
        self.by_lang.setdefault(lang, Counter()).update(terms.keys())
        if len(self.df) > self.max_terms:  # forget hapaxes: they carry no similarity
            self.df = Counter({t: c for t, c in self.df.items() if c > 1})
            self.by_lang = {lg: Counter({t: c for t, c in cnt.items() if c > 1 or t in self.df})
                            for lg, cnt in self.by_lang.items()}

    def table(self) -> _IdfTable:
        """term -> idf at the current statistics (filled on demand).

        One article's placement asks for the idf of the same terms thousands of times (every
        candidate cluster, both levels) while the statistics stay put: a lookup table for the
        current document count replaces the logarithms. Any direct change of the counts
        outside `add` must come with a change of `n` (as every add does).
        """
        if self._idf.n != self.n:
            self._idf = _IdfTable(self)
        return self._idf

    def idf(self, term: str) -> float:
        return self.table()[term]

    def shared(self, term: str, lang_a: str, lang_b: str) -> bool:
        a, b = self.by_lang.get(lang_a), self.by_lang.get(lang_b)
        return bool(a and b and a.get(term) and b.get(term))


class _IdfTable(dict[str, float]):
    """idf by term for one document count, computed on first use (see `DocFreq.table`)."""

    def __init__(self, df: DocFreq) -> None:
        super().__init__()
        self.df, self.n = df, df.n
        self.top = df.n + background()[0] + 1  # the numerator of every idf at this count

    def __missing__(self, term: str) -> float:
        value = self[term] = math.log(
            self.top / (self.df.df.get(term, 0) + prior_df(term) + 1)) + 1.0
        return value

    def fill(self, terms: Iterable[str]) -> None:
        """Compute the missing terms' idf in one comprehension (a cluster's terms all need a
        new idf after every article: one call per term was a sixth of clustering time)."""
        get, top, log = self.df.df.get, self.top, math.log
        self.update({t: log(top / (get(t, 0) + prior_df(t) + 1)) + 1.0
                     for t in terms if t not in self})


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
    idf = df.table()
    idf.fill(terms)
    return {t: (1.0 + math.log(c)) * idf[t] for t, c in terms.items() if c >= 1.0}


def norm(weights: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in weights.values())) or 1.0


def member_mass(terms: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """An article's share of a centroid: damped tf over its TF-IDF norm.

    Every member then counts about equally (a long article does not outweigh three short
    ones), while idf is applied at compare time with the statistics of that moment.
    """
    n = norm(weights)
    return {t: (1.0 + math.log(c)) / n for t, c in terms.items() if c >= 1.0}


def centroid(mass: dict[str, float], df: DocFreq) -> dict[str, float]:
    idf = df.table()
    idf.fill(mass)
    return {t: m * idf[t] for t, m in mass.items()}


def top_items(scores: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The k items of highest score, ties by key: `sorted(...)[:k]` of all items, but only
    the items at or above the k-th score are sorted with the (slow, Python) key."""
    items: Iterable[tuple[str, float]] = scores.items()
    if len(scores) > k:
        cut = sorted(scores.values(), reverse=True)[k - 1]
        items = [(t, v) for t, v in scores.items() if v >= cut]
    return sorted(items, key=lambda kv: (-kv[1], kv[0]))[:k]


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

    @classmethod
    def of(cls, feats: dict[str, Any]) -> Span:
        rng = day_range(feats.get("date"))
        if rng is None:
            return cls()
        if feats.get("date_kind") == "published" and rng[0] == rng[1]:
            return cls(rng[0], rng[1], rng[0], rng[1], rng[1])
        # a month-only publication date ("2016-08" from a URL) is as coarse as a crawl month:
        # as an exact range it would stretch an event by up to a month
        return cls(None, None, rng[0], rng[1], rng[1])

    def merge(self, o: Span) -> None:
        def lo(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else min(a, b)

        def hi(a: int | None, b: int | None) -> int | None:
            return b if a is None else a if b is None else max(a, b)

        self.lo, self.hi = lo(self.lo, o.lo), hi(self.hi, o.hi)
        self.any_lo, self.any_hi = lo(self.any_lo, o.any_lo), hi(self.any_hi, o.any_hi)
        self.ub = lo(self.ub, o.ub)

    def bound_gap(self, o: Span) -> int:
        """Days by which one side's exact date lies past the other side's upper bound: an
        article published in 2022 cannot report an event whose pages were crawled in 2017."""
        gap = 0
        if o.lo is not None and self.ub is not None:
            gap = max(gap, o.lo - self.ub)
        if self.lo is not None and o.ub is not None:
            gap = max(gap, self.lo - o.ub)
        return gap

    def factor(self, o: Span, window: int, soft_floor: float) -> tuple[float, int]:
        """Time factor in (0, 1] and the gap in days it came from.

        Exact dates on both sides decide alone. Otherwise crawl months stand in as *soft*
        dates: usually the publication month, sometimes years late, so they can lower a score
        only to `soft_floor`, and they are month-granular, so they get a month of slack.
        """
        if None not in (self.lo, self.hi, o.lo, o.hi):
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

    def to_json(self) -> list[int | None]:
        return [self.lo, self.hi, self.any_lo, self.any_hi, self.ub]


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
        merged = Counter(self.terms.get(lang, {}))
        merged.update(mass)
        if len(merged) > MAX_CLUSTER_TERMS:
            merged = Counter(dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
                                  [:MAX_CLUSTER_TERMS]))
        self.terms[lang] = dict(merged)
        self.span.merge(span)
        self.size += 1
        self.seq = seq

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
        return cls(cid, seq, size, terms, norms, Span(*span), keys, parent)


class Query:
    """One article as it is compared with many clusters: its norm and its shared-vocabulary
    parts are computed once, not per candidate. Valid while the statistics stay put."""

    def __init__(self, weights: dict[str, float], lang: str, df: DocFreq) -> None:
        self.weights, self.lang, self.df = weights, lang, df
        self.norm = norm(weights)
        self.order = {t: i for i, t in enumerate(weights)}
        self._shared: dict[str, tuple[dict[str, float], float]] = {}
        self._top: dict[int, list[str]] = {}

    def top(self, k: int) -> list[str]:
        """The k heaviest terms another document has used too, to look clusters up by.

        A term only this article has used is under no cluster's key: querying it wastes a
        slot, and a page whose top terms are all one-off numbers (a ticker) found nothing.
        """
        if k not in self._top:
            seen = ((t, w) for t, w in self.weights.items() if self.df.df.get(t, 0) > 1)
            self._top[k] = [t for t, _ in sorted(seen, key=lambda kv: (-kv[1], kv[0]))[:k]]
        return self._top[k]

    def shared(self, other: str) -> tuple[dict[str, float], float]:
        """The weights over the vocabulary this language shares with `other`, and their norm."""
        if other not in self._shared:
            a = {t: w for t, w in self.weights.items() if self.df.shared(t, self.lang, other)}
            self._shared[other] = a, norm(a)
        return self._shared[other]


def shared_cosine(q: Query, terms: dict[str, float], other: str) -> float:
    """Cosine restricted to the vocabulary both languages have used.

    A subspace of two or three terms gives cosines near 1 by chance, so the score is
    shrunk by the number of terms that actually matched: m / (m + SHARED_EVIDENCE).
    """
    a, a_norm = q.shared(other)
    if not a:
        return 0.0
    mine, theirs, idf = q.df.by_lang[q.lang], q.df.by_lang[other], q.df.table()
    b = {t: c * idf[t] for t, c in terms.items() if mine.get(t) and theirs.get(t)}
    matched = [t for t in a if t in b]
    if not matched:
        return 0.0
    dot = sum(a[t] * b[t] for t in matched)
    shrink = len(matched) / (len(matched) + SHARED_EVIDENCE)
    return min(1.0, dot / (a_norm * norm(b))) * shrink
