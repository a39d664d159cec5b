"""`python -m storyline.bench.grouping --db INGESTED.db [--every 10000] [--batch N]`: the
grouping's cost per article as the corpus grows (issue 12: at most 5 ms per article at 100k,
flat from 10k).

Replays an ingested database's articles in `sort_key` order through `corpus.placing.place`,
the step ingest and backfill both take (`DedupIndex`, then `StoryIndex.add`), and then the
event split (`corpus.split`) as `corpus.assign` runs it: the proto-events each pass of `batch`
articles changed (`Protos.note`) are re-cut at the pass's end (`Protos.refine`, with the
store's features loader), and the stray-member move (`corpus.move.story_moves`) over the
stories the pass touched, as `corpus.assign` runs it after the split. `batch` defaults to
`[ingest] batch_size`; 0 is one pass over all (a single `storyline ingest` run groups once,
at its end). For every slice of `every` articles
it reports the milliseconds per article of each level, with the sizes that could make it
grow: active events and stories (capped by [cluster] max_active), their inverted indexes'
postings, the document-frequency table; and the proto-events cut at the end. One process,
one core, the texts never read: what `storyline ingest`'s parent and a backfill's driver
spend on it. Timed in CPU seconds of this process (`time.process_time`): on a shared machine
wall time measures the other sessions too.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.move import story_moves
from storyline.corpus.placing import place
from storyline.corpus.split import Member, Protos, stored, stored_days
from storyline.settings import Settings

clock = time.process_time
LEVELS = ("events", "dedup", "split", "move")


class Split:
    """The split's side of the replay: one `Protos` per pass, its CPU seconds, and each
    proto-event's latest outcome (cut or not: the last re-cut of a proto-event is what the
    store keeps, the way assign.py's `moved` rewrites earlier passes' members)."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings) -> None:
        self.load, self.settings = stored(conn), settings
        self.protos, self.seconds, self.passes = Protos(), 0.0, 0
        self.cut: dict[str, bool] = {}

    def note(self, events: StoryIndex, article_id: str, event_id: str) -> None:
        started = clock()
        self.protos.note(events.roster, events.follows, article_id, event_id)
        self.seconds += clock() - started

    def refine(self) -> dict[str, str]:
        started = clock()
        split = self.protos.refine(self.load, self.settings)
        self.seconds += clock() - started
        for proto_id, group in self.protos.members.items():
            self.cut[proto_id] = any(split.get(a, proto_id) != proto_id for a in group)
        self.protos, self.passes = Protos(), self.passes + 1
        return split


class Move:
    """The move's side of the replay: every article's event (after the split and earlier
    moves), story and copy group, and after each pass `story_moves` over the members of the
    stories the pass touched (assign.py's `_move_strays`, without its store bookkeeping)."""

    def __init__(self, load: Callable[[list[str]], list[Member]], settings: Settings,
                 days: Callable[[list[str]], list[Member]] | None = None) -> None:
        self.load, self.settings, self.seconds, self.moved = load, settings, 0.0, 0
        self.days = days
        self.placed: dict[str, list[str]] = {}  # article id -> [event, story, copy group]
        self.stories: dict[str, list[str]] = defaultdict(list)
        self.touched: set[str] = set()

    def note(self, aid: str, dup: str | None, event_id: str, story_id: str) -> None:
        self.placed[aid] = [event_id, story_id, dup or aid]
        self.stories[story_id].append(aid)
        self.touched.add(story_id)

    def run(self, split: dict[str, str], renamed: dict[str, str]) -> None:
        """After a pass: stories the re-link joined (StoryIndex.renamed, old -> new) move
        their members first, as assign.py rewrites them."""
        for old, joined in renamed.items():
            for aid in self.stories.pop(old, []):
                self.placed[aid][1] = joined
                self.stories[joined].append(aid)
                self.touched.add(joined)
        self.touched = {renamed.get(st, st) for st in self.touched}
        for aid, event_id in split.items():
            if aid in self.placed:
                self.placed[aid][0] = event_id
                self.touched.add(self.placed[aid][1])
        started = clock()
        members = [(a, *self.placed[a]) for st in sorted(self.touched)
                   for a in self.stories[st]]
        new = story_moves([(a, ev, st, grp) for a, ev, st, grp in members], self.load,
                          self.settings, self.days)
        self.seconds += clock() - started
        for aid, event_id in new.items():
            self.placed[aid][0] = event_id
        self.moved += len(new)
        self.touched = set()


def replay(db: Path, every: int = 10_000, limit: int | None = None,
           batch: int | None = None) -> dict[str, Any]:
    settings = settings_mod.load()
    size = int(settings.get("ingest.batch_size")) if batch is None else batch
    dedup, events = DedupIndex(settings), StoryIndex(settings)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, features FROM articles INDEXED BY articles_sort "
                        "WHERE superseded_by IS NULL "
                        "ORDER BY sort_key" + (f" LIMIT {int(limit)}" if limit else ""))
    split = Split(conn, settings)
    move = Move(split.load, settings, stored_days(conn))
    slices: list[dict[str, Any]] = []
    spent: dict[str, float] = {}
    n, before = 0, {"split": 0.0, "move": 0.0}

    def late() -> dict[str, float]:  # split and move seconds since the last slice
        now = {"split": split.seconds, "move": move.seconds}
        gone = {k: now[k] - before[k] for k in now}
        before.update(now)
        return gone

    for aid, raw in rows:
        feats = json.loads(raw or "{}")
        dup, event_id, story_id = place(dedup, events, aid, feats, feats, spent, clock)
        split.note(events, aid, event_id)
        move.note(aid, dup, event_id, story_id)
        n += 1
        if size and n % size == 0:
            move.run(split.refine(), events.renamed)
        if n % every == 0:
            spent.update(late())
            slices.append(_slice(n, every, spent, events))
            spent = {}
    if split.protos.members:  # the last pass ends with the articles
        move.run(split.refine(), events.renamed)
    if n % every:
        spent.update(late())
        slices.append(_slice(n, n % every, spent, events))
    elif slices:  # the last slice was full: the last pass's cut belongs to it
        for key, seconds in late().items():
            slices[-1][f"{key}_ms"] += 1000 * seconds / every
    conn.close()
    return {"articles": n, "batch": size, "passes": split.passes,
            **{f"{k}_ms_per_article": sum(s[f"{k}_ms"] * s["articles"] for s in slices) / max(1, n)
               for k in LEVELS},
            "proto_events": len(split.cut), "cuts": sum(split.cut.values()),
            "events": len(split.cut) + sum(split.cut.values()), "moved": move.moved,
            "slices": slices}


def _slice(n: int, size: int, spent: dict[str, float], events: StoryIndex) -> dict[str, Any]:
    return {"upto": n, "articles": size,
            **{f"{k}_ms": 1000 * spent.get(k, 0.0) / size for k in LEVELS},
            "active_events": len(events.events.active),
            "active_stories": len(events.stories.active),
            "event_postings": sum(map(len, events.events.postings.values())),
            "story_postings": sum(map(len, events.stories.postings.values())),
            "df_terms": len(events.df.df)}


def table(result: dict[str, Any]) -> str:
    lines = ["| articles up to | StoryIndex.add ms/art | dedup ms/art | split ms/art | "
             "move ms/art | active events | active stories | event postings | df terms |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in result["slices"]:
        lines.append(f"| {s['upto']} | {s['events_ms']:.2f} | {s['dedup_ms']:.2f} | "
                     f"{s['split_ms']:.2f} | {s['move_ms']:.2f} | {s['active_events']} | "
                     f"{s['active_stories']} | {s['event_postings']} | {s['df_terms']} |")
    r = result
    lines.append(f"\n{r['articles']} articles in {r['passes']} pass(es) of {r['batch'] or 'all'}: "
                 f"ms/article events {r['events_ms_per_article']:.2f}, dedup "
                 f"{r['dedup_ms_per_article']:.2f}, split {r['split_ms_per_article']:.2f}, move "
                 f"{r['move_ms_per_article']:.2f}; {r['cuts']} of {r['proto_events']} "
                 f"proto-events cut, {r['moved']} articles moved")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="storyline.bench.grouping")
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--every", type=int, default=10_000)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch", type=int, default=None,
                    help="articles per grouping pass (default [ingest] batch_size; 0: one pass)")
    ap.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    result = replay(args.db, args.every, args.limit, args.batch)
    result["wall"] = time.perf_counter() - started
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    print(table(result))


if __name__ == "__main__":
    main()
