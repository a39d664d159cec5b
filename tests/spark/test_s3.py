"""`s3a://` and `s3://` inputs and an `s3a://` output through Hadoop's S3A connector (the jars
`make install-s3` installs), against moto's S3 server on 127.0.0.1: the same answers as
`ingest` over the same files on disk.

The backfill runs as a command: the S3A jars must be on the JVM's class path from its start,
and the in-process tests share one session started without them."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
import pytest

from storyline import settings as settings_mod
from storyline.bench import synth, warcs
from storyline.pipeline import run_ingest
from storyline.spark import s3
from storyline.store import Store
from storyline.store.export import records

BIN = Path(sys.executable).parent
BUCKET = "news-archive"
KEYS = ("id", "url", "title", "outlet", "lang", "published", "text", "duplicate_of",
        "event_id", "story_id", "entities", "quotes", "dates", "figures")


def _missing() -> str | None:
    if importlib.util.find_spec("moto") is None:
        return "moto's S3 server is not installed (make install-s3)"
    if not s3.connector_jars(settings_mod.load()):
        return f"no S3A connector jars in {s3.INSTALLED} (make install-s3)"
    return None


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    if reason := _missing():
        pytest.skip(reason)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _corpus(folder: Path) -> list[Path]:
    """Bench-generated articles (no real text): four WARC files, a JSONL file, a junk WARC."""
    recs = list(synth.generate(24, seed=7))
    warcs.write(recs[:16], folder / "crawl", per_file=4)
    (folder / "crawl" / "junk.warc.gz").write_bytes(gzip.compress(b"not a WARC\n" * 20))
    feed = folder / "feeds" / "more.jsonl"
    feed.parent.mkdir()
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs[16:]),
                    "utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _client(endpoint: str) -> Any:
    import boto3  # moto's own dependency

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


@pytest.mark.slow
def test_backfill_reads_and_writes_s3_with_ingests_answers(endpoint: str,
                                                           tmp_path: Path) -> None:
    local = tmp_path / "in"
    client = _client(endpoint)
    client.create_bucket(Bucket=BUCKET)
    for path in _corpus(local):
        client.upload_file(str(path), BUCKET, "cc/" + path.relative_to(local).as_posix())
    (tmp_path / "settings.toml").write_text("[s3]\npath_style = true\n", "utf-8")
    env = {**os.environ, "STORYLINE_CONFIG": str(tmp_path / "settings.toml"),
           "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test",
           "AWS_SECRET_ACCESS_KEY": "test"}
    done = subprocess.run(
        [str(BIN / "storyline"), "backfill", f"s3a://{BUCKET}/cc/crawl/",
         f"s3://{BUCKET}/cc/feeds/more.jsonl", "--master", "local[2]",
         "--out", f"s3a://{BUCKET}/out", "--json"],
        env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout[done.stdout.index("{"):])

    store = Store(tmp_path / "ingest.db")
    ingested = run_ingest(store, [str(local / "crawl"), str(local / "feeds" / "more.jsonl")],
                          settings_mod.load(), workers=1)
    mine = {r["id"]: r for r in records(store)}
    store.close()
    theirs = {r["id"]: r for r in _read_parquet(endpoint, f"{BUCKET}/out")}
    assert report["articles"] == len(mine) == 24 and set(theirs) == set(mine)
    assert report["duplicates"] >= 1 and report["events"] > 1  # the grouping had work to do
    for aid, rec in mine.items():
        assert theirs[aid]["source"].startswith(("s3a://", "s3://")), theirs[aid]["source"]
        for key in KEYS:
            assert theirs[aid][key] == rec[key], (aid, key)
    [skip] = report["skipped"]
    [want] = ingested.skipped
    assert skip["source"] == f"s3a://{BUCKET}/cc/crawl/junk.warc.gz"
    assert (Path(want.source).name, want.reason) == ("junk.warc.gz", skip["reason"])


def _read_parquet(endpoint: str, where: str) -> list[dict[str, Any]]:
    from pyarrow import fs

    s3fs = fs.S3FileSystem(endpoint_override=endpoint, access_key="test", secret_key="test",
                           region="us-east-1")
    found = ds.dataset(where, filesystem=s3fs, format="parquet", partitioning="hive",
                       exclude_invalid_files=True)
    return [r for r in found.to_table().to_pylist() if r.get("id")]


def test_s3_paths_get_the_connector_and_the_users_conf_wins() -> None:
    settings = settings_mod.load().with_overrides({"s3.jars": "/x/hadoop-aws-3.3.1.jar,/x/b.jar",
                                                   "s3.endpoint": "http://127.0.0.1:9",
                                                   "s3.path_style": True})
    assert s3.with_s3(["/data/crawl", "/out"], settings, {"a": "1"}) == {"a": "1"}
    conf = s3.with_s3(["s3a://b/crawl/", "/out"], settings, {
        "spark.jars": "/mine.jar", "spark.hadoop.fs.s3a.connection.timeout": "5000"})
    assert conf["spark.jars"] == "/mine.jar,/x/hadoop-aws-3.3.1.jar,/x/b.jar"
    assert conf["spark.hadoop.fs.s3a.connection.timeout"] == "5000"  # the user's
    assert conf["spark.hadoop.fs.s3a.threads.keepalivetime"] == "60"  # 3.3 needs plain numbers
    assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:9"
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"
    # a connector the user names (e.g. their cluster's Hadoop version) replaces ours
    theirs = s3.with_s3(["s3://b/x"], settings, {
        "spark.jars.packages": "org.apache.hadoop:hadoop-aws:3.4.1"})
    assert "spark.jars" not in theirs and s3.COMPAT.keys().isdisjoint(theirs)


def test_spark_submit_gets_the_same_jars_and_settings() -> None:
    from storyline.spark.s3conf import submit_args

    settings = settings_mod.load().with_overrides({"s3.jars": "/x/hadoop-aws-3.3.1.jar,/x/b.jar",
                                                   "s3.endpoint": "http://127.0.0.1:9"})
    args = submit_args(settings)
    assert args[:2] == ["--jars", "/x/hadoop-aws-3.3.1.jar,/x/b.jar"]
    confs = dict(a.split("=", 1) for a in args[3::2])
    assert args[2::2] == ["--conf"] * len(confs)
    assert confs["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:9"
    assert {k: confs[k] for k in s3.COMPAT} == s3.COMPAT
