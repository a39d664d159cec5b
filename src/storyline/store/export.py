"""Export in the DESIGN.md section 5 contract: JSONL, CSV (facts as JSON columns), Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from storyline.model import EXPORT_FIELDS as FIELDS
from storyline.model import FACT_FIELDS
from storyline.store.db import Store
from storyline.store.queries import facts

FACTS = tuple(FACT_FIELDS)
# additions to the contract: the headlines of the article's event and story (their `title`)
GROUP_TITLES = ("event_title", "story_title")


def records(store: Store, batch: int = 500) -> Iterator[dict[str, Any]]:
    """One export record per current (not superseded) article, in publication order."""
    cur = store.conn.execute(f"SELECT {', '.join('a.' + f for f in FIELDS)}, "
                             "e.title AS event_title, s.title AS story_title FROM articles a "
                             "LEFT JOIN events e ON e.id = a.event_id "
                             "LEFT JOIN stories s ON s.id = a.story_id "
                             "WHERE a.superseded_by IS NULL ORDER BY a.sort_key")
    while rows := cur.fetchmany(batch):
        ids = [r["id"] for r in rows]
        grouped: dict[str, dict[str, list[dict[str, Any]]]] = {i: {k: [] for k in FACTS}
                                                              for i in ids}
        for kind in FACTS:
            for fact in facts(store, ids, kind):
                grouped[fact["article_id"]][kind].append(
                    {k: fact[k] for k in FACT_FIELDS[kind]})
        for row in rows:
            rec = dict(row)
            rec["event_id"] = rec["event_id"] or ""
            rec["story_id"] = rec["story_id"] or ""
            rec.update(grouped[row["id"]])
            yield rec


def write(store: Store, fmt: str, out: Path | None, stdout: IO[str]) -> int:
    if fmt == "parquet":
        if out is None:
            raise ValueError("parquet export needs -o FILE")
        return _parquet(store, out)
    fh: IO[str] = out.open("w", encoding="utf-8", newline="") if out else stdout
    try:
        return _jsonl(store, fh) if fmt == "jsonl" else _csv(store, fh)
    finally:
        if out:
            fh.close()


def _jsonl(store: Store, fh: IO[str]) -> int:
    n = 0
    for rec in records(store):
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def _csv(store: Store, fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=[*FIELDS, *GROUP_TITLES, *FACTS])
    writer.writeheader()
    n = 0
    for rec in records(store):
        writer.writerow({**rec, **{k: json.dumps(rec[k], ensure_ascii=False) for k in FACTS}})
        n += 1
    return n


def _parquet(store: Store, out: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(records(store))
    table = pa.Table.from_pylist(rows) if rows else pa.table(
        {f: [] for f in (*FIELDS, *GROUP_TITLES)})
    pq.write_table(table, out)
    return len(rows)
