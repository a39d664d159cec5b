"""Glue for `storyline eval`: build an export when needed, then call a stage's scorer.

Clustering and dedup scorers read an export file; `--ingest PATH` builds one from a fresh
temporary database so a gold corpus can be scored in one command.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path
from typing import Any

from storyline.settings import Settings
from storyline.store import Store, export

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
# name -> (scorer module, default gold inside ../shared). Clustering and dedup golds are
# labels.jsonl files; the corpus.jsonl beside them is what gets ingested by default.
DEFAULTS: dict[str, tuple[str, str]] = {
    "clustering": ("clustering", "corpus/dev/labels.jsonl"),
    "clustering-bi": ("clustering", "corpus/dev-bi/labels.jsonl"),
    "dedup": ("dedup", "corpus/dev/labels.jsonl"),
    "ner": ("ner", "gold/germeval2014-ner/NER-de-dev.tsv"),
    "ner-en": ("ner", "gold/uner-en-ewt/en_ewt-ud-test.iob2"),
    "timex": ("timex", "gold/wikiwarsde-timex/WikiWarsDE_20110412"),
    "quotes": ("quotes", "gold/spkatt2023-news/dev"),
    "titles": ("titles", "gold/trafilatura-eval"),
}


def export_from(db: Path, out: Path) -> Path:
    store = Store(db)
    export.write(store, "jsonl", out, sys.stdout)
    store.close()
    return out


def build_export(paths: list[str], settings: Settings, workdir: Path, workers: int = 1) -> Path:
    from storyline.pipeline import run_ingest

    store = Store(workdir / "eval.db")
    run_ingest(store, paths, settings, workers=workers)
    store.close()
    return export_from(workdir / "eval.db", workdir / "export.jsonl")


def _corpus_beside(gold: Path) -> Path:
    """The corpus a labels file describes: corpus.jsonl or a corpus/ folder next to it."""
    for candidate in (gold.parent / "corpus.jsonl", gold.parent / "corpus"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"no corpus.jsonl or corpus/ beside {gold}: pass --ingest PATH")


def run(name: str, gold: Path | None, settings: Settings, *, export: Path | None = None,
        ingest: list[str] | None = None, db: Path | None = None,
        **options: Any) -> tuple[dict[str, Any], str]:
    module_name, default_gold = DEFAULTS[name]
    scorer = importlib.import_module(f"storyline.eval.{module_name}")
    gold = gold or SHARED / default_gold
    if module_name not in {"clustering", "dedup"}:
        result = scorer.score(gold, **options)
        return result, scorer.report(result)
    with tempfile.TemporaryDirectory() as tmp:
        if export is None and db is not None:
            export = export_from(db, Path(tmp) / "export.jsonl")
        elif export is None:
            corpus = ingest or [str(_corpus_beside(Path(gold)))]
            export = build_export(corpus, settings, Path(tmp), workers=options.pop("workers", 1))
        result = scorer.score(gold, export, **options)
        return result, scorer.report(result)
