"""Event split on text written here: two developments of one story (an explosion at a
chemical plant on a Monday, the arrest of its director on the Thursday), reported by several
outlets, become two events of one story, whatever the ingest batches; one development
reported over two days stays one event."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyline import settings as settings_mod
from storyline.corpus.explain import article_notes, explain_pair
from storyline.corpus.split import apart_share, news_day, relation, split_ids
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import SHARED

# Five outlets' own reports of each development (no two copy each other): the arrest
# reports recall the explosion, as follow-ups do, which is what merges the two online
BLAST = [
    "A huge explosion tore through a storage hall of Kestrel Chemicals in Marlow Bay on "
    "Monday morning. Eleven workers were hurt, three of them badly. Firefighters fought the "
    "flames for six hours while black smoke drifted over the harbour.",
    "Marlow Bay: a blast at the Kestrel Chemicals plant injured eleven employees on Monday. "
    "Paramedics flew the most seriously burned to the regional clinic. Around two thousand "
    "residents had to leave their homes near the site.",
    "Witnesses in Marlow Bay described a fireball rising above the Kestrel Chemicals works "
    "and windows shattering streets away. The fire brigade told people to keep doors shut "
    "because of the toxic smoke. Eleven staff members were taken to hospital.",
    "Emergency crews spent the whole of Monday extinguishing a fire after an explosion at "
    "Kestrel Chemicals. Eleven people working in the solvent store suffered burns. "
    "Evacuated families from the northern district of Marlow Bay slept in a school gym.",
    "The cause of the explosion that ripped apart a warehouse at Kestrel Chemicals remains "
    "unclear, the fire chief of Marlow Bay said on Monday evening. Eleven injured, a hall "
    "destroyed, smoke over the town: residents watched the blaze from the beach.",
]
ARREST = [
    "Police arrested Harold Brenning, director of the Kestrel Chemicals plant in Marlow Bay, "
    "on Thursday. Prosecutors accuse him of gross negligence: safety inspections had been "
    "postponed twice before the explosion that injured eleven workers.",
    "Kestrel Chemicals director Harold Brenning is in custody. A judge in Marlow Bay ordered "
    "him held on Thursday pending a hearing; investigators seized emails that warned of "
    "corroded valves months before the blast.",
    "Prosecutors in Marlow Bay charged plant manager Harold Brenning with negligence on "
    "Thursday. His lawyer said Brenning denies every charge and will cooperate with the "
    "investigation into the explosion at Kestrel Chemicals.",
    "Detectives detained Harold Brenning at his home on Thursday morning. The head of the "
    "Kestrel Chemicals works faces up to five years in prison if a court finds he ignored "
    "warnings from his own safety officers.",
    "The arrest of Harold Brenning came after investigators found internal reports on leaking "
    "tanks at Kestrel Chemicals, the prosecutor's office in Marlow Bay said on Thursday. "
    "Brenning had run the plant since 2015.",
]
OUTLETS = ["north-herald", "bay-courier", "coast-times", "daily-post", "evening-news"]


def reports(texts: list[str], day: str, tag: str) -> list[dict[str, str]]:
    return [{"id": f"{tag}{i}", "url": f"https://{outlet}.example/{tag}{i}", "outlet": outlet,
             "published": day, "text": text}
            for i, (outlet, text) in enumerate(zip(OUTLETS, texts, strict=True))]


def ingest_lines(tmp_path: Path, name: str, batches: list[list[str]], settings: Settings,
                 columns: str) -> list[tuple[Any, ...]]:
    """Each batch of JSONL lines ingested in turn into one store; (source_name, `columns`)
    of every article afterwards."""
    store = Store(tmp_path / f"{name}.db")
    for i, lines in enumerate(batches):
        path = tmp_path / f"{name}-{i}.jsonl"
        path.write_text("".join(lines), "utf-8")
        run_ingest(store, [str(path)], settings)
    store.close()
    with sqlite3.connect(tmp_path / f"{name}.db") as conn:
        return conn.execute(f"SELECT source_name, {columns} FROM articles").fetchall()


def labeled(name: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """A labeled corpus in ../shared: its labels by id and its JSONL lines, in file order."""
    corpus = SHARED / "corpus" / name
    labels = {r["id"]: r for r in map(json.loads, (corpus / "labels.jsonl").open())}
    return labels, (corpus / "corpus.jsonl").read_text("utf-8").splitlines(keepends=True)


def ingest(tmp_path: Path, name: str, batches: list[list[dict[str, str]]],
           settings: Settings) -> dict[str, tuple[str, str]]:
    lines = [[json.dumps(r) + "\n" for r in batch] for batch in batches]
    return {sn: (ev, st) for sn, ev, st in ingest_lines(tmp_path, name, lines, settings,
                                                        "event_id, story_id")}


@pytest.fixture(scope="module")
def plant() -> list[dict[str, str]]:
    return reports(BLAST, "2023-05-08", "blast") + reports(ARREST, "2023-05-11", "arrest")


def test_two_developments_become_two_events_of_one_story(tmp_path: Path, settings: Settings,
                                                         plant: list[dict[str, str]]) -> None:
    off = settings_mod.load(path=Path("/nonexistent"), **{"cluster.event_split": False})
    whole = ingest(tmp_path, "off", [plant], off)
    assert len({ev for ev, _ in whole.values()}) == 1  # the index alone merges them
    got = ingest(tmp_path, "on", [plant], settings)
    blast = {got[r["id"]] for r in plant if r["id"].startswith("blast")}
    arrest = {got[r["id"]] for r in plant if r["id"].startswith("arrest")}
    assert len(blast) == 1 and len(arrest) == 1 and blast != arrest
    assert len({st for _, st in got.values()}) == 1
    # the batches do not matter: in order (the second pass rewrites two articles of the
    # first, whose proto-event only grows big enough to cut then), or out of order (a replay)
    assert ingest(tmp_path, "inorder", [plant[:7], plant[7:]], settings) == got
    assert ingest(tmp_path, "reverse", [plant[5:], plant[:5]], settings) == got


def test_a_split_refreshes_the_event_rows(tmp_path: Path, settings: Settings,
                                          plant: list[dict[str, str]]) -> None:
    ingest(tmp_path, "rows", [plant[:7], plant[7:]], settings)
    with sqlite3.connect(tmp_path / "rows.db") as conn:
        rows = conn.execute("SELECT e.id, e.n_articles, e.first_date, e.story_id, s.n_events "
                            "FROM events e JOIN stories s ON s.id = e.story_id").fetchall()
        counts = dict(conn.execute("SELECT event_id, COUNT(*) FROM articles GROUP BY 1"))
    assert sorted((n, first, events) for _, n, first, _, events in rows) == [
        (5, "2023-05-08", 2), (5, "2023-05-11", 2)]
    assert {eid: n for eid, n, *_ in rows} == counts


def test_one_development_over_two_days_stays_whole(settings: Settings) -> None:
    days = ["2023-05-08"] * 5 + ["2023-05-09"] * 5
    members = []
    for i, day in enumerate(days):
        text = " ".join(BLAST[(i + k) % len(BLAST)] for k in range(2))
        members.append((f"a{i}", {"lang": "en", "date": day, "date_kind": "published",
                                  "weekday": 0, "terms": dict.fromkeys(text.lower().split(), 1)}))
    cfg = settings.section("cluster")
    assert set(split_ids(members, "ev-a0", cfg).values()) == {"ev-a0"}


def test_members_without_words_or_dates_stay_whole(settings: Settings) -> None:
    cfg = settings.section("cluster")
    bare = [(f"b{i}", {}) for i in range(10)]
    assert set(split_ids(bare, "ev-b0", cfg).values()) == {"ev-b0"}
    dated = [(f"d{i}", {"date": f"2023-05-{1 + 5 * (i % 2):02d}", "date_kind": "published"})
             for i in range(10)]  # days apart, but no words: no development to tell apart
    assert set(split_ids(dated, "ev-d0", cfg).values()) == {"ev-d0"}


def test_one_report_with_a_stray_weekday_does_not_cut_a_development() -> None:
    """The shape of dev-bi's Macron 2022 run-off reports under a candidate English model: five
    reports of the Sunday against two, one of which names a Thursday (an earlier TV debate).
    Counted per pair, 5 of 8 known pairs lie apart and the run-off was cut in two; counted per
    member, only the Thursday report and the two it disagrees with most vote apart."""
    cross = np.array([[-1, 0], [-1, 1], [-1, 1], [-1, 1], [-1, 0]])
    assert (cross < 0).sum() / np.count_nonzero(cross) >= 0.5
    assert apart_share(cross) == pytest.approx(3 / 7)
    assert apart_share(np.full((5, 4), -1)) == 1.0  # two developments: every member apart
    assert apart_share(np.zeros((5, 4), dtype=np.int8)) == 0.0  # no clock: never cut on time


def test_news_days_compare_by_date_else_by_weekday() -> None:
    monday = news_day({"date": "2023-05-08", "date_kind": "published", "weekday": None})
    thursday = news_day({"date": "2023-05-11", "date_kind": "published", "weekday": 3})
    named_tuesday = news_day({"date": "2023-05", "date_kind": "crawl", "weekday": 1})
    assert monday[:2] == (738648, None) and named_tuesday[:2] == (None, 1)
    assert relation(monday, thursday) == -1
    assert relation(named_tuesday, (None, 1, None, None, None)) == 1
    # Tuesday and Wednesday: the next day or eight days later (Guttenberg's plagiarism
    # reports on a Wednesday, his resignation on a Tuesday): no telling
    assert relation(named_tuesday, (None, 2, None, None, None)) == 0
    assert relation(monday, named_tuesday) == 0  # reported on Monday, news of Tuesday? no telling
    assert relation(thursday, named_tuesday) == -1  # Thursday and Tuesday named: 2 days apart


def test_news_day_ranges_from_mentioned_dates_tell_reports_apart() -> None:
    """A report that looks back to a day two or more days after another was out reports a
    later development; overlapping ranges say nothing; a year-less date takes the year that
    puts it nearest the other report's day."""
    may = date(2023, 5, 15).toordinal()
    monday = news_day({"date": "2023-05-08", "date_kind": "published"})
    looks_back = news_day({"mentioned": {"lo": may, "hi": None}})
    yearless = news_day({"mentioned": {"lo": None, "hi": None, "md": [5, 15]}})
    crawled = news_day({"date": "2023-05", "date_kind": "crawl", "weekday": 1})
    assert looks_back[2:4] == (may, None) and monday[2:4] == (may - 8, may - 7)
    assert relation(looks_back, monday) == relation(monday, looks_back) == -1
    assert relation(yearless, monday) == -1
    assert relation(news_day({"date": "2022-05-08", "date_kind": "published"}), yearless) == -1
    assert relation(looks_back, crawled) == 0  # in May either way: no telling
    assert relation(yearless, looks_back) == 0  # nothing to resolve its year against
    next_day = news_day({"date": "2023-05-09", "date_kind": "published",
                         "mentioned": {"lo": may - 7, "hi": may - 6}})
    assert relation(next_day, monday) == 1  # dates decide where both have one


def test_why_names_the_split(tmp_path: Path, settings: Settings,
                             plant: list[dict[str, str]]) -> None:
    ingest(tmp_path, "why", [plant], settings)
    store = Store(tmp_path / "why.db")
    ids = dict(store.conn.execute("SELECT source_name, id FROM articles"))
    pair = explain_pair(store, settings, ids["blast0"], ids["arrest2"])
    assert pair is not None and pair["same_story"] and not pair["same_event"]
    assert "cut in two developments" in pair["event_split"]
    first = explain_pair(store, settings, ids["blast0"], ids["blast3"])
    assert first is not None and first["same_event"] and "event_split" not in first
    notes = article_notes(store, settings, ids["arrest0"]) or []
    assert any(n.startswith("a development of its own, cut from event ev-") for n in notes)
    assert not any("development of its own" in n for n in
                   article_notes(store, settings, ids["blast1"]) or [])
    store.close()
