from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store, export, queries
from storyline.store.db import QueryTimeout
from storyline.store.schema import MIGRATIONS
from tests.conftest import SEEDS, require_shared

CONTRACT = {"id", "source", "source_name", "url", "outlet", "title", "lang", "published",
            "published_source", "text", "duplicate_of", "event_id", "story_id", "entities",
            "quotes", "dates", "figures"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Store:
    require_shared()
    from storyline import settings as settings_mod

    store = Store(tmp_path_factory.mktemp("db") / "seeds.db")
    run_ingest(store, [str(SEEDS)], settings_mod.load())
    return store


def test_migrations_recorded_and_idempotent(tmp_path: Path) -> None:
    Store(tmp_path / "m.db").close()
    store = Store(tmp_path / "m.db")
    rows = store.query("SELECT version FROM schema_migrations")
    assert [r["version"] for r in rows] == [m[0] for m in MIGRATIONS]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_search_is_german_aware(seeded: Store) -> None:
    """'Krankenhaus' finds the seed that only says 'Krankenhäuser'."""
    hits = queries.search(seeded, "Krankenhaus")["hits"]
    assert hits
    texts = [seeded.query("SELECT text FROM articles WHERE id=?", [h["id"]])[0]["text"]
             for h in hits]
    assert any("Krankenhäuser" in t and "Krankenhaus " not in t for t in texts)
    assert all("\x02" in h["snippet"] for h in hits)


def test_search_finds_lawrow_and_survives_fts_syntax(seeded: Store) -> None:
    result = queries.search(seeded, "Lawrow")
    assert result["total"] >= 2 and result["facets"]["outlet"]
    for hostile in ('"', "AND OR NOT", "Lawrow*)(", "NEAR(", "'; DROP TABLE articles; --"):
        queries.search(seeded, hostile)  # never raises
    assert seeded.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5


def test_export_jsonl_follows_contract(seeded: Store) -> None:
    buf = io.StringIO()
    assert export.write(seeded, "jsonl", None, buf) == 5
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    for rec in records:
        assert set(rec) >= CONTRACT
        for kind in ("entities", "quotes", "dates", "figures"):
            for fact in rec[kind]:
                assert rec["text"][fact["start"]:fact["end"]] == fact["text"]
    assert {r["source_name"] for r in records} == {p.name for p in SEEDS.glob("*.txt")}


def test_export_csv_and_parquet(seeded: Store, tmp_path: Path) -> None:
    buf = io.StringIO()
    export.write(seeded, "csv", None, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == 5 and isinstance(json.loads(rows[0]["entities"]), list)
    out = tmp_path / "x.parquet"
    export.write(seeded, "parquet", out, io.StringIO())
    table = pq.read_table(out)
    assert table.num_rows == 5 and set(table.column_names) >= CONTRACT


def test_skips_are_recorded_once(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    store = Store(tmp_path / "s.db")
    run_ingest(store, [str(tmp_path / "empty.txt")], settings)
    run_ingest(store, [str(tmp_path / "empty.txt")], settings)
    rows = store.query("SELECT source, reason FROM skipped")
    assert rows == [{"source": str(tmp_path / "empty.txt"), "reason": "empty file"}]


def test_read_time_limit(seeded: Store) -> None:
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT COUNT(*) FROM n")
    with pytest.raises(QueryTimeout), seeded.time_limit(50):
        seeded.conn.execute(slow).fetchone()


def test_article_view_has_facts_and_removed(seeded: Store) -> None:
    aid = seeded.query("SELECT id FROM articles WHERE source_name LIKE '002_%'")[0]["id"]
    a = queries.article(seeded, aid)
    assert a is not None
    assert any(r["reason"] == "page timestamp" for r in a["removed"])
    assert a["published"] is None and a["published_evidence"]
