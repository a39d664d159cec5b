"""Event split: an online event that holds two developments of its story is cut in two.

The online index (corpus/events.py) decides on first merges: when the first reports of two
developments meet (a crash and, two days later, the finding that the co-pilot did it on
purpose), they share one centroid and nothing takes them apart again. Inside one story,
though, article pairs tell developments apart well. So the index's events are *proto-events*
and each one is re-partitioned here, after every grouping pass that changed it, by a pure
function of its whole membership (the members' stored features in sort order): the same
proto-event gives the same sub-events whatever the ingest batches were.

A proto-event is cut once, into two groups, only when all of these hold:
- each group has at least `split_min_size` members (one odd report is no development);
- the average similarity within the groups is `split_margin` times that across them;
- of the members whose days can be compared with the other group's (exact dates, the ranges
  of possible news days the dates a text mentions give, corpus/mentioned.py, or the weekdays
  the reports name as their news day, corpus/when.py), at least `split_time_share` lie two or
  more days from most of them: developments happen on different days, aspects of one on the
  same day.
Similarity is the TF-IDF cosine of the two articles (idf from the background prior times
the term's rarity inside the proto-event, so the story's common vocabulary counts little),
lowered by `split_time_factor` where the pair's days lie apart. Pairs of two languages share
little vocabulary, so each language pair's cosines are scaled to the same-language mean:
otherwise the cut falls between the languages.

The values were chosen by story-held-out cross-validation on the labeled sets (see
/work/notes and scripts/events_cv.py); nothing is learned from their texts.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from storyline.corpus.events import APART_DAYS
from storyline.corpus.events import DEFAULTS as EVENT_DEFAULTS
from storyline.corpus.features import day_range
from storyline.corpus.mentioned import resolve_md
from storyline.corpus.vectors import article_terms, background, prior_df
from storyline.settings import Settings

DEFAULTS: dict[str, Any] = {
    "event_split": True, "split_min_size": 4, "split_margin": 3.0,
    "split_time_share": 0.5, "split_time_factor": 0.3,
}
MAX_MEMBERS = 1000  # a bigger proto-event is left whole: pairs grow as n squared (1000: 2.5 s)
Member = tuple[str, dict[str, Any]]  # article id, stored features


def settings_of(section: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: v for k, v in section.items() if k in DEFAULTS}}


def split_ids(members: Sequence[Member], proto_id: str, cfg: dict[str, Any],
              follows: dict[str, str] | None = None, entity_weight: float = 2.0,
              lead_boost: float = 1.0) -> dict[str, str]:
    """Article id -> event id for a proto-event's members (in sort order). A copy that
    followed another member into the event (`follows`, StoryIndex's record of placement)
    stays with it; the others are partitioned. Unsplit, all keep `proto_id`; split, the group
    holding the first member keeps it and the other is named after its own first member
    ("ev-" + id, as an event is named after the article that opened it), so ids stay stable
    while either group grows."""
    inside = {aid for aid, _ in members}
    follows = {a: b for a, b in (follows or {}).items() if a in inside and b in inside}
    units = [(aid, f) for aid, f in members if aid not in follows]
    groups = partition(units, cfg, entity_weight, lead_boost)
    if groups is None:
        return {aid: proto_id for aid, _ in members}
    out = {}
    for group in groups:
        first = min(group)
        gid = proto_id if first == 0 else "ev-" + units[first][0]
        out.update({units[i][0]: gid for i in group})
    for aid, _ in members:
        leader = aid
        while leader in follows:
            leader = follows[leader]
        out[aid] = out[leader]
    return out


def partition(members: Sequence[Member], cfg: dict[str, Any], entity_weight: float = 2.0,
              lead_boost: float = 1.0) -> tuple[list[int], list[int]] | None:
    """The two groups (member indexes) of a proto-event to cut, or None to keep it whole."""
    minimum = int(cfg["split_min_size"])
    if not cfg["event_split"] or len(members) < 2 * minimum or len(members) > MAX_MEMBERS:
        return None
    rel = relations([news_day(f) for _, f in members])
    sims = similarities([f for _, f in members], rel, float(cfg["split_time_factor"]),
                        entity_weight, lead_boost)
    dist = np.clip(1.0 - sims, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = fcluster(linkage(squareform(dist, checks=False), "average"), 2, "maxclust")
    a = [i for i, lab in enumerate(labels) if lab == labels[0]]
    b = [i for i, lab in enumerate(labels) if lab != labels[0]]
    if min(len(a), len(b)) < minimum:
        return None
    within = (_mean(sims, a, a) + _mean(sims, b, b)) / 2
    if within <= float(cfg["split_margin"]) * _mean(sims, a, b):  # 0 <= 0: nothing in common
        return None
    if apart_share(rel[np.ix_(a, b)]) < float(cfg["split_time_share"]):
        return None
    return a, b


def apart_share(cross: np.ndarray) -> float:
    """Of the members of either group whose days compare with the other group's, the share
    that lie apart from most of them. Counted per member, not per pair: one report that names
    a stray weekday is in as many pairs as the other group has members, and on its own it
    would cut a development in two."""
    apart = np.concatenate([(cross < 0).sum(axis=1), (cross < 0).sum(axis=0)])
    known = np.concatenate([np.count_nonzero(cross, axis=1), np.count_nonzero(cross, axis=0)])
    voting = known > 0
    return float(np.mean(2 * apart[voting] > known[voting])) if voting.any() else 0.0


Day = tuple[int | None, int | None, int | None, int | None, tuple[int, int] | None]


def news_day(feats: dict[str, Any]) -> Day:
    """(exact publication day as an ordinal, or None; the weekday the text dates its news
    to, Monday = 0, or None; the earliest and latest possible news day, or None: the latest
    past date the text mentions (corpus/mentioned.py) and the end of its publication or
    crawl date; a year-less mentioned date's (month, day) when no year could be given)."""
    rng = day_range(feats.get("date"))
    exact = rng[0] if feats.get("date_kind") == "published" and rng and rng[0] == rng[1] \
        else None
    day = feats.get("weekday")
    est = feats.get("mentioned") or {}
    md, lo = est.get("md"), est.get("lo")
    if exact is not None:  # reported on its day or the day after (the rule exact dates follow)
        lo = max(lo or exact - 1, exact - 1)
    return (exact, day if isinstance(day, int) and 0 <= day < 7 else None, lo,
            rng[1] if rng else None, (int(md[0]), int(md[1])) if md else None)


def _cyclic(a: int, b: int) -> int:
    gap = abs(a - b) % 7
    return min(gap, 7 - gap)


def relation(a: Day, b: Day) -> int:
    """-1: the two reports' news days lie APART_DAYS or more apart; 1: they agree; 0: no
    telling. Exact dates decide where both have one; else two ranges of possible news days
    that lie apart (a report that looks back to a day after the other was out); else the
    weekdays named, where only the same weekday agrees: one day apart on the weekly cycle is
    nearly as often another development a week later as the same one (pairs within a story
    of the four labeled sets: 263 same-event, 222 not; naming the same weekday: 759, 206);
    a publication day against a named weekday only tells them apart (news is reported on its
    day or later, so agreeing weekdays prove little). Overlapping ranges say nothing."""
    (da, wa, la, ha, ma), (db, wb, lb, hb, mb) = a, b
    if da is not None and db is not None:
        return -1 if abs(da - db) >= APART_DAYS else 1
    if la is None and ma is not None:
        la = resolve_md(ma, hb if hb is not None else lb)
    if lb is None and mb is not None:
        lb = resolve_md(mb, ha if ha is not None else la)
    if (la is not None and hb is not None and la - hb >= APART_DAYS) or \
            (lb is not None and ha is not None and lb - ha >= APART_DAYS):
        return -1
    if wa is not None and wb is not None:
        gap = _cyclic(wa, wb)
        return -1 if gap >= APART_DAYS else (1 if gap == 0 else 0)
    for day, named in ((da, wb), (db, wa)):
        if day is not None and named is not None:
            return -1 if _cyclic((day - 1) % 7, named) >= APART_DAYS else 0  # ordinal 1: Mon
    return 0


def relations(days: Sequence[Day]) -> np.ndarray:
    """`relation` of every pair, once per proto-event or story (the similarities, the cut's
    time check and the move all read it)."""
    n = len(days)
    rel = np.zeros((n, n), dtype=np.int8)
    if not any(d[0] is not None or d[1] is not None or d[2] is not None or d[4] is not None
               for d in days):
        return rel  # no clock at all: nothing to compare
    for i in range(n):
        for j in range(i + 1, n):
            rel[i, j] = rel[j, i] = relation(days[i], days[j])
    return rel


def similarities(feats: Sequence[dict[str, Any]], rel: np.ndarray,
                 apart: float, entity_weight: float, lead_boost: float) -> np.ndarray:
    """Pair similarities (see the module docstring), a dense symmetric matrix; `rel` is
    `relations` of the same members."""
    terms = [article_terms(f, entity_weight, lead_boost) for f in feats]
    inside = Counter(t for ts in terms for t in ts)
    n, docs = len(feats), background()[0]
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    prior = {t: math.log((docs + 1) / (prior_df(t) + 1)) + 1.0 for t in inside}  # per term,
    rare = {t: math.log((n + 1) / k) for t, k in inside.items()}  # not per occurrence
    for i, ts in enumerate(terms):
        weights = {t: (1.0 + math.log(c)) * prior[t] * rare[t]
                   for t, c in sorted(ts.items()) if c >= 1.0}
        size = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for t, w in weights.items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(w / size)
    x = csr_matrix((vals, (rows, cols)), shape=(n, max(1, len(vocab))))
    sims = np.asarray((x @ x.T).todense(), dtype=float)
    sims[rel < 0] *= apart
    _level_languages(sims, [str(f.get("lang") or "und") for f in feats])
    return sims


def _level_languages(sims: np.ndarray, langs: list[str]) -> None:
    """Scale each pair of languages' cosines to the same-language mean (in place)."""
    n = len(langs)
    if n < 2 or len(set(langs)) < 2:
        return
    names = sorted(set(langs))
    codes = np.array([names.index(lang) for lang in langs])
    up, down = np.triu_indices(n, 1)
    lo, hi = np.minimum(codes[up], codes[down]), np.maximum(codes[up], codes[down])
    vals = sims[up, down]
    same = lo == hi
    target = float(vals[same].mean()) if same.any() else 0.0
    if not target:
        return
    for a, b in sorted(set(zip(lo[~same].tolist(), hi[~same].tolist(), strict=True))):
        block = (lo == a) & (hi == b)
        mean = float(vals[block].mean())
        scaled = vals[block] * target / mean if mean > 0 else np.full(int(block.sum()), target)
        sims[up[block], down[block]] = scaled
        sims[down[block], up[block]] = scaled


def _mean(sims: np.ndarray, a: list[int], b: list[int]) -> float:
    """Mean similarity between groups a and b (within one group: its distinct pairs)."""
    block = sims[np.ix_(a, b)]
    if a is b:
        block = block[np.triu_indices(len(a), 1)]
    return float(block.mean()) if block.size else 0.0


class Protos:
    """The proto-events one grouping pass changed, each with its whole membership: the
    members it had before the pass (StoryIndex keeps them while the event is active, and an
    event that gains an article is active) and those the pass added."""

    def __init__(self) -> None:
        self.members: dict[str, dict[str, None]] = {}  # proto id -> ordered member ids
        self.follows: dict[str, str] = {}

    def note(self, roster: dict[str, list[str]], follows: dict[str, str], article_id: str,
             proto_id: str) -> None:
        """After StoryIndex placed `article_id` in `proto_id` (its roster and follows)."""
        group = self.members.get(proto_id)
        if group is None:
            group = self.members[proto_id] = dict.fromkeys(roster.get(proto_id, ()))
            self.follows.update((a, follows[a]) for a in group if a in follows)
        group[article_id] = None
        if article_id in follows:
            self.follows[article_id] = follows[article_id]

    def refine(self, load: Callable[[list[str]], list[Member]],
               settings: Settings) -> dict[str, str]:
        """Article id -> event id for every member of the changed proto-events big enough
        to split (a smaller one never was: its members keep the proto id). `load` gives
        the stored features of the ids asked for, in sort order, in one call."""
        cluster = {**EVENT_DEFAULTS, **settings.section("cluster")}
        cfg = settings_of(cluster)
        big = {p: g for p, g in self.members.items() if len(g) >= 2 * int(cfg["split_min_size"])}
        if not cfg["event_split"] or not big:
            return {}
        feats = dict(load([aid for group in big.values() for aid in group]))
        order = {aid: i for i, aid in enumerate(feats)}
        out: dict[str, str] = {}
        for proto_id, group in big.items():
            members = sorted(((a, feats[a]) for a in group if a in feats),
                             key=lambda m: order[m[0]])
            out.update(split_ids(members, proto_id, cfg, self.follows,
                                 float(cluster["entity_weight"]), float(cluster["lead_boost"])))
        return out


# "+superseded_by": without the plus, SQLite searched the articles_live index on it, a walk
# over every live article per pass (bench.grouping at 100k), instead of the ids asked for
IDS_IN_ORDER = (" FROM articles WHERE id IN (SELECT value FROM json_each(?)) "
                "AND +superseded_by IS NULL ORDER BY sort_key")
LOAD = "SELECT id, features" + IDS_IN_ORDER


def stored(conn: sqlite3.Connection) -> Callable[[list[str]], list[Member]]:
    """`Protos.refine`'s loader over the store: current versions, in sort order."""
    def load(ids: list[str]) -> list[Member]:
        return [(aid, json.loads(feats or "{}"))
                for aid, feats in conn.execute(LOAD, (json.dumps(ids),))]
    return load


DAY_FIELDS = ("date", "date_kind", "weekday", "mentioned")  # all that `news_day` reads
LOAD_DAYS = ("SELECT id, " + ", ".join(f"json_extract(features, '$.{k}')" for k in DAY_FIELDS)
             + IDS_IN_ORDER)


def stored_days(conn: sqlite3.Connection) -> Callable[[list[str]], list[Member]]:
    """`stored`, with only the fields `news_day` reads, taken out by SQLite: the move's day
    check needs no more, and parsing whole feature records in Python was most of its cost."""
    def load(ids: list[str]) -> list[Member]:
        return [(aid, {"date": date, "date_kind": kind, "weekday": weekday,
                       "mentioned": json.loads(mentioned) if mentioned else None})
                for aid, date, kind, weekday, mentioned
                in conn.execute(LOAD_DAYS, (json.dumps(ids),))]
    return load
