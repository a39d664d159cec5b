"""Stray-member move on text written here: a ferry sinks on a Tuesday, an inquiry blames the
crew on the Friday. The index put one Tuesday report in the Friday event; after the split it
moves to the Tuesday event of its story, but only when its similarity and its news day both
point there. And on the real dev-2 corpus (skipped without ../shared): the Germanwings crash
reports the index put in the finding's event end in the crash event, whatever the batches."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from storyline import pipeline
from storyline import settings as settings_mod
from storyline.corpus.explain import article_notes, explain_pair
from storyline.corpus.move import move_ids, story_moves
from storyline.corpus.split import DAY_FIELDS, news_day, stored, stored_days
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import SHARED, needs_shared
from tests.corpus.test_split import ingest_lines, labeled

SINKING = [
    "The ferry Albatross capsized off Grey Point on Tuesday; forty passengers were pulled "
    "from the water and six are missing, the coastguard said.",
    "Rescue boats searched the cold water off Grey Point through Tuesday night after the "
    "Albatross ferry overturned in a storm with sixty people aboard.",
    "Survivors of the Albatross described waves flooding the car deck before the ferry "
    "rolled over near Grey Point on Tuesday afternoon.",
    "Six people are still missing after the ferry Albatross sank near Grey Point; divers "
    "will resume the search at dawn, the harbour master said on Tuesday.",
    "Helicopters lifted survivors from the capsized Albatross ferry off Grey Point on "
    "Tuesday while relatives waited at the quay for news.",
]
INQUIRY = [
    "An inquiry found on Friday that the crew of the Albatross ignored storm warnings and "
    "left the bow door unsecured before the ferry sank.",
    "Investigators blamed captain Miro Stael for the Albatross disaster on Friday: the "
    "report says he sailed despite a gale warning and an overloaded deck.",
    "The shipping company behind the Albatross suspended captain Miro Stael on Friday "
    "after the inquiry report faulted the crew's safety checks.",
    "Friday's inquiry report on the Albatross lists an unlocked bow door, ignored forecasts "
    "and missing drills; the transport minister promised new ferry rules.",
    "Families of the Albatross victims demanded charges against captain Miro Stael on "
    "Friday after investigators published their findings.",
]
STRAY = ("Coastguard divers searched for the six missing after the Albatross ferry capsized "
         "near Grey Point on Tuesday, and survivors were pulled from the cold water.")


def feats(text: str, day: str | None, weekday: int | None) -> dict[str, Any]:
    words = Counter(w.strip(".,;:'").lower() for w in text.split() if len(w) > 3)
    return {"lang": "en", "date": day, "date_kind": "published" if day else None,
            "weekday": weekday, "terms": dict(words)}


def story(stray: dict[str, Any], copies: int = 1) -> list[tuple[str, dict[str, Any], str, str]]:
    """Sinking reports (Tuesday 2 May) in one event, the inquiry's (Friday 5 May) and the
    stray (and its copies, one copy group) in another: the rows in sort order."""
    rows = [(f"s{i}", feats(t, "2023-05-02", 1), "ev-s0", f"s{i}") for i, t in enumerate(SINKING)]
    rows += [(f"i{i}", feats(t, "2023-05-05", 4), "ev-i0", f"i{i}") for i, t in enumerate(INQUIRY)]
    return rows + [(f"x{k}", stray, "ev-i0", "x0") for k in range(copies)]


def test_a_stray_report_moves_to_its_development(settings: Settings) -> None:
    cfg = settings.section("cluster")
    stray = feats(STRAY, None, 1)  # undated, names Tuesday: the sinking's day, not Friday's
    assert move_ids(story(stray), cfg, 0.3) == {"x0": "ev-s0"}
    assert move_ids(story(stray, copies=2), cfg, 0.3) == {"x0": "ev-s0", "x1": "ev-s0"}
    assert move_ids(story(stray), {**cfg, "event_move": False}, 0.3) == {}


def test_a_stray_stays_without_the_news_day_or_the_margin(settings: Settings) -> None:
    cfg = settings.section("cluster")
    assert move_ids(story(feats(STRAY, None, None)), cfg, 0.3) == {}  # no day: no telling
    assert move_ids(story(feats(STRAY, "2023-05-05", 4)), cfg, 0.3) == {}  # Friday's day
    # a Tuesday report that reads like the inquiry's: the day points away, the words do not
    inquiry_like = ("Investigators told families on Tuesday that captain Miro Stael ignored "
                    "storm warnings and left the bow door of the Albatross unsecured.")
    assert move_ids(story(feats(inquiry_like, None, 1)), cfg, 0.3) == {}


def test_the_similarities_are_built_only_where_a_day_lets_a_member_move(
        settings: Settings, monkeypatch: Any) -> None:
    """The day evidence is read first: a story where it lets nobody move costs no pair
    similarities (most stories in most passes; the move's cost at 100k was mostly these)."""
    from storyline.corpus import move

    built: list[int] = []
    real = move.similarities

    def counting(feats_: Any, *args: Any) -> Any:
        built.append(len(feats_))
        return real(feats_, *args)

    monkeypatch.setattr(move, "similarities", counting)
    cfg = settings.section("cluster")
    assert move_ids(story(feats(STRAY, None, None)), cfg, 0.3) == {}  # no day: no telling
    assert move_ids(story(feats(STRAY, "2023-05-05", 4)), cfg, 0.3) == {}  # Friday's own day
    assert built == []
    assert move_ids(story(feats(STRAY, None, 1)), cfg, 0.3) == {"x0": "ev-s0"}
    assert built == [11]
    # the sibling needs move_min_size texts: two copies of one report count once
    small = story(feats(STRAY, None, 1))[3:]  # the sinking event keeps s3 and s4
    small[0] = ("s3", small[1][1], "ev-s0", "s4")
    assert move_ids(small, cfg, 0.3) == {}


def test_only_stories_of_several_events_are_read(settings: Settings) -> None:
    rows = story(feats(STRAY, None, 1))
    asked: list[list[str]] = []

    def load(ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
        asked.append(ids)
        return [(aid, f) for aid, f, _, _ in rows if aid in ids]

    lone = [("z0", "ev-z0", "st-z", "z0"), ("z1", "ev-z0", "st-z", "z1")]
    placed = [(aid, ev, "st-s", group) for aid, _, ev, group in rows] + lone
    assert story_moves(placed, load, settings) == {"x0": "ev-s0"}
    assert asked == [[aid for aid, *_ in rows]]


def test_with_the_day_loader_only_stories_where_a_member_may_move_are_read_whole(
        settings: Settings) -> None:
    """The day fields decide first: a story where no day lets a member move is never read
    whole, and the moves are the same as from whole records."""
    movable, still = story(feats(STRAY, None, 1)), story(feats(STRAY, None, None))
    still = [("y" + aid, f, ev.replace("ev-", "ev-y"), "y" + group) for aid, f, ev, group in still]
    rows = movable + still
    asked: list[list[str]] = []

    def load(ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
        asked.append(ids)
        return [(aid, f) for aid, f, _, _ in rows if aid in ids]

    def days(ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
        return [(aid, {k: f.get(k) for k in DAY_FIELDS}) for aid, f, _, _ in rows if aid in ids]

    placed = [(aid, ev, "st-s", group) for aid, _, ev, group in movable]
    placed += [(aid, ev, "st-y", group) for aid, _, ev, group in still]
    assert story_moves(placed, load, settings, days) == {"x0": "ev-s0"}
    assert asked == [[aid for aid, *_ in movable]]
    assert story_moves(placed, load, settings) == {"x0": "ev-s0"}


@needs_shared
def test_the_day_loader_gives_the_news_days_of_whole_records(store: Store,
                                                           settings: Settings) -> None:
    """On the seeds (crawl months, a mentioned year-less date, weekdays, no dates at all)."""
    pipeline.run_ingest(store, [str(SHARED / "seeds")], settings)
    ids = [r["id"] for r in store.query("SELECT id FROM articles ORDER BY sort_key")]
    whole, only = stored(store.conn)(ids), stored_days(store.conn)(ids)
    assert [a for a, _ in only] == [a for a, _ in whole] == ids
    assert [news_day(f) for _, f in only] == [news_day(f) for _, f in whole]
    assert any(f["mentioned"] for _, f in only) and any(f["weekday"] is not None for _, f in only)


def _ingest(tmp_path: Path, name: str, batches: list[list[str]],
            settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """Event id and sort key by record id."""
    rows = ingest_lines(tmp_path, name, batches, settings, "event_id, sort_key")
    return {k: ev for k, ev, _ in rows}, {k: key for k, _, key in rows}


@needs_shared
def test_germanwings_crash_reports_move_in_any_batches(tmp_path: Path,
                                                       settings: Settings) -> None:
    labels, lines = labeled("dev-2")
    off = settings_mod.load(path=Path("/nonexistent"), **{"cluster.event_move": False})

    def strays(got: dict[str, str]) -> int:
        """Crash reports in the event that holds most reports of the finding."""
        def keys(event: str) -> list[str]:
            return [k for k, lab in labels.items() if lab["event"] == event]
        finding = Counter(got[k] for k in keys("germanwings-copilot-deliberate")).most_common(1)
        return sum(1 for k in keys("germanwings-crash") if got[k] == finding[0][0])

    before = strays(_ingest(tmp_path, "off", [lines], off)[0])
    assert before >= 2  # the index mixes them, too few for the split to cut
    got, order = _ingest(tmp_path, "on", [lines], settings)
    assert strays(got) < before
    # in order (each batch after the last: the saved index and the moves it recorded carry
    # on; in 12 batches a later pass re-cuts the event a report was moved from, which undid
    # the move before assign kept it), and out of order (a replay)
    lines.sort(key=lambda line: order[json.loads(line)["id"]])
    step = -(-len(lines) // 12)
    batches = [lines[i:i + step] for i in range(0, len(lines), step)]
    assert _ingest(tmp_path, "inorder", batches, settings)[0] == got
    assert _ingest(tmp_path, "back", [lines[len(lines) // 2:], lines[:len(lines) // 2]],
                   settings)[0] == got
    store = Store(tmp_path / "on.db")  # why says so
    moved = json.loads(store.conn.execute(
        "SELECT data FROM corpus_state WHERE name='moves'").fetchone()[0])
    aid, origin = sorted(moved.items())[0]
    notes = article_notes(store, settings, aid) or []
    assert any(n.startswith(f"moved from event {origin}: ") for n in notes)
    other = store.conn.execute("SELECT id FROM articles WHERE event_id=?", (origin,)).fetchone()
    pair = explain_pair(store, settings, aid, other[0])
    assert pair is not None and "corpus/move.py" in pair["event_move"]
    store.close()
