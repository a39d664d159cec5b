"""Issue 17.5/6: read-only databases are readable, errors are one actionable line, every text
reaching the terminal is escaped for rich markup, API parameters are bounded."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app
from storyline.cli_errors import explain
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.db import open_for_reading
from storyline.web.app import create_app
from tests.reliability.helpers import good_text, ingest, jsonl

runner = CliRunner()
EXE = Path(sys.executable).with_name("storyline")
MARKUP = "[/b] Gipfel [bold]in[/yellow] Berlin [/]"


def _cli(*args: str, user: str | None = None, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if user else []
    return subprocess.run([*prefix, str(EXE), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def hostile_db(tmp_path: Path, settings: Settings) -> Path:
    db = tmp_path / "db" / "h.db"
    db.parent.mkdir()
    store = Store(db)
    ingest(store, [jsonl(tmp_path / "h.jsonl", [
        {"id": f"h{i}", "title": MARKUP, "outlet": "[red]evil[/red]", "date": "2016-07-28",
         "text": f"Gipfel in Berlin. {good_text(i)}"} for i in range(3)])], settings)
    store.close()
    return db


def test_markup_in_titles_and_paths_is_printed_literally(hostile_db: Path,
                                                         tmp_path: Path) -> None:
    story = Store(hostile_db).query("SELECT story_id FROM articles LIMIT 1")[0]["story_id"]
    for args in (["show", story], ["search", "Gipfel"], ["stories"], ["stats"],
                 ["ingest", str(tmp_path / "gone[/yellow].txt"), "--workers", "1"],
                 ["skipped"]):
        result = runner.invoke(app, ["--db", str(hostile_db), *args])
        assert result.exit_code == 0, (args, result.output, result.exception)
    assert "gone[/yellow].txt" in result.output
    shown = runner.invoke(app, ["--db", str(hostile_db), "show", story]).output
    assert MARKUP in shown or "[/b] Gipfel" in shown


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run the CLI as another user (nobody)")
def test_a_database_the_user_cannot_write_is_readable(hostile_db: Path) -> None:
    with tempfile.TemporaryDirectory() as shared:  # pytest's tmp folders are root-only
        root = Path(shared)
        root.chmod(0o755)
        (root / "db").mkdir(mode=0o755)
        shutil.copy(hostile_db, root / "db" / "h.db")
        (root / "db" / "h.db").chmod(0o644)
        story = Store(hostile_db).query("SELECT story_id FROM articles")[0]["story_id"]
        _as_nobody(root / "db" / "h.db", root / "home", story)


def _as_nobody(hostile_db: Path, home: Path, story: str) -> None:
    home.mkdir()
    os.chown(home, 65534, 65534)
    tmp_path = home
    before = sorted(p.name for p in hostile_db.parent.iterdir())
    env = {"HOME": str(home)}
    for args in (["stats"], ["stories"], ["show", story], ["search", "Gipfel"], ["export"]):
        result = _cli("--db", str(hostile_db), *args, user="nobody", env=env)
        assert result.returncode == 0, (args, result.stderr)
    assert sorted(p.name for p in hostile_db.parent.iterdir()) == before  # nothing beside it
    write = _cli("--db", str(hostile_db), "ingest", str(tmp_path), user="nobody", env=env)
    assert write.returncode == 1 and "Traceback" not in write.stderr
    assert "permission denied" in write.stderr and str(hostile_db) in write.stderr


def test_readonly_store_answers_every_reading_query(hostile_db: Path) -> None:
    from storyline.store import export, queries

    store = Store(hostile_db, readonly=True)  # any write would raise here
    story = store.query("SELECT story_id FROM articles LIMIT 1")[0]["story_id"]
    assert queries.stats(store)["articles"] == 3
    assert queries.stories(store, limit=5) and queries.story(store, story)
    assert queries.search(store, "Gipfel", limit=5)["total"] == 3
    assert export.write(store, "jsonl", None, open(os.devnull, "w")) == 3  # noqa: SIM115
    assert open_for_reading(hostile_db).query("SELECT COUNT(*) AS n FROM articles")[0]["n"] == 3


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = _cli("--db", str(tmp_path / "missing.db"), "serve")
    assert result.returncode == 1 and "no database at" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_corrupt_database_is_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database, just junk " * 200)
    result = _cli("--db", str(bad), "stats")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert str(bad) in result.stderr and "corrupt" in result.stderr
    debug = _cli("--db", str(bad), "--debug", "stats")
    assert debug.returncode == 1 and "DatabaseError" in debug.stderr


def test_locked_database_is_one_line(tmp_path: Path, settings: Settings) -> None:
    db = tmp_path / "l.db"
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        (tmp_path / "a.txt").write_text(good_text(1), "utf-8")
        result = _cli("--db", str(db), "ingest", str(tmp_path / "a.txt"), "--workers", "1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is locked by another storyline process" in result.stderr


def test_disk_full_names_the_database_and_keeps_it_consistent(tmp_path: Path,
                                                              settings: Settings) -> None:
    store = Store(tmp_path / "f.db")
    ingest(store, [jsonl(tmp_path / "a.jsonl", [{"id": "a", "text": good_text(1)}])], settings)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages + 2}")  # SQLite's own "disk full"
    big = [{"id": f"b{i}", "text": good_text(i) * 40} for i in range(50)]
    with pytest.raises(sqlite3.OperationalError) as caught:
        ingest(store, [jsonl(tmp_path / "b.jsonl", big)], settings)
    message = explain(caught.value, tmp_path / "f.db")
    assert "disk full" in message and "f.db" in message  # not "cannot rollback"
    store.conn.execute("PRAGMA max_page_count=1073741823")
    assert store.query("SELECT COUNT(*) AS n FROM articles")[0]["n"] == 1
    assert ingest(store, [tmp_path / "b.jsonl"], settings).ingested == 50


def test_api_offsets_beyond_sane_ranges_are_4xx(hostile_db: Path, settings: Settings) -> None:
    client = TestClient(create_app(hostile_db, settings))
    story = Store(hostile_db).query("SELECT story_id FROM articles LIMIT 1")[0]["story_id"]
    for url in ("/api/stories?offset=9223372036854775808", "/api/stories?offset=1000001",
                "/api/search?q=Gipfel&offset=9223372036854775808", "/api/stories?limit=10000",
                f"/api/stories/{story}?events_offset=99999999999999999999",
                "/?offset=9223372036854775808"):
        status = client.get(url).status_code
        assert 400 <= status < 500, (url, status)
    assert client.get("/api/stories?offset=1000000").status_code == 200
