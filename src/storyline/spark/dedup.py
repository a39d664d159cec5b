"""Duplicate candidates and their confirmation in Spark, for the driver's `DedupIndex` walk.

`DedupIndex` (corpus/dedup/index.py) walks the corpus in publication order; for each article it
asks its anchor index (corpus/dedup/anchors.py) for the articles among the `max_entries` latest
that share sampled narrative shingles ("anchors"), ranks them by shared anchors and then
recency, and confirms them with `confirm.confirm` until `MAX_CHECKS` checks, skipping
candidates of a group it has joined already. Only that skipping depends on the groups found
so far; the candidates and each pair's verdict do not. So here, in parallel:

- the sorted corpus is cut into blocks of one window (`max_entries` articles that dedup
  indexes); an article's candidates all lie in its own block or the one before, so each
  block's task fills ingest's own `AnchorIndex` with the previous block, then queries and
  adds its own articles in order, retiring what falls out of each article's window: the
  same candidates, ranked and filtered by dedup's own `keys` and `ranked` (every article is
  indexed twice, once per task);
- the task confirms the first `MAX_VERDICTS` candidates of each article with
  `confirm.confirm`; the driver (`group`) walks them with dedup's own `walk` and
  `dedup.groups.Groups`. An article whose walk would need a later candidate (more than
  `MAX_VERDICTS - MAX_CHECKS` skipped as already joined) counts as `unverified` in the
  report; none did on the corpora measured.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from storyline.corpus.dedup.anchors import AnchorIndex
from storyline.corpus.dedup.confirm import DupRecord, Rules, confirm
from storyline.corpus.dedup.index import fullness, keys, ranked
from storyline.settings import Settings

MAX_VERDICTS = 200  # candidates confirmed per article in the executors
Info = tuple[int, str, str]  # seq (publication order over all articles), id, features JSON


def _valid(item: tuple[tuple[str, str], int]) -> Info | None:
    (aid, raw), seq = item
    return (seq, aid, raw) if DupRecord.of(json.loads(raw or "{}")) is not None else None


def checks(spark: Any, current: Any, settings: Settings) -> tuple[Any, Any]:
    """DataFrame (id, checks JSON) for every article DedupIndex indexes: its fullness and its
    ranked candidates as [id, fullness, seq, verdict] (the cached RDD to unpersist after)."""
    window = int(settings.section("dedup").get("max_entries", 10_000))
    rules = Rules.of(settings)
    parts = int(spark.conf.get("spark.sql.shuffle.partitions"))
    ordered = current.select("sort_key", "id", "features").rdd \
        .map(lambda r: (r[0], (r[1], r[2]))).sortByKey(numPartitions=parts).values() \
        .zipWithIndex()
    recs = ordered.map(_valid).filter(lambda x: x is not None).zipWithIndex().persist()
    blocks = recs.flatMap(lambda iv: [(iv[1] // window, (iv[1], iv[0], True)),
                                      (iv[1] // window + 1, (iv[1], iv[0], False))])
    found = blocks.groupByKey(max(1, min(parts, recs.count() // window + 2))) \
        .flatMap(lambda kv: _block(kv[1], window, rules))
    return spark.createDataFrame(found, "id string, checks string"), recs


def _block(items: Iterable[tuple[int, Info, bool]], window: int,
           rules: Rules) -> Iterator[tuple[str, str]]:
    """One window's articles (`own`) after the window before them: each own article's
    fullness and its ranked candidates with their verdicts."""
    rows = sorted(items, key=lambda it: it[0])
    records = {pos: DupRecord.of(json.loads(info[2] or "{}")) for pos, info, _ in rows}
    info = {pos: inf for pos, inf, _ in rows}
    index = AnchorIndex()
    posted: dict[int, int] = {}  # position -> its anchor count, within the window
    for pos, (_, aid, _), own in rows:
        record = records[pos]
        assert record is not None  # only valid records are posted
        found = keys(record)
        if own:
            index.retire_before(pos - window)
            seqs, counts = index.query(found)
            least = pos - window

            def anchors_of(at: int, least: int = least) -> int | None:
                return posted.get(at) if at >= least else None

            order = list(islice(ranked(seqs, counts, len(found), anchors_of, rules),
                                MAX_VERDICTS + 1))
            out = [[info[x][1], fullness(records[x]), info[x][0],  # type: ignore[arg-type]
                    bool(confirm(record, records[x], rules).duplicate)]  # type: ignore[arg-type]
                   for x in order[:MAX_VERDICTS]]
            yield aid, json.dumps({"full": fullness(record), "ranked": out,
                                   "more": len(order) > MAX_VERDICTS}, separators=(",", ":"))
        index.add(pos, found)
        posted[pos] = len(found)
