"""Inputs given as URIs go through Hadoop's filesystem layer (listing on the driver,
`binaryFiles` in the executors): the path `hdfs://` and `s3a://` inputs take.

`file://` runs that whole path here (S3 itself, against moto's server: test_s3.py). The
in-process session of these tests starts without the S3A connector jars, as a session does
where `make install-s3` was not run: an `s3a://` input there is a skip that names what is
missing, and the backfill goes on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from storyline import settings as settings_mod
from storyline.cli import app
from storyline.pipeline import run_ingest
from storyline.store import Store
from storyline.store.export import records
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow
runner = CliRunner()


def _backfill(args: list[str]) -> Any:
    result = runner.invoke(app, ["backfill", *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout[result.stdout.index("{"):])


def _name(source: str) -> str:
    return Path(urlparse(source).path).name


def test_file_uris_give_ingests_answers(local_spark: Any, crawl: Path, tmp_path: Path) -> None:
    report = _backfill([crawl.as_uri(), "--master", "local[2]", "--out", str(tmp_path / "out")])
    store = Store(tmp_path / "ingest.db")
    ingested = run_ingest(store, [str(crawl)], settings_mod.load(), workers=1)
    mine = {r["id"]: r for r in records(store)}
    store.close()
    theirs = {r["id"]: r for r in ds.dataset(tmp_path / "out", format="parquet",
                                             partitioning="hive").to_table().to_pylist()}
    assert set(theirs) == set(mine) and len(mine) >= 5
    for aid, rec in mine.items():
        assert theirs[aid]["source"].startswith("file:")  # read by Spark, not opened by us
        for key in ("text", "published", "duplicate_of", "event_id", "story_id", "entities"):
            assert theirs[aid][key] == rec[key], (aid, key)
    skips = sorted((_name(s["source"]), s["reason"]) for s in report["skipped"])
    assert skips == sorted((_name(s.source), s.reason) for s in ingested.skipped) and skips


def test_s3a_without_the_connector_is_a_skip_saying_what_is_missing(local_spark: Any,
                                                                   tmp_path: Path) -> None:
    uri = "s3a://storyline-test-bucket/cc-news/"
    report = _backfill([uri, str(SEEDS), "--master", "local[2]", "--out",
                        str(tmp_path / "out")])
    assert report["articles"] >= 5  # the other input is processed
    [skip] = [s for s in report["skipped"] if s["source"] == uri]
    assert skip["reason"].startswith("unreadable path: ") and "s3a" in skip["reason"]
    assert "hadoop-aws" in skip["reason"]
