"""A real standalone cluster, not only local mode: a Spark master and a worker on 127.0.0.1
started from pyspark's own `bin/spark-class`, and `storyline backfill` run against it as a
command (its own driver process), with ingest's answers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from storyline import settings as settings_mod
from storyline.pipeline import run_ingest
from storyline.spark import standalone
from storyline.store import Store
from storyline.store.export import records
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[standalone.Cluster]:
    running = standalone.start(tmp_path_factory.mktemp("cluster"), cores=2, memory="3g")
    yield running
    running.stop()


def test_backfill_on_a_standalone_cluster(cluster: standalone.Cluster, crawl: Path) -> None:
    tmp = cluster.folder
    inputs = [str(SEEDS), str(crawl)]
    run = subprocess.run([str(BIN / "storyline"), "backfill", *inputs, "--master",
                          cluster.master, "--out", str(tmp / "out"), "--db",
                          str(tmp / "bf.db"), "--json"],
                         env=cluster.env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout[run.stdout.index("{"):])
    store = Store(tmp / "ingest.db")
    ingested = run_ingest(store, inputs, settings_mod.load(), workers=1)
    mine = {r["id"]: r for r in records(store)}
    store.close()
    theirs = {r["id"]: r for r in ds.dataset(tmp / "out", format="parquet",
                                             partitioning="hive").to_table().to_pylist()}
    assert set(theirs) == set(mine) and len(mine) >= 8
    for aid, rec in mine.items():
        for key in ("text", "published", "duplicate_of", "event_id", "story_id", "entities"):
            assert theirs[aid][key] == rec[key], (aid, key)
    assert 1 <= report["executor_seconds"]["model_loads"] <= 2  # once per Python worker
    skips = sorted((s["source"], s["reason"]) for s in report["skipped"])
    assert skips == sorted((s.source, s.reason) for s in ingested.skipped) and skips
    apps = cluster.status()["completedapps"]
    assert any(a["name"] == "storyline backfill" for a in apps)
