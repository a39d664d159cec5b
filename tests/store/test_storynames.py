"""Names resolved per story, on text written for this test and ingested by the pipeline:
a bare surname joins a full name only where the story names one person of that surname, and
a name gets one type per story."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.stages.entities.keys import canonical_key
from storyline.store import Store, queries

BORIS, MARY, BARE = (canonical_key(n, "PER") for n in ("Boris Johnson", "Mary Johnson",
                                                       "Johnson"))

# one story (a school closure in a town); two different Johnsons, the prime minister and the
# school's head teacher, named in full in the first and third article; the second says only
# "Johnson"
TEXTS = [
    ("2019-03-04", "Premier Boris Johnson besucht Schule in Kettering",
     "Premierminister Boris Johnson hat am Montag die Grundschule in Kettering besucht, die "
     "wegen Schimmel im Keller schließen muss. Die Schulleiterin Mary Johnson führte ihn durch "
     "das Gebäude. \"Wir brauchen bis Ostern eine Lösung\", sagte Mary Johnson. Der Premier "
     "versprach Geld aus London. Die Eltern in Kettering sammelten Unterschriften gegen die "
     "Schließung der Grundschule."),
    ("2019-03-05", "Schimmel in Kettering: Grundschule bleibt geschlossen",
     "Die Grundschule in Kettering bleibt wegen Schimmel im Keller geschlossen. Johnson sagte "
     "am Dienstag, die Kinder würden bis Ostern in Containern unterrichtet. \"Das ist keine "
     "Dauerlösung\", sagte Johnson. Die Eltern in Kettering sammelten weiter Unterschriften "
     "gegen die Schließung der Grundschule. Der Premierminister hatte die Schule am Montag "
     "besucht."),
    ("2019-03-06", "Kettering: Eltern übergeben Unterschriften",
     "Die Eltern der geschlossenen Grundschule in Kettering haben am Mittwoch 2000 "
     "Unterschriften gegen die Schließung übergeben. Schimmel im Keller hatte die Schule "
     "geschlossen; die Kinder lernen bis Ostern in Containern. Die Schulleiterin Mary Johnson "
     "dankte den Eltern. Der Stadtrat von Kettering will die Grundschule sanieren."),
]


def _ingest(tmp_path: Path, texts: list[tuple[str, str, str]], settings: Settings) -> Store:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"t{i}", "published": day, "title": title,
                                       "text": text, "url": f"https://news.example/{i}"},
                                      ensure_ascii=False) + "\n"
                           for i, (day, title, text) in enumerate(texts)), "utf-8")
    store = Store(tmp_path / "names.db")
    run_ingest(store, [str(src)], settings)
    return store


def test_two_johnsons_in_one_story_stay_apart(tmp_path: Path, settings: Settings) -> None:
    store = _ingest(tmp_path, TEXTS, settings)
    assert (BORIS, MARY, BARE) == ("PER:b.iohnson", "PER:m.iohnson", "PER:iohnson")
    stories = {r["story_id"] for r in store.query("SELECT story_id FROM articles")}
    assert len(stories) == 1, "the three texts must form one story for this test"
    story = queries.story(store, stories.pop())
    assert story is not None
    keys = {e["key"]: e for e in story["entities"]}
    assert {BORIS, MARY} <= set(keys)
    # the bare "Johnson" of the second article could be either: it stays its own entity
    assert BARE in keys and keys[BARE]["name"] == "Johnson"
    bare = queries.entity(store, BARE)
    assert bare is not None and bare["n_mentions"] == 2
    quotes = {q["text"].strip("\""): q["speaker_key"] for q in story["quotes"]}
    assert quotes["Wir brauchen bis Ostern eine Lösung"] == MARY
    assert quotes["Das ist keine Dauerlösung"] == BARE  # not Boris Johnson's
    boris = queries.entity(store, BORIS)
    assert boris is not None and not any("Dauer" in q["text"] for q in boris["quotes"])


def test_a_story_with_one_johnson_resolves_the_bare_surname(tmp_path: Path,
                                                            settings: Settings) -> None:
    texts = [(day, title, text.replace("Mary Johnson", "Mary Smith"))
             for day, title, text in TEXTS]
    store = _ingest(tmp_path, texts, settings)
    (sid,) = {r["story_id"] for r in store.query("SELECT story_id FROM articles")}
    story = queries.story(store, sid)
    assert story is not None
    keys = {e["key"]: e for e in story["entities"]}
    assert BARE not in keys and keys[BORIS]["name"] == "Boris Johnson"
    quotes = {q["text"].strip("\""): q["speaker_key"] for q in story["quotes"]}
    assert quotes["Das ist keine Dauerlösung"] == BORIS
    boris = queries.entity(store, BORIS)
    assert boris is not None and "Johnson" in dict(boris["variants"])
    assert any("Dauer" in q["text"] for q in boris["quotes"])
    assert queries.entity(store, BARE) is None  # every bare mention moved
    from storyline.corpus.compare import story_comparison

    quoted = [q for o in (story_comparison(store, sid) or {})["outlets"] for q in o["quoted"]]
    assert quoted and {q["key"] for q in quoted if "Johnson" in q["speaker"]} == {BORIS}
    assert {q["speaker"] for q in quoted if q["key"] == BORIS} == {"Boris Johnson"}
    (aid,) = [r["id"] for r in store.query("SELECT id FROM articles WHERE source_name = 't1'")]
    article = queries.article(store, aid) or {}
    bare = [m for m in article.get("entities", []) if m["text"] == "Johnson"]
    assert bare and all(m["entity_key"] == BORIS for m in bare)


def test_one_type_per_name_in_each_story_of_the_demo(tmp_path: Path,
                                                      settings: Settings) -> None:
    """The demo's tagger gives some names two types across a story's articles (Mulderode PER
    in one, LOC in others); pages and the API show one, the one most articles give."""
    from storyline.stages.entities.keys import name_key
    from storyline.store.entities import resolved_facts

    demo = Path(__file__).resolve().parents[2] / "demo" / "corpus"
    store = Store(tmp_path / "demo.db")
    run_ingest(store, [str(demo)], settings)
    moved = store.query("SELECT * FROM story_names WHERE type != type0")
    assert moved, "the demo has names typed two ways in a story"
    for sid in {r["story_id"] for r in store.query("SELECT story_id FROM stories s JOIN "
                                                   "articles a ON a.story_id = s.id")}:
        ids = [r["id"] for r in store.query("SELECT id FROM articles WHERE story_id = ?",
                                            [sid])]
        types: dict[str, set[str]] = {}
        for m in resolved_facts(store, ids, "entities"):
            types.setdefault(name_key(m["canonical"]), set()).add(m["type"])
        assert all(len(t) == 1 for t in types.values()), (sid, types)
        story = queries.story(store, sid) or {}
        shown: dict[str, set[str]] = {}
        for e in story["entities"]:
            shown.setdefault(name_key(e["name"]), set()).add(e["type"])
        assert all(len(t) == 1 for t in shown.values()), (sid, shown)
    for r in moved:  # raw facts (the export) keep what the tagger said
        raw = store.query("SELECT type FROM mentions m JOIN articles a ON a.id = m.article_id "
                          "WHERE a.story_id = ? AND m.canonical = ?", [r["story_id"],
                                                                        r["canonical"]])
        assert r["type0"] in {x["type"] for x in raw}


def test_an_older_store_is_rekeyed_and_resolved_on_open(tmp_path: Path,
                                                        settings: Settings) -> None:
    """Migration 7: person keys of before (the surname alone) become initial + surname, and
    the story aggregates are rebuilt as a fresh ingest builds them."""
    store = _ingest(tmp_path, TEXTS, settings)
    tables = ("story_names", "story_entities", "story_speakers")
    fresh = {t: store.query(f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables}
    with store.transaction() as conn:  # the store as version 6 left it
        conn.execute("UPDATE mentions SET entity_key = 'PER:iohnson' "
                     "WHERE entity_key LIKE 'PER:%iohnson'")
        conn.execute("DELETE FROM story_names")
        conn.execute("DELETE FROM schema_migrations WHERE version = 7")
        conn.execute("DROP TABLE story_names")
    store.close()
    again = Store(tmp_path / "names.db")
    assert {t: again.query(f"SELECT * FROM {t} ORDER BY 1, 2, 3") for t in tables} == fresh
    counts = {r["k"]: r["n"] for r in again.query(
        "SELECT entity_key AS k, COUNT(*) AS n FROM mentions WHERE entity_key LIKE 'PER:%iohnson' "
        "GROUP BY 1")}
    assert counts == {BORIS: 1, MARY: 3, BARE: 2}
