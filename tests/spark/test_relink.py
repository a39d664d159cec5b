"""`storyline backfill` re-links stories as ingest does (corpus/relink.py): the ferry story of
tests/corpus/test_relink.py, written in the test, whose memorial opens a story apart and then
joins the sinking's, gives one story either way."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from storyline import settings as settings_mod
from storyline.cli import app
from tests.corpus.test_relink import _ferry, _ingest

pytestmark = pytest.mark.slow


def test_backfill_relinks_the_stories_ingest_relinks(local_spark: Any, tmp_path: Path) -> None:
    got = _ingest(tmp_path, "ingest", [_ferry()], settings_mod.load())
    assert len(set(got.values())) == 1
    with sqlite3.connect(tmp_path / "ingest.db") as conn:
        events = dict(conn.execute("SELECT source_name, event_id FROM articles").fetchall())
    src = tmp_path / "ferry.jsonl"
    src.write_text("".join(_ferry()), "utf-8")
    result = CliRunner().invoke(app, ["backfill", str(src), "--master", "local[2]", "--out",
                                      str(tmp_path / "out"), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = ds.dataset(tmp_path / "out", format="parquet", partitioning="hive").to_table()
    assert {r["source_name"]: (r["event_id"], r["story_id"]) for r in table.to_pylist()} == \
        {k: (events[k], story) for k, story in got.items()}
