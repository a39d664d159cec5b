"""Dev harness: dedup + event/story clustering on labelled corpora, the pipeline's way.

    .venv/bin/python scripts/dev_clustering.py /work/shared/corpus/dev [more corpora]
        [--set cluster.x=0.3] [--show] [--refresh]

Reads each corpus.jsonl with the real readers and per-article stages (`stages.run_all`) and
caches the resulting Articles in /tmp, keyed by the stage code and models they came from (a
stale cache once made this harness disagree with the pipeline); --refresh re-runs the stages
anyway. Trying a feature or clustering change then costs seconds. Then featurizes, feeds the
indexes in the store's sort order, writes an export-shaped JSONL and prints the scorers'
tables (one summary line per corpus).
`storyline eval clustering` remains the reference: it goes through the database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

from storyline import ingest, stages
from storyline import settings as settings_mod
from storyline.corpus import features, labels
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.eval import clustering, dedup
from storyline.model import Article
from storyline.store.db import sort_key

CACHE = Path("/tmp/storyline_dev_cache")
PACKAGE = Path(stages.__file__).resolve().parents[1]
UPSTREAM = ("stages", "ingest", "models", "data", "model.py", "settings.py", "defaults.toml")


def fingerprint() -> str:
    """Size and mtime of every file the per-article stages read: a change re-runs them."""
    h = hashlib.sha1()
    for name in UPSTREAM:
        root = PACKAGE / name
        for path in sorted(root.rglob("*") if root.is_dir() else [root]):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                h.update(f"{path.relative_to(PACKAGE)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:12]


def articles(corpus: Path, cfg: settings_mod.Settings, refresh: bool) -> list[Article]:
    """The corpus after all per-article stages, from the cache when it is there."""
    CACHE.mkdir(exist_ok=True)
    stem = corpus.resolve().as_posix().strip("/").replace("/", "_")
    cached = CACHE / f"{stem}-{fingerprint()}.pkl"
    if cached.exists() and not refresh:
        out: list[Article] = pickle.loads(cached.read_bytes())
        return out
    source = corpus / "corpus.jsonl"
    items = ingest.read([str(source if source.exists() else corpus / "corpus")], cfg)
    arts = [stages.run_all(a, cfg) for a in items if isinstance(a, Article)]
    cached.write_bytes(pickle.dumps(arts))
    return arts


def run(arts: list[Article], cfg: settings_mod.Settings, out: Path) -> list[dict[str, Any]]:
    t0 = time.perf_counter()
    feats = {a.id: features.featurize(a, cfg) for a in arts}
    t1 = time.perf_counter()
    dd, si = DedupIndex(cfg), StoryIndex(cfg)
    rows = []
    for art in sorted(arts, key=sort_key):
        dup = dd.add(art.id, feats[art.id])
        ev, st = si.add(art.id, feats[art.id], dup)
        rows.append({"id": art.id, "source_name": art.source_name, "lang": art.lang,
                     "published": feats[art.id]["date"], "duplicate_of": dup, "event_id": ev,
                     "story_id": st, "_feats": feats[art.id]})
    t2 = time.perf_counter()
    print(f"featurize {1000 * (t1 - t0) / max(len(arts), 1):.2f} ms/article, "
          f"indexes {1000 * (t2 - t1) / max(len(arts), 1):.2f} ms/article", file=sys.stderr)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({k: v for k, v in row.items() if k != "_feats"}) + "\n")
    return rows


def show_clusters(rows: list[dict[str, Any]], gold: Path) -> None:
    gold_ev = {r["id"]: r["event"] for r in clustering.read_jsonl(gold)}
    by_event: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_event.setdefault(row["event_id"], []).append(row)
    for ev, members in sorted(by_event.items(), key=lambda kv: kv[1][0]["story_id"]):
        names = " ".join(f"{m['source_name']}:{gold_ev.get(m['source_name'], '?')[:12]}"
                         f"{'*' if m['duplicate_of'] else ''}" for m in members)
        label = labels.label([m["_feats"] for m in members])
        print(f"{members[0]['story_id'][:11]} {ev[:11]} [{label}] {names}")


def summary(gold: Path, out: Path) -> str:
    parts = []
    for level in ("event", "story"):
        res = clustering.score(gold, out, level=level)
        for kind in ("bcubed", "pairwise"):
            m = res[kind]
            parts.append(f"{level[:2]}-{kind[:2]} {m['precision']:.3f}/{m['recall']:.3f}/"
                         f"{m['f1']:.3f}")
    m = dedup.score(gold, out)["pairwise"]
    parts.append(f"dup {m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f}")
    return "  ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora", type=Path, nargs="+")
    ap.add_argument("--set", action="append", default=[], help="section.key=value override")
    ap.add_argument("--show", action="store_true", help="print the predicted clusters")
    ap.add_argument("--refresh", action="store_true", help="re-run the per-article stages")
    args = ap.parse_args()
    overrides = {k: json.loads(v) for k, _, v in (s.partition("=") for s in args.set)}
    cfg = settings_mod.load(**overrides)
    for corpus in args.corpora:
        out = Path(f"/tmp/dev_clustering_{corpus.name}.jsonl")
        rows = run(articles(corpus, cfg, args.refresh), cfg, out)
        gold = corpus / "labels.jsonl"
        if args.show:
            show_clusters(rows, gold)
        print(f"{corpus.name:8} {summary(gold, out)}")


if __name__ == "__main__":
    main()
