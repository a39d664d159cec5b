"""A grouping pass rewrites only the event and story rows whose members changed.

Rewriting every group's row, label, headline and story aggregates on each pass made the
grouping phase grow with the whole store (issue 13): here a store of three unrelated events
takes one more article, and only the groups that article (or a replaced version) touches are
written again; every row still equals what a full rewrite gives.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from storyline.corpus.assign import refresh_groups
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store

TABLES = ("events", "stories", "story_days", "story_names", "story_entities", "story_speakers")

HARBOUR = ("Bremen - Der Hafen Bremerhaven hat im vergangenen Jahr so viele Container "
           "umgeschlagen wie nie zuvor. Die Hafengesellschaft {v} am Montag in Bremen einen "
           "Rekord von 5,8 Millionen Standardcontainern. Hafenchef Jens Wollmann sprach von "
           "einem starken Jahr für die Hafenarbeiter an der Weser.")
FIRE = ("Leipzig - Bei einem Großbrand in einer Lagerhalle im Leipziger Norden ist am "
        "Mittwoch ein Schaden in Millionenhöhe entstanden. Die Feuerwehr {v} mit 120 "
        "Einsatzkräften gegen die Flammen. Brandmeisterin Petra Kollwitz sagte, die Halle "
        "sei vollständig zerstört, verletzt wurde niemand.")
VOTE = ("Kiel - Bei der Wahl des Oberbürgermeisters in Kiel hat Amtsinhaber Ulf Kämpfer "
        "die Stichwahl am Sonntag gewonnen. Er {v} nach Angaben der Stadtwahlleiterin "
        "61 Prozent der Stimmen, die Wahlbeteiligung lag bei 38 Prozent.")


def _record(rid: str, outlet: str, day: str, title: str, text: str) -> dict[str, Any]:
    return {"id": rid, "url": f"https://{outlet}/{rid}", "outlet": outlet, "title": title,
            "published": day, "text": text}


def _write(path: Path, records: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return str(path)


def _corpus() -> list[dict[str, Any]]:
    return [
        _record("h1", "weser-kurier.example", "2024-01-08", "Hafen meldet Rekord",
                HARBOUR.format(v="meldete")),
        _record("h2", "nordsee-zeitung.example", "2024-01-08", "Rekord im Hafen",
                HARBOUR.format(v="verkündete")),
        _record("f1", "lvz.example", "2024-03-13", "Großbrand in Lagerhalle",
                FIRE.format(v="kämpfte")),
        _record("f2", "mdr.example", "2024-03-13", "Lagerhalle brennt nieder",
                FIRE.format(v="rückte aus und kämpfte")),
        _record("v1", "kn.example", "2024-06-09", "Kämpfer bleibt Oberbürgermeister",
                VOTE.format(v="erhielt")),
    ]


def _rows(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every group row and story aggregate, without the stories' version counter."""
    out = {}
    for table in TABLES:
        cur = conn.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description]
        out[table] = sorted(tuple(v for c, v in zip(cols, r, strict=True) if c != "version")
                            for r in cur)
    return out


def _watch(conn: sqlite3.Connection) -> None:
    """Record the id of every event and story row written from now on (this connection)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS written (tab TEXT, id TEXT)")
    conn.execute("DELETE FROM temp.written")
    for table in ("events", "stories"):
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS w_{table} AFTER INSERT ON main.{table} "
                     f"BEGIN INSERT INTO written VALUES ('{table}', NEW.id); END")


def _written(conn: sqlite3.Connection) -> tuple[set[str], set[str]]:
    rows = conn.execute("SELECT tab, id FROM temp.written").fetchall()
    return ({i for t, i in rows if t == "events"}, {i for t, i in rows if t == "stories"})


def _groups(conn: sqlite3.Connection, name: str) -> tuple[str, str]:
    ev, st = conn.execute("SELECT event_id, story_id FROM articles WHERE source_name = ? "
                          "AND superseded_by IS NULL", (name,)).fetchone()
    return ev, st


def _versions(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT id, version FROM stories").fetchall())


def _same_as_full_rewrite(store: Store) -> None:
    now = _rows(store.conn)
    with store.transaction():
        refresh_groups(store.conn, None, None)
    assert _rows(store.conn) == now


def test_a_new_article_rewrites_only_its_event_and_story(tmp_path: Path,
                                                         settings: Settings) -> None:
    store = Store(tmp_path / "t.db")
    conn = store.conn
    _watch(conn)
    run_ingest(store, [_write(tmp_path / "a.jsonl", _corpus())], settings, workers=1)
    fire, harbour, vote = (_groups(conn, a) for a in ("f1", "h1", "v1"))
    assert len({fire[0], harbour[0], vote[0]}) == 3  # three events, two to leave alone
    assert _written(conn) == ({fire[0], harbour[0], vote[0]}, {fire[1], harbour[1], vote[1]})
    versions = _versions(conn)
    _watch(conn)
    late = _record("f3", "bild.example", "2024-03-14", "Nach Großbrand: Halle abgerissen",
                   FIRE.format(v="kämpfte die ganze Nacht"))
    run_ingest(store, [_write(tmp_path / "b.jsonl", [late])], settings, workers=1)
    assert _groups(conn, "f3") == fire
    assert _written(conn) == ({fire[0]}, {fire[1]})
    assert conn.execute("SELECT n_articles FROM events WHERE id = ?",
                        (fire[0],)).fetchone()[0] == 3
    bumped = {s for s, v in _versions(conn).items() if versions.get(s) != v}
    assert bumped == {fire[1]}  # the web's per-story caches of the others stay valid
    _same_as_full_rewrite(store)
    store.close()


def test_a_replay_rewrites_only_groups_whose_members_changed(tmp_path: Path,
                                                             settings: Settings) -> None:
    """An article older than all others replays the grouping from the start; the groups
    whose members stay the same keep their rows."""
    store = Store(tmp_path / "t.db")
    conn = store.conn
    run_ingest(store, [_write(tmp_path / "a.jsonl", _corpus())], settings, workers=1)
    fire, harbour = _groups(conn, "f1"), _groups(conn, "h1")
    _watch(conn)
    early = _record("x0", "kn.example", "2023-11-20", "Neue Brücke in Rostock eröffnet",
                    "Rostock - In Rostock ist am Montag die neue Warnowbrücke für Radfahrer "
                    "und Fußgänger eröffnet worden. Bausenatorin Anke Bergström sprach von "
                    "einem wichtigen Tag für die Stadt, die Brücke kostete 41 Millionen Euro.")
    run_ingest(store, [_write(tmp_path / "b.jsonl", [early])], settings, workers=1)
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE event_id IS NULL").fetchone()[0] == 0
    events, stories = _written(conn)
    assert _groups(conn, "x0")[0] in events
    assert fire[0] not in events and harbour[0] not in events
    assert fire[1] not in stories and harbour[1] not in stories
    assert (_groups(conn, "f1"), _groups(conn, "h1")) == (fire, harbour)
    _same_as_full_rewrite(store)
    store.close()


def test_a_replaced_version_leaves_its_groups_rewritten(tmp_path: Path,
                                                        settings: Settings) -> None:
    """A changed text at a known source supersedes the old version: the old version's event
    loses it although no article of this pass is placed there."""
    store = Store(tmp_path / "t.db")
    conn = store.conn
    folder = tmp_path / "in"
    folder.mkdir()
    for rec in _corpus():
        (folder / f"{rec['id']}.txt").write_text(f"{rec['title']}\n\n{rec['text']}", "utf-8")
    run_ingest(store, [str(folder)], settings, workers=1)
    harbour, fire = _groups(conn, "h2.txt"), _groups(conn, "f1.txt")
    assert _groups(conn, "h1.txt") == harbour
    _watch(conn)
    (folder / "h2.txt").write_text(f"Kiel wählt\n\n{VOTE.format(v='bekam')}", "utf-8")
    run_ingest(store, [str(folder)], settings, workers=1)
    events, _ = _written(conn)
    assert harbour[0] in events and fire[0] not in events
    assert conn.execute("SELECT n_articles FROM events WHERE id = ?",
                        (harbour[0],)).fetchone()[0] == 1
    _same_as_full_rewrite(store)
    store.close()
