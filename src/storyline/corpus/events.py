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
from typing import Any

from storyline.corpus.stories import (
    Cluster,
    DocFreq,
    Span,
    article_terms,
    norm,
    time_factor,
    weigh,
)
from storyline.settings import Settings

DEFAULTS: dict[str, Any] = {
    "event_threshold": 0.35, "story_threshold": 0.25,
    "event_window_days": 7, "story_window_days": 120,
    "event_retire_days": 60, "max_active": 5000, "max_candidates": 40,
    "entity_weight": 2.0, "lead_boost": 1.0, "query_terms": 30,
}


class Level:
    """Active clusters of one kind plus the inverted index that finds them."""

    def __init__(self, prefix: str, threshold: float, window: int, retire: int, cap: int) -> None:
        self.prefix, self.threshold, self.window = prefix, threshold, window
        self.retire, self.cap = retire, cap
        self.active: dict[str, Cluster] = {}
        self.postings: dict[str, set[str]] = {}
        self.checked: int | None = None  # clock at the last expiry sweep

    def candidates(self, weights: dict[str, float], query_terms: int, limit: int) -> list[Cluster]:
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:query_terms]
        hits: Counter[str] = Counter()
        for term, _ in top:
            hits.update(self.postings.get(term, ()))
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], -self.active[kv[0]].seq, kv[0]))
        return [self.active[cid] for cid, _ in ranked[:limit]]

    def best(self, weights: dict[str, float], span: Span, df: DocFreq,
             cfg: dict[str, Any]) -> tuple[Cluster | None, float]:
        wnorm = norm(weights)
        best: tuple[float, int, Cluster] | None = None
        for cl in self.candidates(weights, int(cfg["query_terms"]), int(cfg["max_candidates"])):
            score = cl.cosine(weights, wnorm, df) * time_factor(cl.span.gap(span), self.window)
            if best is None or (score, cl.seq) > best[:2]:
                best = (score, cl.seq, cl)
        if best is None or best[0] < self.threshold:
            return None, best[0] if best else 0.0
        return best[2], best[0]

    def update(self, cl: Cluster, df: DocFreq) -> None:
        for key in cl.keys:
            self.postings.get(key, set()).discard(cl.id)
        self.active[cl.id] = cl
        for key in cl.refresh(df):
            self.postings.setdefault(key, set()).add(cl.id)

    def expire(self, clock: int | None) -> list[Cluster]:
        """Retire clusters past the window (by their last exact day) and beyond the cap.

        The sweep runs only when the clock moved or the cap is exceeded, i.e. about once per
        new day of input, so its cost is spread thin.
        """
        gone: list[Cluster] = []
        if clock is not None and clock != self.checked:
            self.checked = clock
            gone = [c for c in self.active.values()
                    if c.span.hi is not None and clock - c.span.hi > self.retire]
        if len(self.active) - len(gone) > self.cap:
            rest = sorted((c for c in self.active.values() if c not in gone), key=lambda c: c.seq)
            gone += rest[: len(rest) - self.cap]
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
        cap, retire = int(cfg["max_active"]), int(cfg["event_retire_days"])
        story_days = int(cfg["story_window_days"])
        self.events = Level("ev-", float(cfg["event_threshold"]),
                            int(cfg["event_window_days"]), retire, cap)
        self.stories = Level("st-", float(cfg["story_threshold"]), story_days, story_days, cap)
        self.df = DocFreq()
        self.seq = 0
        self.clock: int | None = None
        self.members: dict[str, str] = {}  # article id -> event id, for active events only
        self.roster: dict[str, list[str]] = {}  # event id -> its article ids (active events)

    def _terms(self, feats: dict[str, Any]) -> dict[str, float]:
        return article_terms(feats, float(self.cfg["entity_weight"]), float(self.cfg["lead_boost"]))

    def add(self, article_id: str, feats: dict[str, Any],
            duplicate_of: str | None = None) -> tuple[str, str]:
        """Place one article; duplicates follow their canonical article while it is active."""
        if article_id in self.members:
            event = self.events.active[self.members[article_id]]
            return event.id, event.parent
        self.seq += 1
        span = Span.of(feats)
        if span.hi is not None:
            self.clock = span.hi if self.clock is None else max(self.clock, span.hi)
        if duplicate_of and duplicate_of in self.members:
            event = self.events.active[self.members[duplicate_of]]
            self._enrol(article_id, event.id)
            return event.id, event.parent
        terms = self._terms(feats)
        self.df.add(terms)
        weights = weigh(terms, self.df)
        found, _ = self.events.best(weights, span, self.df, self.cfg)
        event = found or Cluster("ev-" + article_id, self.seq)
        if found is None:
            chain, _ = self.stories.best(weights, span, self.df, self.cfg)
            event.parent = chain.id if chain else "st-" + article_id
        story = self.stories.active.get(event.parent) or Cluster(event.parent, self.seq)
        lang = str(feats.get("lang") or "und")
        for cl, level in ((event, self.events), (story, self.stories)):
            cl.absorb(terms, span, lang, self.seq)
            level.update(cl, self.df)
        self._enrol(article_id, event.id)
        for gone in self.events.expire(self.clock):
            for aid in self.roster.pop(gone.id, []):
                self.members.pop(aid, None)
        self.stories.expire(self.clock)
        return event.id, event.parent

    def _enrol(self, article_id: str, event_id: str) -> None:
        self.members[article_id] = event_id
        self.roster.setdefault(event_id, []).append(article_id)

    def explain(self, a_feats: dict[str, Any], b_feats: dict[str, Any]) -> dict[str, Any]:
        """Similarity components of two articles under the current document frequencies."""
        wa, wb = weigh(self._terms(a_feats), self.df), weigh(self._terms(b_feats), self.df)
        shared = sorted(set(wa) & set(wb), key=lambda t: -wa[t] * wb[t])
        dot = sum(wa[t] * wb[t] for t in shared)
        cosine = dot / (norm(wa) * norm(wb))
        gap = Span.of(a_feats).gap(Span.of(b_feats))
        event_score = cosine * time_factor(gap, self.events.window)
        story_score = cosine * time_factor(gap, self.stories.window)
        return {
            "cosine": round(cosine, 4), "gap_days": gap,
            "event_score": round(event_score, 4), "event_threshold": self.events.threshold,
            "story_score": round(story_score, 4), "story_threshold": self.stories.threshold,
            "shared_terms": shared[:15],
            "same_event": event_score >= self.events.threshold,
            "same_story": story_score >= self.stories.threshold,
        }

    def to_state(self) -> bytes:
        data = {
            "seq": self.seq, "clock": self.clock, "n": self.df.n, "df": dict(self.df.df),
            "members": self.members, "checked": [self.events.checked, self.stories.checked],
            "events": [c.to_json() for c in self.events.active.values()],
            "stories": [c.to_json() for c in self.stories.active.values()],
        }
        return zlib.compress(json.dumps(data, separators=(",", ":")).encode("utf-8"))

    @classmethod
    def from_state(cls, data: bytes, settings: Settings) -> StoryIndex:
        raw = json.loads(zlib.decompress(data).decode("utf-8"))
        index = cls(settings)
        index.seq, index.clock = raw["seq"], raw["clock"]
        index.events.checked, index.stories.checked = raw["checked"]
        index.df.n, index.df.df = raw["n"], Counter(raw["df"])
        for aid, eid in raw["members"].items():
            index._enrol(aid, eid)
        for level, key in ((index.events, "events"), (index.stories, "stories")):
            for item in raw[key]:
                cl = Cluster.from_json(item)
                level.active[cl.id] = cl
                for term in cl.keys:
                    level.postings.setdefault(term, set()).add(cl.id)
        return index
