"""A record that crashes a stage in a Spark executor is a recorded skip (its file, record and
reason) and the rest of the batch is kept, exactly as in `ingest`.

No input is known that crashes a stage (the readers and stages are defensive), so the crash
is injected: a `sitecustomize` on PYTHONPATH makes the quotes stage (EARLY: the article is
skipped) and the figures stage (LATE: the article is kept without dates and figures) raise on
a marker word, in every Python process of the run: ingest's workers and Spark's Python
workers alike. Both commands run as they would for a user, in their own processes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from storyline.bench import synth
from storyline.store import Store
from storyline.store.export import records

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
INJECT = '''
from storyline.stages import figures, quotes


def _crash_on(stage, marker):
    run = stage.run

    def crashing(article, settings):
        if marker in (article.text or ""):
            raise RuntimeError("injected crash in " + stage.__name__.rsplit(".", 1)[-1])
        return run(article, settings)

    stage.run = crashing


_crash_on(quotes, "QUOTECRASH")
_crash_on(figures, "FIGURECRASH")
'''


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([str(BIN / "storyline"), *args], env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _skipped(db: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT source, record, reason FROM skipped").fetchall())


def test_a_crashing_record_is_a_skip_and_the_batch_goes_on(tmp_path: Path) -> None:
    pages = list(synth.generate(8))
    for n, marker in ((2, "QUOTECRASH"), (5, "FIGURECRASH")):  # in the lead: kept by clean
        lead, rest = pages[n]["text"].split("\n\n", 1)
        pages[n]["text"] = f"{lead} {marker} ist ein Wort.\n\n{rest}"
    corpus = tmp_path / "in" / "corpus.jsonl"
    corpus.parent.mkdir()
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pages),
                      "utf-8")
    (tmp_path / "inject").mkdir()
    (tmp_path / "inject" / "sitecustomize.py").write_text(INJECT, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "inject")}
    _run(["--db", str(tmp_path / "ingest.db"), "ingest", str(corpus), "--workers", "2"], env)
    out = _run(["backfill", str(corpus), "--master", "local[2]", "--out",
                str(tmp_path / "out"), "--db", str(tmp_path / "bf.db"), "--json"], env)
    report = json.loads(out[out.index("{"):])

    expected = [(str(corpus), 3, "analysis failed: RuntimeError: injected crash in quotes"),
                (str(corpus), 6, "dates and figures not extracted (article kept): "
                                 "RuntimeError: injected crash in figures")]
    assert _skipped(tmp_path / "ingest.db") == expected
    assert sorted((s["source"], s["record"], s["reason"]) for s in report["skipped"]) == expected
    assert _skipped(tmp_path / "bf.db") == expected
    with sqlite3.connect(tmp_path / "ingest.db") as conn:
        ingested = dict(conn.execute("SELECT record, id FROM articles").fetchall())
    exported = {r["id"]: r for r in ds.dataset(tmp_path / "out", format="parquet",
                                               partitioning="hive").to_table().to_pylist()}
    assert sorted(ingested) == [1, 2, 4, 5, 6, 7, 8]  # the rest of the batch is kept
    assert set(exported) == set(ingested.values())
    kept_late = exported[ingested[6]]
    assert "FIGURECRASH" in kept_late["text"] and kept_late["figures"] == []
    store = Store(tmp_path / "ingest.db")
    mine = {r["id"]: r for r in records(store)}
    store.close()
    for aid, rec in mine.items():  # the facts kept are ingest's (timex ran before figures)
        for key in ("text", "dates", "figures", "quotes", "event_id"):
            assert exported[aid][key] == rec[key], (aid, key)
