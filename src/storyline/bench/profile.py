"""Per-stage cost on a sample, single process: where the time of one article goes."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import trafilatura

from storyline import stages
from storyline.corpus.features import featurize
from storyline.ingest.html import from_html
from storyline.pipeline import warm_up
from storyline.settings import Settings
from storyline.store.search import lemma_text


def stage_costs(html_jsonl: Path, settings: Settings, n: int = 300) -> dict[str, float]:
    """CPU milliseconds (this process) per article for each stage, plus featurize and search
    lemmas: CPU time, not wall, as other processes share the cores.

    Loading costs are left out, as in the pipeline, which loads everything before it forks
    its workers (before, the first English article's dictionary load, ~1 s, fell on
    featurize)."""
    records = [json.loads(line) for line in html_jsonl.open(encoding="utf-8")][:n]
    costs: dict[str, float] = dict.fromkeys((*stages.ORDER, "featurize", "lemmas"), 0.0)
    warm_up(settings)  # German and English models and dictionaries, as workers have them
    warm = from_html(records[0]["html"], source="w", source_name="w", url=records[0]["url"])
    stages.run_all(warm, settings)
    for rec in records:
        a = from_html(rec["html"], source="b", source_name=rec["id"], url=rec["url"])
        for name in stages.ORDER:
            started = time.process_time()
            a = stages.module(name).run(a, settings)
            costs[name] += time.process_time() - started
        started = time.process_time()
        featurize(a, settings)
        costs["featurize"] += time.process_time() - started
        started = time.process_time()
        lemma_text(a.title, a.text, a.lang)
        costs["lemmas"] += time.process_time() - started
    return {k: round(1000 * v / len(records), 3) for k, v in costs.items()}


def trafilatura_alone(html_jsonl: Path) -> dict[str, Any]:
    """Single-process trafilatura extraction over the same pages: the yardstick."""
    pages = [json.loads(line)["html"] for line in html_jsonl.open(encoding="utf-8")]
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    wall = time.perf_counter() - started
    return {"pages": len(pages), "seconds": wall, "pages_per_s": len(pages) / wall}
