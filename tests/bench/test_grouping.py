"""The grouping benchmark times the event split and the stray-member move as ingest runs
them: on a store ingested here (two developments of one story, written in
tests/corpus/test_split.py, among a synthetic corpus), its replay cuts what ingest cut,
whatever the pass size, and reads the two-event story for the move."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storyline.bench import synth
from storyline.bench.grouping import replay
from storyline.corpus.split import LOAD
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from tests.corpus.test_split import ARREST, BLAST, ingest, reports


def test_replay_times_the_split_and_cuts_what_ingest_cut(tmp_path: Path,
                                                         settings: Settings) -> None:
    plant = reports(BLAST, "2023-05-08", "blast") + reports(ARREST, "2023-05-11", "arrest")
    got = ingest(tmp_path, "plant", [plant], settings)
    store = Store(tmp_path / "plant.db")
    run_ingest(store, [str(synth.write(60, tmp_path / "synth.jsonl"))], settings)
    store.close()
    with sqlite3.connect(tmp_path / "plant.db") as conn:
        (events,) = conn.execute("SELECT COUNT(DISTINCT event_id) FROM articles").fetchone()
    assert len({got[r["id"]] for r in plant}) == 2  # ingest cut the plant story's event
    for batch in (0, 3, 200):  # one pass; passes smaller than the proto-event; the default
        result = replay(tmp_path / "plant.db", every=35, batch=batch)
        assert (result["articles"], result["cuts"], result["events"]) == (70, 1, events)
        assert result["passes"] == (70 + batch - 1) // batch if batch else 1
        assert result["split_ms_per_article"] > 0
        assert result["move_ms_per_article"] > 0  # the cut story has two events to look at
        assert result["moved"] == 0  # ingest moved nobody: its developments are clean
        assert [s["upto"] for s in result["slices"]] == [35, 70]
        assert all(s["split_ms"] >= 0 and s["move_ms"] >= 0 for s in result["slices"])


def test_the_split_loader_reads_only_the_ids_asked_for(store: Store) -> None:
    """Each pass loads the changed proto-events' features: by id, not a walk over the
    store (the plan searched every live article through articles_live until fixed)."""
    plan = " ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + LOAD, ("[]",)))
    assert "(id=?)" in plan and "superseded_by=" not in plan
