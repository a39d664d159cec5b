"""Shared helpers of the reliability tests: ingest built inputs, read back what was stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storyline import pipeline
from storyline.settings import Settings
from storyline.store import Store

GOOD = ("Der Außenminister sagte am Montag in Moskau, die Gespräche mit der Regierung in "
        "Washington gingen weiter, und man sei zuversichtlich, bald eine Einigung zu finden.")


def good_text(n: int) -> str:
    """A distinct, ordinary article text (n makes it unique)."""
    return f"Meldung {n}. {GOOD} Das erklärte Sprecher Nummer {n} am Abend in Berlin."


def jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def ingest(store: Store, paths: list[Path | str], settings: Settings,
           workers: int = 1) -> pipeline.IngestReport:
    return pipeline.run_ingest(store, [str(p) for p in paths], settings, workers=workers)


def skipped(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT source, record, reason FROM skipped ORDER BY id")


def stored_names(store: Store) -> set[str]:
    return {r["source_name"] for r in store.query("SELECT source_name FROM articles")}


def search_total(store: Store, query: str) -> int:
    from storyline.store import queries

    return int(queries.search(store, query, limit=5)["total"])
