"""Duplicate groups in the store: a fuller copy arriving in a later ingest re-points the
earlier copies (the saved index is resumed, not replayed), and the result equals one ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import SEEDS


def _record(name: str, text: str, day: str) -> str:
    return json.dumps({"id": name, "text": text, "published": day, "outlet": f"{name}.example"},
                      ensure_ascii=False)


def _copies(store: Store) -> dict[str, str | None]:
    ids = {r["id"]: r["source_name"] for r in store.query("SELECT id, source_name FROM articles")}
    return {r["source_name"]: ids.get(r["duplicate_of"]) for r in
            store.query("SELECT source_name, duplicate_of FROM articles")}


def test_a_later_fuller_copy_becomes_canonical_across_ingests(tmp_path: Path,
                                                              settings: Settings) -> None:
    if not SEEDS.exists():
        pytest.skip("shared seeds not available")
    texts = [p.read_text("utf-8").split("\n", 1)[1].strip() for p in sorted(SEEDS.glob("*.txt"))]
    full = texts[1]
    first = [_record("teaser", full[:450].rsplit(" ", 1)[0], "2016-09-28"),
             _record("other", texts[3], "2016-09-28")]
    second = [_record("full", full, "2016-09-29"),
              _record("cut", full[len(full) // 3:], "2016-09-30")]
    (tmp_path / "a.jsonl").write_text("\n".join(first) + "\n", "utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(second) + "\n", "utf-8")
    (tmp_path / "all.jsonl").write_text("\n".join(first + second) + "\n", "utf-8")

    store = Store(tmp_path / "steps.db")
    run_ingest(store, [str(tmp_path / "a.jsonl")], settings)
    assert _copies(store)["teaser"] is None  # alone so far
    run_ingest(store, [str(tmp_path / "b.jsonl")], settings)
    steps = _copies(store)
    assert steps == {"teaser": "full", "other": None, "full": None, "cut": "full"}
    once = Store(tmp_path / "once.db")
    run_ingest(once, [str(tmp_path / "all.jsonl")], settings)
    assert _copies(once) == steps
