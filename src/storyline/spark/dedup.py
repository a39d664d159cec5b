"""Duplicate candidates and their confirmation in Spark, for the driver's `DedupIndex` pass.

`DedupIndex` (corpus/dedup.py) walks the corpus in publication order; for each article it
asks its anchor index (corpus/anchors.py) for the in-window articles sharing sampled
narrative shingles ("anchors"; per anchor the `MAX_POSTINGS` latest), ranks them by shared
anchors and then recency, and confirms them with `confirm.confirm` until `MAX_CHECKS` checks,
skipping candidates of a group it has joined already. Only that last part depends on the
groups found so far. So here, in parallel:

1. the anchor postings are shuffled on the anchor; in each anchor's list (publication order)
   an article's candidates are the `MAX_POSTINGS` latest before it inside the window of the
   `max_entries` latest articles, exactly what the index query returns; shared anchors are
   counted with a reduce;
2. every candidate pair is confirmed with `confirm.confirm` where both records are: the
   sorted corpus is cut into blocks of `max_entries` articles, and a candidate is at most one
   window back, so an article's block and the one before hold every pair;
3. the driver (`group`) walks the ranked, confirmed candidates with `DedupIndex`'s own loop
   and `dupgroups.Groups`, so the groups are the ones ingest finds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from operator import add
from typing import Any

from storyline.corpus.anchors import MAX_POSTINGS, anchors
from storyline.corpus.confirm import DupRecord, Rules, confirm
from storyline.settings import Settings

Info = tuple[int, str, int, str]  # seq, id, fullness, features JSON


def _valid(item: tuple[tuple[str, str], int]) -> tuple[Info, list[int]] | None:
    (aid, raw), seq = item
    record = DupRecord.of(json.loads(raw or "{}"))
    if record is None:
        return None
    return (seq, aid, len(record.narrative), raw), [int(a) for a in anchors(record.narrative)]


def checks(spark: Any, current: Any, settings: Settings) -> Any:
    """DataFrame (id, checks JSON) for every article DedupIndex indexes: its fullness and its
    ranked candidates as [id, fullness, seq, confirmed]."""
    window = int(settings.section("dedup").get("max_entries", 10_000))
    rules = Rules.of(settings)
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))
    ordered = current.select("sort_key", "id", "features").rdd \
        .map(lambda r: (r[0], (r[1], r[2]))).sortByKey(numPartitions=parts).values() \
        .zipWithIndex()
    recs = ordered.map(_valid).filter(lambda x: x is not None).zipWithIndex() \
        .map(lambda rv: (rv[1], rv[0])).persist()  # (vpos, (info, anchors))
    postings = recs.flatMap(lambda vr: [(a, vr[0]) for a in vr[1][1]])
    shared = postings.groupByKey(parts).flatMap(lambda kv: _latest(sorted(kv[1]), window)) \
        .reduceByKey(add, parts)
    ranked = shared.map(lambda kn: (kn[0][0], (kn[1], kn[0][1]))).groupByKey(parts) \
        .mapValues(lambda xs: [x for _, x in sorted(xs, key=lambda nx: (-nx[0], -nx[1]))])
    blocks = recs.flatMap(lambda vr: [(vr[0] // window, ("f", vr[0], vr[1][0], True)),
                                      (vr[0] // window + 1, ("f", vr[0], vr[1][0], False))])
    asks = ranked.map(lambda kv: (kv[0] // window, ("c", kv[0], kv[1])))
    found = blocks.union(asks).groupByKey(parts).flatMap(lambda kv: _confirm(kv[1], rules))
    out = spark.createDataFrame(found, "id string, checks string")
    return out, recs


def _latest(members: list[int], window: int) -> Iterator[tuple[tuple[int, int], int]]:
    """((article, candidate), 1) for one anchor's postings (window positions, sorted): the
    MAX_POSTINGS latest earlier postings inside the article's window."""
    for k, pos in enumerate(members):
        for earlier in members[max(0, k - MAX_POSTINGS):k]:
            if earlier >= pos - window:
                yield (pos, earlier), 1


def _confirm(items: Iterable[tuple[Any, ...]], rules: Rules) -> Iterator[tuple[str, str]]:
    """In one block: each own article's fullness and confirmed, ranked candidates."""
    info: dict[int, Info] = {}
    own: list[int] = []
    asks: dict[int, list[int]] = {}
    for item in items:
        if item[0] == "f":
            info[item[1]] = item[2]
            if item[3]:
                own.append(item[1])
        else:
            asks[item[1]] = item[2]
    records: dict[int, DupRecord] = {}

    def record(pos: int) -> DupRecord:
        if pos not in records:
            found = DupRecord.of(json.loads(info[pos][3] or "{}"))
            assert found is not None  # only valid records were posted
            records[pos] = found
        return records[pos]

    for pos in own:
        seq, aid, full, _ = info[pos]
        mine = record(pos) if asks.get(pos) else None
        ranked = [[info[x][1], info[x][2], info[x][0],
                   bool(confirm(mine, record(x), rules).duplicate) if mine else False]
                  for x in asks.get(pos, [])]
        yield aid, json.dumps({"full": full, "ranked": ranked}, separators=(",", ":"))
