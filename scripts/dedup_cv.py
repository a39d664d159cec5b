"""Story-held-out cross-validation of the dedup decision rule (issue 12).

    .venv/bin/python scripts/dedup_cv.py [--corpora dev,dev-bi,dev-2,dev-3]

Ingests each labeled corpus in ../shared/corpus with the full pipeline (a temporary
database), then, for a small grid of `[dedup]` rule values, decides every candidate pair with
`storyline.corpus.dedup.confirm.confirm` (the function ingest uses) and closes the groups
transitively. Each story is scored by the rule values that are best (pairwise F1, micro) on
all *other* stories: the figure that predicts unseen news. Prints the held-out P/R/F1 per
corpus, per story, which values each fold chose, and the in-sample scores of the shipped
defaults. Nothing is learned or shipped from the labels (the corpora's licence forbids
training on them): the grid only chooses among a handful of thresholds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus.dedup.confirm import DupRecord, Rules, confirm, exact_containment
from storyline.eval.runner import build_export

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
Unit = tuple[str, str]  # (corpus, story)
Counts = tuple[int, int, int]  # true positive, false positive, false negative pairs


def grid(base: Rules) -> list[Rules]:
    values = itertools.product((0.25, 0.3, 0.35), (0.15, 0.2, 0.25), (0.1, 0.15, 0.2),
                               (0.4, 0.5, 0.6, 1.01), (2, 3, 4), (0.5, 0.6))
    rules = [Rules(min_containment=c, min_narrative=n, sentence_floor=f,
                   min_sentence_share=share, min_sentences=k, sentence_dice=d)
             for c, n, f, share, k, d in values if f < c]
    return [base] + [r for r in rules if r != base]


def load(corpus: str, settings: settings_mod.Settings, work: Path) -> dict[str, Any]:
    """The corpus ingested end to end: feature records and labels by article id."""
    out = work / corpus
    out.mkdir()
    build_export([str(SHARED / corpus / "corpus.jsonl")], settings, out, workers=2)
    with sqlite3.connect(out / "eval.db") as db:
        feats = {sn: json.loads(f) for sn, f in
                 db.execute("SELECT source_name, features FROM articles")}
    labels = {r["id"]: r for r in map(json.loads, (SHARED / corpus / "labels.jsonl").open())}
    records = {k: DupRecord.of(v) for k, v in feats.items()}
    return {"records": records, "labels": labels}


def candidate_pairs(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Pairs of one story that any rule of the grid could call copies (some shared text)."""
    recs, labels = data["records"], data["labels"]
    out = []
    for a, b in itertools.combinations(sorted(recs), 2):
        ra, rb = recs[a], recs[b]
        if ra is None or rb is None or labels[a]["story"] != labels[b]["story"]:
            continue
        if max(exact_containment(ra.hashes, rb.hashes),
               exact_containment(ra.narrative, rb.narrative)) >= 0.1:
            out.append((a, b))
    return out


def score_unit(data: dict[str, Any], story: str, pairs: list[tuple[str, str]],
               rules: Rules) -> Counts:
    labels, recs = data["labels"], data["records"]
    ids = [k for k, g in labels.items() if g["story"] == story]
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs:
        if labels[a]["story"] == story and confirm(recs[a], recs[b], rules).duplicate:
            parent[root(a)] = root(b)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        gold = labels[a]["dup_group"] is not None and labels[a]["dup_group"] == \
            labels[b]["dup_group"]
        same = root(a) == root(b)
        tp, fp, fn = tp + (gold and same), fp + (same and not gold), fn + (gold and not same)
    return tp, fp, fn


def prf(c: Counts) -> tuple[float, float, float]:
    tp, fp, fn = c
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def total(table: dict[Unit, Counts], units: list[Unit]) -> Counts:
    return (sum(table[u][0] for u in units), sum(table[u][1] for u in units),
            sum(table[u][2] for u in units))


def fmt(c: Counts) -> str:
    p, r, f = prf(c)
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {c[0]}, fp {c[1]}, fn {c[2]})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="dev,dev-bi,dev-2,dev-3")
    corpora = ap.parse_args().corpora.split(",")
    settings = settings_mod.load()
    base = Rules.of(settings)
    rules = grid(base)
    tables: dict[Rules, dict[Unit, Counts]] = {r: {} for r in rules}
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in corpora:
            data = load(corpus, settings, Path(tmp))
            pairs = candidate_pairs(data)
            for story in sorted({g["story"] for g in data["labels"].values()}):
                for r in rules:
                    tables[r][(corpus, story)] = score_unit(data, story, pairs, r)
    units = sorted(tables[base])
    held: dict[Unit, Counts] = {}
    chosen: dict[Unit, Rules] = {}
    for unit in units:
        train = [u for u in units if u != unit]
        best = max(rules, key=lambda r: (prf(total(tables[r], train))[2], -rules.index(r)))
        chosen[unit], held[unit] = best, tables[best][unit]
    print("story-held-out cross-validation, pairwise duplicates")
    for corpus in corpora:
        print(f"  {corpus:7s} {fmt(total(held, [u for u in units if u[0] == corpus]))}")
    print(f"  {'all':7s} {fmt(total(held, units))}")
    print("per story (held out)")
    for unit in units:
        if any(held[unit]):
            print(f"  {unit[0]:7s} {unit[1]:32s} {fmt(held[unit])}")
    print("shipped defaults, in sample")
    for corpus in corpora:
        print(f"  {corpus:7s} {fmt(total(tables[base], [u for u in units if u[0] == corpus]))}")
    print("rules chosen by the folds")
    for r, n in Counter(chosen.values()).most_common():
        print(f"  {n:3d} folds  {'(shipped) ' if r == base else ''}{r}")


if __name__ == "__main__":
    main()
