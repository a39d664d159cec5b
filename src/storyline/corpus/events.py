"""Online event and story clustering, one pass in publication order.

Each article joins the most similar recent event or opens a new one; a new event joins the
most similar recent story (a looser threshold, a longer window) or opens one. Candidates come
from an inverted index over each active cluster's top terms, and clusters leave that index
once they are older than their window or the oldest beyond a size cap, so adding an article
costs the same at article 100 and at article 100,000.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from storyline.corpus.relink import relink
from storyline.corpus.stories import Cluster, Span
from storyline.corpus.vectors import (
    TIME_WORDS,  # noqa: F401  (re-exported: it lived here)
    DocFreq,
    Query,
    article_terms,
    member_mass,
    shares_a_name,
    weigh,
    word_of,
)
from storyline.settings import Settings

APART_DAYS = 2  # news days this far apart are different days of news (here and in split.py)

DEFAULTS: dict[str, Any] = {
    "event_threshold": 0.17, "story_threshold": 0.12, "cross_threshold": 0.25,
    "event_window_days": 3, "story_window_days": 120, "soft_date_floor": 0.4,
    "max_active": 3000, "max_candidates": 40, "entity_weight": 2.0, "lead_boost": 1.0,
    "query_terms": 30, "min_terms": 3, "min_shared_words": 1, "weekday_factor": 0.8,
    "event_needs_name": True, "story_needs_name": True,
    "event_whole_span": True, "mention_factor": 0.5,
}


def shared_words(cl: Cluster, q: Query, enough: int = 1 << 30) -> int:
    """Distinct words (not number keys, month or weekday names, at least three letters; a
    name and its entity key count once) that the article shares with the cluster in any
    language. Numbers, months and scraps ("#28", "april", "fr") matched a holiday home's
    booking calendar to another's: a join needs words in common, not only dates."""
    seen: set[str] = set()
    for terms in cl.terms.values():
        for key in q.weights.keys() & terms.keys():
            word = word_of(key)
            if word:
                seen.add(word)
                if len(seen) >= enough:
                    return len(seen)
    return len(seen)


class Level:
    """Active clusters of one kind plus the inverted index that finds them.

    The `cap` most recently extended clusters stay active; older ones leave the index. That
    is the memory bound; whether an old event still fits a new article is the time factor's
    call, not the index's, so undated articles (sorted last) still find year-old events.
    """

    def __init__(self, threshold: float, cross: float, window: int, cap: int,
                 floor_scale: float = 1.0, single: tuple[float, float] | None = None,
                 weekday: float = 1.0, names: bool = False, whole: bool = False,
                 mention: float = 1.0) -> None:
        self.threshold, self.cross, self.window, self.cap = threshold, cross, window, cap
        self.whole = whole  # the window bounds the whole span of exact dates (Span.factor)
        self.names = names  # a join must share a name the article has (vectors.shares_a_name)
        self.weekday = weekday  # time factor when the news weekdays lie apart (Span)
        self.mention = mention  # time factor when the mentioned days put them apart (Span)
        self.floor_scale = floor_scale  # soft-date floor relative to [cluster] soft_date_floor
        # (same-language, cross-language) thresholds for a cluster of one article; see StoryIndex
        self.single = single or (threshold, cross)
        self.active: dict[str, Cluster] = {}
        self.postings: dict[str, set[str]] = {}
        self.blocked: Cluster | None = None  # see best()

    def candidates(self, q: Query, query_terms: int, limit: int) -> list[Cluster]:
        hits: Counter[str] = Counter()
        for term in q.top(query_terms):
            hits.update(self.postings.get(term, ()))
        items: Iterable[tuple[str, int]] = hits.items()
        if len(hits) > limit:  # only the clusters at or above the limit-th count need the key
            cut = sorted(hits.values(), reverse=True)[limit - 1]
            items = [(cid, n) for cid, n in hits.items() if n >= cut]
        ranked = sorted(items, key=lambda kv: (-kv[1], -self.active[kv[0]].seq, kv[0]))
        return [self.active[cid] for cid, _ in ranked[:limit]]

    def _linked(self, cl: Cluster, q: Query, need: int) -> bool:
        """What a join needs besides its score: words in common, and a shared name where the
        level asks for one."""
        return shared_words(cl, q, need) >= need and \
            (not self.names or shares_a_name(cl.terms.values(), q))

    def _weekday(self, cl: Cluster, span: Span) -> float:
        """The weight of a join whose news weekdays disagree (Span.other_weekday) or whose
        ranges of possible news days lie apart (Span.apart, the dates the texts mention),
        else 1: evidence of another development of the same story."""
        factor = self.weekday if self.weekday != 1.0 and cl.span.other_weekday(span) else 1.0
        if self.mention != 1.0 and cl.span.apart(span, APART_DAYS):
            factor = min(factor, self.mention)
        return factor

    def time(self, cl: Cluster, span: Span, floor: float) -> tuple[float, int]:
        """The time factor and gap: the span's, lowered when the news weekdays disagree."""
        factor, gap = cl.span.factor(span, self.window, floor, self.whole)
        return factor * self._weekday(cl, span), gap

    def score(self, cl: Cluster, q: Query, span: Span, floor: float) -> float:
        """Similarity relative to the threshold (>= 1 joins), times the time factor."""
        return self._score(cl, q, self.time(cl, span, floor)[0])

    def _score(self, cl: Cluster, q: Query, factor: float) -> float:
        same, cross = cl.similarity(q)
        threshold, cross_threshold = (self.threshold, self.cross) if cl.size > 1 else self.single
        return max(same / threshold, cross / cross_threshold) * factor

    def best(self, q: Query, span: Span, cfg: dict[str, Any]) -> Cluster | None:
        """The best cluster to join, or None; `blocked` is then the best one that only the
        weekday factor kept out (the same story, likely another development)."""
        found: tuple[float, int, Cluster] | None = None
        blocked: tuple[float, int, Cluster] | None = None
        floor = float(cfg["soft_date_floor"]) * self.floor_scale
        # both cosines are at most 1, so no score exceeds reach * factor (float division and
        # multiplication are monotone): a candidate too far off in time to join even with a
        # perfect match is skipped before its cosine (9 in 10 event candidates on synth-10k)
        reach = max(1.0 / self.threshold, 1.0 / self.cross)
        need = int(cfg["min_shared_words"])  # counting stops there: the first word settles it
        for cl in self.candidates(q, int(cfg["query_terms"]), int(cfg["max_candidates"])):
            factor, _ = cl.span.factor(span, self.window, floor, self.whole)
            if reach * factor < 1.0:
                continue
            weekday = self._weekday(cl, span)
            score = self._score(cl, q, factor * weekday)
            if score >= 1.0 and (found is None or (score, cl.seq) > found[:2]) and \
                    self._linked(cl, q, need):
                found = (score, cl.seq, cl)
            elif weekday < 1.0 and score < 1.0 and \
                    (blocked is None or (score, cl.seq) > blocked[:2]) and \
                    self._score(cl, q, factor) >= 1.0 and self._linked(cl, q, need):
                blocked = (score, cl.seq, cl)
        self.blocked = blocked[2] if blocked and not found else None
        return found[2] if found else None

    def update(self, cl: Cluster, df: DocFreq) -> None:
        for key in cl.keys:
            self.postings.get(key, set()).discard(cl.id)
        self.active[cl.id] = cl
        for key in cl.refresh(df):
            self.postings.setdefault(key, set()).add(cl.id)

    def expire(self) -> list[Cluster]:
        """Retire the least recently extended clusters beyond the cap."""
        if len(self.active) <= self.cap:
            return []
        gone = sorted(self.active.values(), key=lambda c: c.seq)[: len(self.active) - self.cap]
        for cl in gone:
            for key in cl.keys:
                self.postings.get(key, set()).discard(cl.id)
            del self.active[cl.id]
        return gone


class StoryIndex:
    """Assigns (event_id, story_id) to articles fed in (date, -length, id) order."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        cfg = {**DEFAULTS, **settings.section("cluster")}
        self.cfg = cfg
        cap, cross = int(cfg["max_active"]), float(cfg["cross_threshold"])
        story_ratio = float(cfg["story_threshold"]) / float(cfg["event_threshold"])
        # weekdays two or more days apart are evidence of another development, not of
        # another chain: the event level only
        self.events = Level(float(cfg["event_threshold"]), cross,
                            int(cfg["event_window_days"]), cap,
                            weekday=float(cfg["weekday_factor"]),
                            names=bool(cfg["event_needs_name"]),
                            whole=bool(cfg["event_whole_span"]),
                            mention=float(cfg["mention_factor"]))
        # the looser story threshold must not let a far-off soft date in more easily than at
        # event level, so the floor shrinks by the same ratio: threshold / floor is the same
        # A story of one article is that article: no chain yet whose common core a looser
        # threshold could measure, so linking to it takes event-level evidence (the two
        # articles must be as alike as one event's)
        self.stories = Level(float(cfg["story_threshold"]), cross * story_ratio,
                             int(cfg["story_window_days"]), cap, story_ratio,
                             single=(float(cfg["event_threshold"]), cross),
                             names=bool(cfg["story_needs_name"]))
        self.df = DocFreq()
        self.seq = 0
        self.members: dict[str, str] = {}  # article id -> event id, for active events only
        self.roster: dict[str, list[str]] = {}  # event id -> its article ids (active events)
        self.follows: dict[str, str] = {}  # a copy -> the article it followed (corpus/split.py)
        self.renamed: dict[str, str] = {}  # this pass's re-linked stories: old -> new id
        self.relinks: dict[str, list[Any]] = {}  # every re-link: old -> [new, score, members]

    def _terms(self, feats: dict[str, Any]) -> dict[str, float]:
        return article_terms(feats, float(self.cfg["entity_weight"]),
                             float(self.cfg["lead_boost"]))

    def add(self, article_id: str, feats: dict[str, Any],
            duplicate_of: str | None = None) -> tuple[str, str]:
        """Place one article; duplicates follow their canonical article while it is active."""
        if article_id in self.members:
            event = self.events.active[self.members[article_id]]
            return event.id, event.parent
        self.seq += 1
        if duplicate_of and duplicate_of in self.members:
            event = self.events.active[self.members[duplicate_of]]
            event.seq = self.seq  # still alive: keep it from retiring
            self._enrol(article_id, event.id)
            self.follows[article_id] = duplicate_of
            return event.id, event.parent
        span, lang = Span.of(feats), str(feats.get("lang") or "und")
        terms = self._terms(feats)
        self.df.add(terms, lang)
        weights = weigh(terms, self.df)
        query = Query(weights, lang, self.df)
        # a one- or two-word text ("Eilmeldung") matches whatever shares its word: too little
        # evidence to join anything, so it stays an event and a story of its own
        enough = len(terms) >= int(self.cfg["min_terms"])
        found = self.events.best(query, span, self.cfg) if enough else None
        event = found or Cluster("ev-" + article_id, self.seq)
        if found is None:
            # another development of a story whose event it matched but for the weekday
            sibling = self.events.blocked if enough else None
            chain = self.stories.active.get(sibling.parent) if sibling else None
            chain = chain or (self.stories.best(query, span, self.cfg) if enough else None)
            event.parent = chain.id if chain else "st-" + article_id
        story = self.stories.active.get(event.parent) or Cluster(event.parent, self.seq)
        for cl, level in ((event, self.events), (story, self.stories)):
            cl.absorb(member_mass(terms, weights), span, lang, self.seq)
            level.update(cl, self.df)
        relink(self, story)  # a young story may now be seen to belong to another (relink.py)
        self._enrol(article_id, event.id)
        for gone in self.events.expire():
            for aid in self.roster.pop(gone.id, []):
                self.members.pop(aid, None)
                self.follows.pop(aid, None)
        self.stories.expire()
        return event.id, event.parent

    def _enrol(self, article_id: str, event_id: str) -> None:
        self.members[article_id] = event_id
        self.roster.setdefault(event_id, []).append(article_id)

    def explain(self, a_feats: dict[str, Any], b_feats: dict[str, Any]) -> dict[str, Any]:
        """Similarity components of two articles, as if B were an event of its own (and a
        story of one article, so the story decision takes event-level evidence too)."""
        b = Cluster("b", 0)
        b_lang, a_lang = str(b_feats.get("lang") or "und"), str(a_feats.get("lang") or "und")
        b_terms, a_terms = self._terms(b_feats), self._terms(a_feats)
        df = self.df if self.df.n else DocFreq()
        if not self.df.n:  # no corpus statistics loaded: the pair is its own corpus
            df.add(b_terms, b_lang)
            df.add(a_terms, a_lang)
        b.absorb(member_mass(b_terms, weigh(b_terms, df)), Span.of(b_feats), b_lang, 0)
        b.refresh(df)
        wa = weigh(a_terms, df)
        qa = Query(wa, a_lang, df)
        same, cross = b.similarity(qa)
        out: dict[str, Any] = {"cosine_same_language": round(same, 4),
                               "cosine_shared_vocabulary": round(cross, 4)}
        wb = weigh(b_terms, df)
        out["shared_terms"] = sorted(set(wa) & set(wb), key=lambda t: -wa[t] * wb[t])[:15]
        out["shared_words"] = words = shared_words(b, qa)
        out["shares_a_name"] = named = shares_a_name(b.terms.values(), qa)
        for name, level in (("event", self.events), ("story", self.stories)):
            floor = float(self.cfg["soft_date_floor"]) * level.floor_scale
            factor, gap = level.time(b, Span.of(a_feats), floor)
            score = level.score(b, qa, Span.of(a_feats), floor)
            out[f"{name}_time_factor"], out["gap_days"] = round(factor, 4), gap
            out[f"{name}_score"] = round(score, 4)  # relative to the threshold: >= 1 joins
            out[f"{name}_decision"] = score >= 1.0 and words >= int(
                self.cfg["min_shared_words"]) and (named or not level.names)
        return out

    def to_state(self) -> bytes:
        data = {
            "seq": self.seq, "n": self.df.n, "df": dict(self.df.df),
            "by_lang": {k: dict(v) for k, v in self.df.by_lang.items()},
            "members": self.members, "follows": self.follows, "relinks": self.relinks,
            "events": [c.to_json() for c in self.events.active.values()],
            "stories": [c.to_json() for c in self.stories.active.values()],
        }
        # level 1: the default level took 3.5x the time for 12% less
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"), 1)

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> StoryIndex:
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        index = cls(settings)
        index.seq = raw["seq"]
        index.df.n, index.df.df = raw["n"], Counter(raw["df"])
        index.df.by_lang = {k: Counter(v) for k, v in raw["by_lang"].items()}
        for aid, eid in raw["members"].items():
            index._enrol(aid, eid)
        index.follows = raw.get("follows", {})
        index.relinks = raw.get("relinks", {})
        for level, key in ((index.events, "events"), (index.stories, "stories")):
            for item in raw[key]:
                cl = Cluster.from_json(item)
                level.active[cl.id] = cl
                for term in cl.keys:
                    level.postings.setdefault(term, set()).add(cl.id)
        return index
