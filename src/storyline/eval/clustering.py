"""Event/story clustering scores against a labelled corpus: pairwise and B-cubed P/R/F1.

Gold is a labels.jsonl (`id`, `event`, `story`, ...; "noise" articles are each their own
cluster), the prediction an export JSONL (`source_name`, `event_id`, `story_id`, ...). They
join on the gold `id` == export `source_name` without its file extension.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path, PurePath
from typing import Any

NOISE = "noise"
_EXTENSIONS = {".txt", ".html", ".htm", ".json", ".md", ".xml"}


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def join_key(source_name: str) -> str:
    """'dev/articles/0001.txt' and '0001' both give '0001'."""
    name = PurePath(source_name).name
    suffix = PurePath(name).suffix
    return name[: -len(suffix)] if suffix.lower() in _EXTENSIONS else name


def gold_clusters(gold: Path, field: str) -> dict[str, str]:
    """Article id -> gold cluster; each noise article (or missing label) stands alone."""
    out: dict[str, str] = {}
    for rec in read_jsonl(gold):
        label = rec.get(field)
        out[str(rec["id"])] = f"{label}" if label and label != NOISE else f"_single:{rec['id']}"
    return out


def export_field(export: Path, field: str) -> dict[str, str]:
    return {join_key(str(rec.get("source_name") or rec.get("id"))): str(rec.get(field) or "")
            for rec in read_jsonl(export)}


def prf(tp: float, pred: float, true: float) -> dict[str, float]:
    """Precision/recall/F1; an empty denominator counts as perfect (nothing claimed/missed)."""
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """P/R/F1 over unordered article pairs placed together."""
    items = sorted(gold)
    pairs = list(combinations(items, 2))
    g = sum(gold[a] == gold[b] for a, b in pairs)
    p = sum(pred[a] == pred[b] for a, b in pairs)
    tp = sum(gold[a] == gold[b] and pred[a] == pred[b] for a, b in pairs)
    return {**prf(tp, p, g), "gold_pairs": g, "predicted_pairs": p}


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Per-article precision/recall of its predicted cluster against its gold one, averaged."""
    items = sorted(gold)
    both = Counter((gold[i], pred[i]) for i in items)
    gsize, psize = Counter(gold[i] for i in items), Counter(pred[i] for i in items)
    precision = sum(both[(gold[i], pred[i])] / psize[pred[i]] for i in items) / len(items)
    recall = sum(both[(gold[i], pred[i])] / gsize[gold[i]] for i in items) / len(items)
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f, 4)}


def score(gold: Path, export: Path | None = None, level: str = "event",
          **_: Any) -> dict[str, Any]:
    """Scores for one level ("event" or "story") over the articles found in both files."""
    if export is None:
        raise ValueError("clustering eval needs an export file")
    if level not in ("event", "story"):
        raise ValueError(f"level must be event or story, not {level!r}")
    gold_map = gold_clusters(gold, level)
    pred_all = export_field(export, f"{level}_id")
    common = {k: v for k, v in gold_map.items() if k in pred_all}
    if not common:
        raise ValueError("no article of the export matches a gold id")
    pred = {k: pred_all[k] or f"_none:{k}" for k in common}
    return {
        "level": level, "articles": len(common), "missing": len(gold_map) - len(common),
        "gold_clusters": len(set(common.values())), "predicted_clusters": len(set(pred.values())),
        "pairwise": pairwise(common, pred), "bcubed": bcubed(common, pred),
    }


def report(result: dict[str, Any]) -> str:
    lines = [f"{result['level']} clustering: {result['articles']} articles "
             f"({result['missing']} gold ids not in export), {result['gold_clusters']} gold / "
             f"{result['predicted_clusters']} predicted clusters",
             f"{'':10}{'P':>8}{'R':>8}{'F1':>8}"]
    for name in ("pairwise", "bcubed"):
        m = result[name]
        lines.append(f"{name:10}{m['precision']:8.3f}{m['recall']:8.3f}{m['f1']:8.3f}")
    return "\n".join(lines)
