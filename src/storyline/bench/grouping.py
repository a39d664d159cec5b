"""`python -m storyline.bench.grouping --db INGESTED.db [--every 10000]`: the grouping's cost
per article as the corpus grows (issue 12: at most 5 ms per article at 100k, flat from 10k).

Replays an ingested database's articles in `sort_key` order through `corpus.placing.place`,
the step ingest and backfill both take (`DedupIndex`, then `StoryIndex.add`), and reports for
every slice of `every` articles the milliseconds per article of each level, with the sizes
that could make it grow: active events and stories (capped by [cluster] max_active), their
inverted indexes' postings, the document-frequency table. One process, one core, the texts
never read: what `storyline ingest`'s parent and a backfill's driver spend on it. Timed in
CPU seconds of this process (`time.process_time`): on a shared machine wall time measures
the other sessions too.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import place


def replay(db: Path, every: int = 10_000, limit: int | None = None) -> dict[str, Any]:
    settings = settings_mod.load()
    dedup, events = DedupIndex(settings), StoryIndex(settings)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, features FROM articles WHERE superseded_by IS NULL "
                        "ORDER BY sort_key" + (f" LIMIT {int(limit)}" if limit else ""))
    slices: list[dict[str, Any]] = []
    spent: dict[str, float] = {}
    n = 0
    for aid, raw in rows:
        feats = json.loads(raw or "{}")
        place(dedup, events, aid, feats, feats, spent, time.process_time)
        n += 1
        if n % every == 0:
            slices.append(_slice(n, every, spent, events))
            spent = {}
    if n % every:
        slices.append(_slice(n, n % every, spent, events))
    conn.close()
    total = sum(s["events_ms"] * s["articles"] for s in slices) / max(1, n)
    return {"articles": n, "events_ms_per_article": total, "slices": slices}


def _slice(n: int, size: int, spent: dict[str, float], events: StoryIndex) -> dict[str, Any]:
    return {"upto": n, "articles": size,
            "events_ms": 1000 * spent.get("events", 0.0) / size,
            "dedup_ms": 1000 * spent.get("dedup", 0.0) / size,
            "active_events": len(events.events.active),
            "active_stories": len(events.stories.active),
            "event_postings": sum(map(len, events.events.postings.values())),
            "story_postings": sum(map(len, events.stories.postings.values())),
            "df_terms": len(events.df.df)}


def table(result: dict[str, Any]) -> str:
    lines = ["| articles up to | StoryIndex.add ms/art | dedup ms/art | active events | "
             "active stories | event postings | df terms |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for s in result["slices"]:
        lines.append(f"| {s['upto']} | {s['events_ms']:.2f} | {s['dedup_ms']:.2f} | "
                     f"{s['active_events']} | {s['active_stories']} | {s['event_postings']} | "
                     f"{s['df_terms']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="storyline.bench.grouping")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    result = replay(args.db, args.every, args.limit)
    result["wall"] = time.perf_counter() - started
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    print(table(result))


if __name__ == "__main__":
    main()
