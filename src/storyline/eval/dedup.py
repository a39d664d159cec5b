"""Duplicate grouping scores: pairwise P/R/F1 over article pairs in the same group.

Gold groups are the labels' `dup_group` (null: the article is in no group); predicted groups
follow the export's `duplicate_of` chains to their canonical article.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storyline.eval.clustering import join_key, pairwise, read_jsonl


def predicted_groups(export: Path) -> dict[str, str]:
    """Join key -> the join key of the canonical article its duplicate_of chain ends at."""
    by_id: dict[str, str] = {}
    parent: dict[str, str | None] = {}
    for rec in read_jsonl(export):
        key = join_key(str(rec.get("source_name") or rec.get("id")))
        by_id[str(rec.get("id") or key)] = key
        parent[key] = rec.get("duplicate_of")
    roots: dict[str, str] = {}
    for key in parent:
        node, seen = key, {key}
        while (nxt := parent.get(node)) and (nk := by_id.get(str(nxt))) and nk not in seen:
            node = nk
            seen.add(node)
        roots[key] = node
    return roots


def score(gold: Path, export: Path | None = None, **_: Any) -> dict[str, Any]:
    if export is None:
        raise ValueError("dedup eval needs an export file")
    gold_map = {str(r["id"]): (r.get("dup_group") or f"_single:{r['id']}")
                for r in read_jsonl(gold)}
    pred_all = predicted_groups(export)
    common = {k: v for k, v in gold_map.items() if k in pred_all}
    if not common:
        raise ValueError("no article of the export matches a gold id")
    pred = {k: pred_all[k] for k in common}
    return {"articles": len(common), "missing": len(gold_map) - len(common),
            "pairwise": pairwise(common, pred)}


def report(result: dict[str, Any]) -> str:
    m = result["pairwise"]
    return (f"dedup: {result['articles']} articles ({result['missing']} gold ids not in export), "
            f"{m['gold_pairs']} gold / {m['predicted_pairs']} predicted pairs\n"
            f"pairwise  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
