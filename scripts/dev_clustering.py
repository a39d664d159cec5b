"""Dev harness: dedup + event/story clustering on a labelled corpus, then the scorers.

    .venv/bin/python scripts/dev_clustering.py /work/shared/corpus/dev [--set cluster.x=0.3]

Reads corpus.jsonl directly (no database), runs the per-article stages that exist (clean,
language, pubdate, entities; whichever import), featurizes, feeds the indexes in
(date, -length, id) order, writes an export-shaped JSONL and prints the scores.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus import features, labels
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.eval import clustering, dedup
from storyline.model import Article

_FAILED: set[str] = set()
_HEADER = re.compile(r"\A\s*date (\d{4}-\d{2})\b[ \t]*")


def _stage(name: str) -> Any:
    try:
        return importlib.import_module(f"storyline.stages.{name}")
    except ImportError:
        return None


def build(rec: dict[str, Any], stages: list[Any], cfg: settings_mod.Settings) -> Article:
    art = Article(source=str(rec["id"]), raw_text=rec["text"], source_name=str(rec["id"]),
                  url=rec.get("url"), outlet=rec.get("outlet"))
    for stage in stages:
        try:
            art = stage.run(art, cfg)
        except Exception as exc:  # a stage in progress must not stop the harness
            if stage.__name__ not in _FAILED:
                print(f"stage {stage.__name__} failed on {rec['id']}: {exc}", file=sys.stderr)
            _FAILED.add(stage.__name__)
    if not art.text:  # no clean stage: strip the crawl header ourselves
        m = _HEADER.match(art.raw_text)
        art.crawl_month = m.group(1) if m else art.crawl_month
        art.text = art.raw_text[m.end():] if m else art.raw_text
    if art.lang == "und":
        import py3langid
        art.lang = py3langid.classify(art.text)[0]
    return art


def sort_key(item: tuple[Article, dict[str, Any]], undated_first: bool) -> str:
    """The store's order: date (a month sorts before its days), longer text first, id."""
    art, feats = item
    when = feats["date"] or ("0000" if undated_first else "9999")
    return f"{when:<10}|{10**9 - len(art.text):010d}|{art.id}"


def run(corpus: Path, cfg: settings_mod.Settings, out: Path, undated_first: bool,
        stage_names: list[str]) -> list[dict[str, Any]]:
    stages = [m for m in (_stage(n) for n in stage_names) if m is not None]
    print("stages:", [s.__name__.rsplit(".", 1)[-1] for s in stages], file=sys.stderr)
    t0 = time.time()
    arts = [build(json.loads(line), stages, cfg)
            for line in (corpus / "corpus.jsonl").open(encoding="utf-8") if line.strip()]
    items = sorted(((a, features.featurize(a, cfg)) for a in arts),
                   key=lambda it: sort_key(it, undated_first))
    t1 = time.time()
    dd, si = DedupIndex(cfg), StoryIndex(cfg)
    rows = []
    for art, feats in items:
        dup = dd.add(art.id, feats)
        ev, st = si.add(art.id, feats, dup)
        rows.append({"id": art.id, "source_name": art.source_name, "lang": art.lang,
                     "published": feats["date"], "duplicate_of": dup, "event_id": ev,
                     "story_id": st, "_feats": feats})
    t2 = time.time()
    print(f"stages+features {t1 - t0:.1f}s, indexes {t2 - t1:.2f}s", file=sys.stderr)
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
                         for m in members)
        label = labels.label([m["_feats"] for m in members])
        print(f"{members[0]['story_id'][:11]} {ev[:11]} [{label}] {names}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--out", type=Path, default=Path("/tmp/dev_clustering_export.jsonl"))
    ap.add_argument("--set", action="append", default=[], help="section.key=value override")
    ap.add_argument("--undated-first", action="store_true")
    ap.add_argument("--stages", default="clean,language,pubdate,entities")
    ap.add_argument("--show", action="store_true", help="print the predicted clusters")
    args = ap.parse_args()
    overrides = {k: json.loads(v) for k, _, v in (s.partition("=") for s in args.set)}
    cfg = settings_mod.load(**overrides)
    rows = run(args.corpus, cfg, args.out, args.undated_first, args.stages.split(","))
    gold = args.corpus / "labels.jsonl"
    if args.show:
        show_clusters(rows, gold)
    for level in ("event", "story"):
        print(clustering.report(clustering.score(gold, args.out, level=level)))
    print(dedup.report(dedup.score(gold, args.out)))


if __name__ == "__main__":
    main()
