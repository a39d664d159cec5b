"""Headlines of events and stories: the most representative article's title."""

from __future__ import annotations

import json
from pathlib import Path

from storyline.corpus.assign import fill_titles
from storyline.corpus.headlines import Member, headline, lead_sentence
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store, queries


def _member(aid: str, title: str | None, terms: dict[str, int], lang: str = "de",
            copies: int = 0, lead: str = "") -> Member:
    return Member(aid, title, lang, lead, copies, {"terms": terms, "entities": {}})


def test_the_central_copied_report_names_the_group() -> None:
    core = {"feuerpause": 3, "genf": 2, "gespräch": 2}
    members = [
        _member("side", "Bauern protestieren vor dem Gipfel", {"bauer": 3, "protest": 2,
                                                               "genf": 1}),
        _member("core", "Genf: Feuerpause für Vardenien vereinbart", core, copies=3),
        _member("near", "Gespräche in Genf gehen weiter", {"genf": 2, "gespräch": 3,
                                                           "feuerpause": 1}),
    ]
    head = headline(members)
    assert (head.title, head.article) == ("Genf: Feuerpause für Vardenien vereinbart", "core")


def test_one_headline_per_language_and_the_main_language_first() -> None:
    terms = {"waffenruhe": 2, "genf": 2}
    head = headline([_member("en1", "Truce agreed in Geneva", terms, "en"),
                     _member("de1", "Waffenruhe in Genf vereinbart", terms, "de", copies=2)])
    assert head.titles == {"de": "Waffenruhe in Genf vereinbart", "en": "Truce agreed in Geneva"}
    assert head.title == "Waffenruhe in Genf vereinbart"
    group = queries.titled({"id": "ev-1", "label": "Genf", "title": head.title,
                            "titles": json.dumps(head.titles)}, ("en", "de"))
    assert group["title"] == "Truce agreed in Geneva"


def test_untitled_group_gets_its_first_sentence_and_one_word_titles_wait() -> None:
    lead = ("Moskau - Russland will die Zusammenarbeit mit den USA fortsetzen. Dies "
            "erklärte das Ministerium.")
    assert headline([_member("a", None, {"russland": 1}, lead=lead)]).title == \
        "Moskau - Russland will die Zusammenarbeit mit den USA fortsetzen."
    two = headline([_member("a", "Aktuelle", {"x": 1}),
                    _member("b", "Russland will weiter mit den USA reden", {"y": 1})])
    assert two.article == "b"
    assert lead_sentence("Wort " * 100) is not None
    assert len(lead_sentence("Wort " * 100) or "") < 150
    assert headline([]).title is None


def test_every_group_of_a_store_has_a_title_and_old_stores_get_theirs(
        tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a.txt", "Hafen meldet Rekord\\n\\nBremen - Der Hafen hat im "
                        "vergangenen Jahr so viele Container umgeschlagen wie nie zuvor, "
                        "teilte die Hafengesellschaft am Montag in Bremen mit."),
                       ("b.txt", "Bremen - Der Hafen hat im vergangenen Jahr so viele "
                        "Container umgeschlagen wie nie zuvor, sagte der Sprecher.")):
        (folder / name).write_text(text.replace("\\n", "\n"), encoding="utf-8")
    store = Store(tmp_path / "t.db")
    run_ingest(store, [str(folder)], settings, workers=1)
    for table in ("events", "stories"):
        rows = store.query(f"SELECT title FROM {table}")
        assert rows and all(r["title"] for r in rows)
    assert any(s["title"] == "Hafen meldet Rekord" for s in queries.stories(store))
    store.conn.execute("UPDATE stories SET title = NULL, titles = NULL")
    fill_titles(store.conn)
    assert all(r["title"] for r in store.query("SELECT title FROM stories"))
    store.close()
