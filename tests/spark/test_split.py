"""`storyline backfill` cuts events into developments as ingest does (corpus/split.py): the
plant story of tests/corpus/test_split.py, written in the test, gives the same two events of
one story either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from storyline import settings as settings_mod
from storyline.cli import app
from tests.corpus.test_split import ARREST, BLAST, ingest, reports

pytestmark = pytest.mark.slow


def test_backfill_splits_the_events_ingest_splits(local_spark: Any, tmp_path: Path) -> None:
    plant = reports(BLAST, "2023-05-08", "blast") + reports(ARREST, "2023-05-11", "arrest")
    got = ingest(tmp_path, "ingest", [plant], settings_mod.load())
    assert len({ev for ev, _ in got.values()}) == 2
    src = tmp_path / "plant.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in plant), "utf-8")
    result = CliRunner().invoke(app, ["backfill", str(src), "--master", "local[2]", "--out",
                                      str(tmp_path / "out"), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = ds.dataset(tmp_path / "out", format="parquet", partitioning="hive").to_table()
    assert {r["source_name"]: (r["event_id"], r["story_id"]) for r in table.to_pylist()} == got
