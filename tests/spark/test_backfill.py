"""`storyline backfill` on local[2] gives ingest's answers on dev + dev-bi + seeds (+ a WARC
crawl with bad files), loads a database that reads like an ingested one, and re-runs change
nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from storyline import settings as settings_mod
from storyline.cli import app
from storyline.pipeline import run_ingest
from storyline.store import Store
from storyline.store.export import records
from tests.conftest import SEEDS, SHARED

pytestmark = pytest.mark.slow
runner = CliRunner()
FIELDS = ("source", "source_name", "url", "outlet", "title", "lang", "published",
          "published_source", "text", "entities", "quotes", "dates", "figures", "event_title",
          "story_title")


def _inputs(crawl: Path) -> list[str]:
    corpus = SHARED / "corpus"
    return [str(corpus / "dev" / "corpus.jsonl"), str(corpus / "dev-bi" / "corpus.jsonl"),
            str(SEEDS), str(crawl)]


@pytest.fixture(scope="module")
def ingested(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ingest") / "ingest.db"
    store = Store(db)
    run_ingest(store, _inputs(crawl), settings_mod.load(), workers=1)
    store.close()
    return db


def _backfill(args: list[str]) -> Any:
    result = runner.invoke(app, ["backfill", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout[result.stdout.index("{"):])


@pytest.fixture(scope="module")
def backfilled(local_spark: Any, crawl: Path,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    work = tmp_path_factory.mktemp("backfill")
    report = _backfill([*_inputs(crawl), "--master", "local[2]", "--out", str(work / "out"),
                        "--db", str(work / "bf.db")])
    return work / "out", work / "bf.db", report


def _parquet(out: Path) -> dict[str, dict[str, Any]]:
    table = ds.dataset(out, format="parquet", partitioning="hive").to_table()
    return {r["id"]: r for r in table.to_pylist()}


def _partition(rows: Any, key: str) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r[key] or f"self:{r['id']}", []).append(r["id"])
    return sorted(sorted(g) for g in groups.values())


def test_same_articles_texts_dates_and_facts(ingested: Path, backfilled: Any) -> None:
    mine = {r["id"]: r for r in records(Store(ingested, readonly=True))}
    theirs = _parquet(backfilled[0])
    assert len(mine) >= 240 and set(theirs) == set(mine)
    for aid, rec in mine.items():
        assert {k: theirs[aid][k] for k in FIELDS} == {k: rec[k] for k in FIELDS}, aid


def test_same_duplicates_events_and_stories(ingested: Path, backfilled: Any) -> None:
    mine = list(records(Store(ingested, readonly=True)))
    theirs = list(_parquet(backfilled[0]).values())
    assert sum(1 for r in mine if r["duplicate_of"]) >= 10
    for key in ("duplicate_of", "event_id", "story_id"):
        assert _partition(theirs, key) == _partition(mine, key), key
        assert sorted(r[key] or "" for r in theirs) == sorted(r[key] or "" for r in mine)


def test_partitioned_by_month_with_unknown_dates_apart(backfilled: Any) -> None:
    out = backfilled[0]
    months = sorted(p.name for p in out.iterdir() if p.name.startswith("published_month="))
    assert "published_month=unknown" in months and "published_month=2016-10" in months
    for rec in _parquet(out).values():
        assert rec["published_month"] == ((rec["published"] or "")[:7] or "unknown")


def test_loaded_database_reads_like_an_ingested_one(ingested: Path, backfilled: Any) -> None:
    _, db, report = backfilled
    assert report["loaded"] == report["articles"]
    exported = [runner.invoke(app, ["--db", str(d), "export"]).stdout for d in (ingested, db)]
    assert exported[0] == exported[1]
    skipped = [runner.invoke(app, ["--db", str(d), "skipped", "--json"]).stdout
               for d in (ingested, db)]
    reasons = sorted((s["source"], s["reason"]) for s in json.loads(skipped[1]))
    assert reasons == sorted((s["source"], s["reason"]) for s in json.loads(skipped[0]))
    assert any("cut.warc.gz" in src and "truncated" in why for src, why in reasons)
    assert any("junk.warc.gz" in src for src, _ in reasons)
    counts = [sorted(sqlite3.connect(d).execute("SELECT outlet, line_key, n FROM outlet_lines"))
              for d in (ingested, db)]
    assert counts[0] == counts[1] and len(counts[0]) > 100  # later ingests cut the same lines
    stats = json.loads(runner.invoke(app, ["--db", str(db), "stats", "--json"]).stdout)
    assert stats["events"] == report["events"] and stats["pending_grouping"] == 0


def test_rerun_changes_nothing(local_spark: Any, crawl: Path, tmp_path: Path) -> None:
    args = [str(SEEDS), str(crawl), "--master", "local[2]", "--out", str(tmp_path / "out"),
            "--db", str(tmp_path / "bf.db")]
    first = _backfill(args)
    before = _parquet(tmp_path / "out")
    again = _backfill(args)
    assert _parquet(tmp_path / "out") == before and len(before) == first["articles"]
    assert (first["loaded"], again["loaded"]) == (first["articles"], 0)
    export = runner.invoke(app, ["--db", str(tmp_path / "bf.db"), "export"]).stdout
    assert len(export.splitlines()) == len(before)


def test_unwritable_output_fails_with_a_message(local_spark: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the output folder should be")
    result = runner.invoke(app, ["backfill", str(SEEDS), "--master", "local[2]",
                                 "--out", str(blocker / "out")])
    assert result.exit_code == 1
    assert "cannot write to the output location" in result.stderr


def test_wrong_master_fails_with_a_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["backfill", str(SEEDS), "--master", "spark://127.0.0.1:9",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "cannot reach the Spark master" in result.stderr
    result = runner.invoke(app, ["backfill", str(SEEDS), "--master", "sparky://x",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "not a Spark master URL" in result.stderr
