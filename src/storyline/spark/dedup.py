"""Duplicate candidates from MinHash bands in Spark, confirmed as `DedupIndex` confirms them.

`DedupIndex` (corpus/dedup.py) walks the corpus in publication order with a datasketch LSH
over the latest `max_entries` signatures and checks the `MAX_CHECKS` most recent candidates
of each article exactly (shingle containment, and the lead rule for one outlet's pieces).
The same answers, computed in parallel:

1. every signature is cut into datasketch's bands (the `b` x `r` it picks for the
   threshold); a shuffle on (band, values) gives the groups of articles that share one;
2. in each band group, an article's candidates are the members before it in the window,
   at most `MAX_CHECKS` of them: the `MAX_CHECKS` most recent candidates over all bands are
   always among those (any member between such a candidate and the article is a more recent
   candidate too), so the union over bands, cut to the most recent `MAX_CHECKS`, is exactly
   what the index would check;
3. the checks run where both texts' shingle hashes are: the sorted corpus is cut into blocks
   of `max_entries` articles, and since a candidate is at most `max_entries` back, the block
   of an article and the one before hold every pair (each article's hashes travel twice);
4. each article keeps its best confirmed candidate (highest containment, then the earliest),
   and the driver resolves chains to the canonical id in publication order (`group`).
Hand-written rather than Spark ML's MinHashLSH: that one hashes with its own permutations
and bands, so it would neither reuse the stored signatures nor give ingest's candidates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from datasketch import MinHashLSH

from storyline.corpus.dedup import DEFAULTS, MAX_CHECKS, containment, exact_containment, new_lead
from storyline.corpus.features import unpack_hashes
from storyline.settings import Settings

Record = tuple[str, list[int], int, str, str, str]  # id, sig, shingles, hashes, outlet, lead


def config(settings: Settings) -> dict[str, Any]:
    cfg = {**DEFAULTS, **settings.section("dedup")}
    lsh = MinHashLSH(threshold=float(cfg["threshold"]), num_perm=int(cfg["num_perm"]))
    return {"num_perm": int(cfg["num_perm"]), "b": lsh.b, "r": lsh.r,
            "min_containment": float(cfg["min_containment"]),
            "window": int(cfg["max_entries"])}


def _record(row: Any, num_perm: int) -> tuple[str, Record] | None:
    """(sort key, record) of an article DedupIndex would index, else None."""
    feats = json.loads(row["features"] or "{}")
    sig, size = feats.get("minhash") or [], int(feats.get("shingles") or 0)
    if len(sig) != num_perm or size <= 0:
        return None
    return row["sort_key"], (row["id"], sig, size, feats.get("shingle_hashes") or "",
                             str(feats.get("outlet") or ""), feats.get("lead_shingles") or "")


def copies(spark: Any, current: Any, settings: Settings) -> dict[str, str]:
    """article id -> id of the earlier article it copies (its best confirmed candidate)."""
    cfg = config(settings)
    num_perm, b, r, window = cfg["num_perm"], cfg["b"], cfg["r"], cfg["window"]
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))
    parsed = current.select("id", "sort_key", "features").rdd \
        .map(lambda row: _record(row, num_perm)).filter(lambda x: x is not None)
    ordered = parsed.sortByKey(numPartitions=parts).values().zipWithIndex() \
        .map(lambda rp: (rp[1], rp[0]))
    ordered = ordered.persist()
    bands = ordered.flatMap(lambda pr: [((i, tuple(pr[1][1][i * r:(i + 1) * r])), pr[0])
                                        for i in range(b)])
    candidates = bands.groupByKey(parts).flatMap(lambda kv: _pairs(sorted(kv[1]), window)) \
        .groupByKey(parts).mapValues(lambda xs: sorted(set(xs))[-MAX_CHECKS:])
    blocks = ordered.flatMap(lambda pr: [(pr[0] // window, ("f", pr[0], pr[1])),
                                         (pr[0] // window + 1, ("f", pr[0], pr[1]))])
    asks = candidates.map(lambda kv: (kv[0] // window, ("c", kv[0], kv[1])))
    minimum = cfg["min_containment"]
    found = blocks.union(asks).groupByKey(parts).flatMap(lambda kv: _confirm(kv[1], minimum))
    result = dict(found.collect())
    ordered.unpersist()
    return result


def _pairs(members: list[int], window: int) -> Iterator[tuple[int, int]]:
    """(article, candidate) for each member of one band group (positions, sorted)."""
    for k, pos in enumerate(members):
        for earlier in members[max(0, k - MAX_CHECKS):k]:
            if earlier >= pos - window:
                yield pos, earlier


def _confirm(items: Iterable[tuple[Any, ...]], minimum: float) -> Iterator[tuple[str, str]]:
    """In one block: each asking article's best confirmed candidate."""
    recs: dict[int, Record] = {}
    asks: list[tuple[int, list[int]]] = []
    for item in items:
        if item[0] == "f":
            recs[item[1]] = item[2]
        else:
            asks.append((item[1], item[2]))
    unpacked: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def hashes(pos: int) -> tuple[np.ndarray, np.ndarray]:
        if pos not in unpacked:
            rec = recs[pos]
            unpacked[pos] = unpack_hashes(rec[3]), unpack_hashes(rec[5])
        return unpacked[pos]

    for pos, cands in asks:
        rec = recs[pos]
        best = _best(pos, rec, cands, recs, hashes, minimum)
        if best is not None:
            yield rec[0], recs[best][0]


def _best(pos: int, rec: Record, cands: list[int], recs: dict[int, Record], hashes: Any,
          minimum: float) -> int | None:
    """`DedupIndex.check`'s choice among the candidates (positions, most recent last)."""
    mine, lead = hashes(pos)
    sig = np.asarray(rec[1], dtype=np.uint64)
    best: tuple[float, int, int] | None = None
    for cand in reversed(cands):
        other = recs[cand]
        theirs, their_lead = hashes(cand)
        if len(mine) and len(theirs):
            score = exact_containment(mine, theirs)
        else:
            same = np.count_nonzero(sig == np.asarray(other[1], dtype=np.uint64)) / len(sig)
            score = containment(float(same), rec[2], other[2])
        if score < minimum or (rec[4] and rec[4] == other[4]
                               and new_lead(lead, mine, their_lead, theirs, minimum)):
            continue
        if best is None or (score, -cand) > best[:2]:
            best = (score, -cand, cand)
    return best[2] if best else None
