"""Term vectors: TF-IDF weights with online document frequencies, and the cosines events and
stories are compared by.

Languages: an article is compared with a cluster's centroid of its own language in the full
space, and with other languages' centroids only over the *shared vocabulary*, the terms already
seen in documents of both languages: names, places, numbers, internationalisms. That subspace
needs no dictionary or model and is what makes a German and an English report of one event
comparable at all.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

ENTITY_PREFIX = "@"
NAME_WORDS = 3  # words of an entity key beyond which its words are no names on their own
SHARED_EVIDENCE = 3.0  # matched shared words at which a cross-language cosine counts half

# Month and weekday names (folded lemmas, German and English): time words, not content; the
# time factor already weighs when. Hand-listed: a few dozen words no library needs to supply.
TIME_WORDS = frozenset((
    "januar", "janner", "februar", "marz", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "dezember", "january", "february", "march", "may",
    "june", "july", "october", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "okt", "oct", "nov", "dez", "dec", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonnabend", "sonntag", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri",
    "sat", "sun",
))


def word_of(key: str) -> str | None:
    """The word a term key stands for (an entity key and its name are one word), or None for
    what is no evidence of a common subject on its own: number keys, month and weekday names,
    one- and two-letter scraps."""
    word = key.lstrip(ENTITY_PREFIX)
    return None if word.startswith("#") or len(word) < 3 or word in TIME_WORDS else word


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


class Query:
    """One article as it is compared with many clusters: its norm and its shared-vocabulary
    parts are computed once, not per candidate. Valid while the statistics stay put."""

    def __init__(self, weights: dict[str, float], lang: str, df: DocFreq) -> None:
        self.weights, self.lang, self.df = weights, lang, df
        self.norm = norm(weights)
        self.order = {t: i for i, t in enumerate(weights)}
        self._shared: dict[str, tuple[dict[str, float], float]] = {}
        self._top: dict[int, list[str]] = {}
        self.names = name_words(weights)
        self.own = own_names(weights)
        self.parts = word_parts(weights)

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


def name_words(keys: Iterable[str]) -> frozenset[str]:
    """The entity keys among `keys` and the words they are made of ("@wladimir putin" gives
    "putin"): the names a text was found to contain, as the terms they appear as."""
    out: set[str] = set()
    for key in keys:
        if key.startswith(ENTITY_PREFIX):
            out.add(key)
            out.update(key[1:].replace("-", " ").split())
    return frozenset(out)


def own_names(keys: Iterable[str]) -> frozenset[str]:
    """The entity keys among `keys` and the words that name on their own: those of a key of
    at most NAME_WORDS words ("@wladimir putin" gives "putin"; a hyphenated word's parts only
    for a key of one word). A longer key is a title made of common words: "Bundesministerium
    für Bildung und Forschung" does not make "forschung" a name, nor "Audi
    Leasing-Konfigurator" "leasing" (both joined topic pages as one event)."""
    out: set[str] = set()
    for key in keys:
        if key.startswith(ENTITY_PREFIX):
            out.add(key)
            words = key[1:].split()
            if len(words) == 1:
                words = key[1:].replace("-", " ").split()
            if len(words) <= NAME_WORDS:
                out.update(words)
    return frozenset(out)


def word_parts(keys: Iterable[str]) -> frozenset[str]:
    """The terms and the parts of hyphenated ones: German writes a name into a compound
    ("Boston-Marathon", "Trump-Regierung"), where it is the term "boston-marathon"."""
    out: set[str] = set()
    for key in keys:
        out.add(key)
        if "-" in key and not key.startswith(ENTITY_PREFIX):
            out.update(key.split("-"))
    return frozenset(out)


def shares_a_name(terms_by_lang: Iterable[dict[str, float]], q: Query) -> bool:
    """Whether the article names none of its actors, or one side uses a name the other was
    found to contain (an entity key, or a word of one, also inside a hyphenated compound).
    Pages on one topic share vocabulary but no actor (car finance, gas prices, the energy
    transition); news of one development share the people, places and organisations it
    happened to. Where no name was found (a language without a name model, or the finder
    missed them all) the words alone decide. A word of a long key (`own_names`) counts only
    where the other side found it in a name too."""
    if not q.names:
        return True
    for terms in terms_by_lang:
        if not q.own.isdisjoint(word_parts(terms)) or \
                not q.parts.isdisjoint(own_names(terms)) or \
                not q.names.isdisjoint(name_words(terms)):
            return True
    return False


def shared_cosine(q: Query, terms: dict[str, float], other: str) -> float:
    """Cosine restricted to the vocabulary both languages have used.

    A subspace of two or three terms gives cosines near 1 by chance, so the score is
    shrunk by the number of terms that actually matched: m / (m + SHARED_EVIDENCE). Number
    keys count in m: the same figures in a German and an English report are evidence
    (counting words only cut dev-bi's plain-folder event recall from 0.91 to 0.77); pages
    that share only years and counts ("#2019", "#16" joined a French court report to an
    Italian park's bear count) are kept apart by the next rule.
    At least one matched term must be a name on one side (a word of an entity key): the
    shared vocabulary is meant to be names, places and numbers, but related languages share
    common words too (Spanish and Portuguese "presidente", "policia", "nacional"; Spanish and
    Italian "temperatura", "record"), which alone joined pages on unrelated events.
    """
    a, a_norm = q.shared(other)
    if not a:
        return 0.0
    mine, theirs, idf = q.df.by_lang[q.lang], q.df.by_lang[other], q.df.table()
    b = {t: c * idf[t] for t, c in terms.items() if mine.get(t) and theirs.get(t)}
    matched = [t for t in a if t in b]
    if not any(t in q.names for t in matched):
        names = name_words(terms)
        if not any(t in names for t in matched):
            return 0.0
    dot = sum(a[t] * b[t] for t in matched)
    shrink = len(matched) / (len(matched) + SHARED_EVIDENCE)
    return min(1.0, dot / (a_norm * norm(b))) * shrink
