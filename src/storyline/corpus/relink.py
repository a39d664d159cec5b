"""Story re-link: a young story that the online index opened apart joins the story it belongs to.

The index (corpus/events.py) takes an event's story decision once, at the event's first
article. A first report that shares no name or word with its story's earlier reports (a
memorial teaser after the crash reports) opens a story of its own and stays there, however
many reports that clearly belong to the older story it gathers later. So whenever a story
grows to one of a few sizes (2, 3, 4, 6, 8, 12, 16, ...: every story is looked at a handful
of times, so the cost per article stays flat), its whole centroid, the summed member terms,
is compared with the other active stories' centroids, and it joins the best one when

- the centroid cosine (same language, or the shared vocabulary across languages) relative to
  `relink_threshold` (`relink_cross` across languages), times the time factor, is >= 1;
- the two share a name (vectors.shares_a_name) and at least `relink_min_words` words: number
  keys and generic words never link stories on their own;
- the other story has `relink_target_size` articles at least: a story of one article is that
  article, judged by the index's own rule when it came (on 990 unrelated web pages, a
  chain of tech pages otherwise joined a lone Python page, then another).

The time factor is the story window's decay over the gap between the exact publication days
of the two sides; a crawl month is only an upper bound (a page crawled in 2018 was published
by then, perhaps years earlier), so it lowers the factor only where an exact date lies past
it (`Span.bound_gap`), or down to `relink_soft_floor` where soft months lie apart.

It runs inside the online pass, in sort order, on the index's own clusters: a pure function of
the articles in order, so ingest batches, a replay and the Spark backfill's driver pass
(which places through the same `StoryIndex`) give the same stories. A joined story's id is
retired; `StoryIndex.renamed` records old -> new for the pass, and `corpus.assign` rewrites
the stored rows of earlier passes. The values were chosen by story-held-out cross-validation
(scripts/relink_cv.py); nothing is learned from texts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from storyline.corpus.stories import Cluster, Span, decay
from storyline.corpus.vectors import Query, centroid, shares_a_name, word_of

if TYPE_CHECKING:
    from storyline.corpus.events import StoryIndex

DEFAULTS: dict[str, Any] = {
    "story_relink": True, "relink_threshold": 0.3, "relink_cross": 0.32,
    "relink_min_size": 3, "relink_min_words": 3, "relink_soft_floor": 1.0,
    "relink_target_size": 4,
}
LATER_FLOOR = 0.28  # the online story level's floor (soft_date_floor x its threshold ratio)
CANDIDATES = 10  # stories compared per look, those sharing most index terms (cost per look)
MAX_RECORDED = 200  # article ids kept per re-link for `storyline why` (a bounded record)


def settings_of(section: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: v for k, v in section.items() if k in DEFAULTS}}


def checkpoint(size: int) -> bool:
    """Sizes at which a story is looked at again: 2, 3, 4, then 6, 8, 12, 16, 24, 32, ..."""
    if size < 2:
        return False
    top = 1 << (size.bit_length() - 1)  # the largest power of two up to size
    return size <= 4 or size in (top, top + top // 2)


def time_factor(a: Span, b: Span, window: int, soft_floor: float,
                later: bool = False) -> float:
    """Exact days decide where both sides have them; else a crawl month bounds from above
    only, and soft months apart lower the factor no further than `soft_floor` (`later`:
    a side's texts name a year after the other's days, so its months are taken as they
    are, down to `LATER_FLOOR`)."""
    if None not in (a.lo, a.hi, b.lo, b.hi):
        return decay(max(0, b.lo - a.hi, a.lo - b.hi), window)  # type: ignore[operator]
    factor = decay(a.bound_gap(b), window)
    soft_floor = min(soft_floor, LATER_FLOOR) if later else soft_floor
    if soft_floor < 1.0:
        a_lo, a_hi = (a.lo, a.hi) if a.lo is not None else (a.any_lo, a.any_hi)
        b_lo, b_hi = (b.lo, b.hi) if b.lo is not None else (b.any_lo, b.any_hi)
        if None not in (a_lo, a_hi, b_lo, b_hi):
            gap = max(0, b_lo - a_hi, a_lo - b_hi)  # type: ignore[operator]
            factor = min(factor, max(soft_floor, decay(gap, window)))
    return factor


def years(cl: Cluster) -> set[int]:
    """The years a story's texts name (number keys "#1990" to "#2099")."""
    return {int(t[1:]) for terms in cl.terms.values() for t in terms
            if len(t) == 5 and t[0] == "#" and t[1:].isdigit() and 1900 <= int(t[1:]) < 2100}


def year_of(day: int | None) -> int | None:
    return date.fromordinal(day).year if day else None


def names_later_year(a: Cluster, b: Cluster) -> bool:
    """Whether a's texts name a year after b's last day and no later than a's own last
    (exact or crawl) month: a looks back on b's time from years later (a re-election recalls
    the election), where a late crawl month alone (a 2011 report crawled in 2018) names no
    such year, and a year after every date of a (a plan "by 2030") is no evidence."""
    last, bound = year_of(b.span.hi or b.span.any_hi), year_of(a.span.any_hi)
    return last is not None and bound is not None and \
        any(last < y <= bound for y in years(a))


def queries(story: Cluster, index: StoryIndex) -> list[Query]:
    """The story's centroid per language as a query, the largest language first."""
    out = []
    for lang, terms in sorted(story.terms.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(Query(centroid(terms, index.df), lang, index.df))
    return out


def words_shared(a: Cluster, b: Cluster) -> int:
    """Distinct words (events.shared_words' rule: no number keys, months or scraps) both
    stories' centroids hold, in any language."""
    mine = {w for terms in a.terms.values() for t in terms if (w := word_of(t))}
    theirs = {w for terms in b.terms.values() for t in terms if (w := word_of(t))}
    return len(mine & theirs)


def score(story: Cluster, other: Cluster, qs: list[Query], cfg: dict[str, Any],
          window: int) -> tuple[float, float]:
    """(relative score: >= 1 links, the similarity it came from). The later-year check reads
    every term of both stories, so it runs only where the score would link without it (it
    can only lower the time factor)."""
    same_t, cross_t = float(cfg["relink_threshold"]), float(cfg["relink_cross"])
    floor = float(cfg["relink_soft_floor"])
    factor = time_factor(story.span, other.span, window, floor)
    if max(1 / same_t, 1 / cross_t) * factor < 1.0:
        return 0.0, 0.0
    rel, sim = 0.0, 0.0
    for q in qs:
        same, cross = other.similarity(q)
        if max(same / same_t, cross / cross_t) > rel:
            rel, sim = max(same / same_t, cross / cross_t), max(same, cross)
    if rel * factor >= 1.0 and (names_later_year(story, other) or
                                names_later_year(other, story)):
        factor = time_factor(story.span, other.span, window, floor, later=True)
    return rel * factor, sim


def find(story: Cluster, index: StoryIndex, cfg: dict[str, Any]) -> tuple[Cluster, float] | None:
    """The story `story` belongs to, with its score, or None."""
    level = index.stories
    qs = queries(story, index)
    if not qs:
        return None
    found: tuple[float, int, Cluster] | None = None
    for other in level.candidates(qs[0], int(index.cfg["query_terms"]), CANDIDATES + 1):
        if other.id == story.id or other.size < int(cfg["relink_target_size"]):
            continue
        rel, _ = score(story, other, qs, cfg, level.window)
        if rel >= 1.0 and (found is None or (rel, other.seq) > found[:2]) and \
                words_shared(story, other) >= int(cfg["relink_min_words"]) and \
                any(shares_a_name(other.terms.values(), q) for q in qs):
            found = (rel, other.seq, other)
    return (found[2], found[0]) if found else None


def relink(index: StoryIndex, story: Cluster) -> str | None:
    """After `story` grew: join it to the story it belongs to when the evidence is clear.
    Returns the id it joined, or None."""
    if not checkpoint(story.size):  # first: most articles stop here, at no cost
        return None
    cfg = settings_of(index.cfg)
    if not cfg["story_relink"] or story.size < int(cfg["relink_min_size"]):
        return None
    hit = find(story, index, cfg)
    if hit is None:
        return None
    target, rel = hit
    members = [a for ev in index.events.active.values() if ev.parent == story.id
               for a in index.roster.get(ev.id, ())]
    merge(index, story, target)
    index.relinks[story.id] = [target.id, round(rel, 4), members[:MAX_RECORDED]]
    return target.id


def merge(index: StoryIndex, story: Cluster, target: Cluster) -> None:
    """`target` takes `story`'s terms, span and events; `story` leaves the index."""
    for lang, terms in story.terms.items():
        target.add_terms(lang, terms)
    target.span.merge(story.span)
    target.size += story.size
    target.seq = max(target.seq, story.seq)
    level = index.stories
    for key in story.keys:
        level.postings.get(key, set()).discard(story.id)
    level.active.pop(story.id, None)
    level.update(target, index.df)
    for ev in index.events.active.values():
        if ev.parent == story.id:
            ev.parent = target.id
    for old, new in list(index.renamed.items()):
        if new == story.id:
            index.renamed[old] = target.id
    index.renamed[story.id] = target.id
