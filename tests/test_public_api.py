"""The small public Python API: analyze() without a database, open() for the store."""

from __future__ import annotations

from pathlib import Path

import storyline
from tests.conftest import seed


def test_analyze_fills_facts_with_valid_spans() -> None:
    text = seed("003").read_text("utf-8")
    art = storyline.analyze(text, published="2016-09-29", clean=True)
    assert art.lang == "de"
    assert art.text.startswith("Die Syrien-Gespräche") and "Meistgelesene" not in art.text
    assert art.entities and art.quotes and art.dates
    for fact in [*art.entities, *art.quotes, *art.dates, *art.figures]:
        assert art.text[fact.start:fact.end] == fact.text
    record = art.to_dict()
    assert record["published"] == "2016-09-29" and record["published_source"] == "given"
    names = {e["canonical"] for e in record["entities"]}
    assert "John Kerry" in names and "Aleppo" in names


def test_analyze_without_clean_keeps_text_verbatim() -> None:
    text = "Am Mittwoch sagte Außenminister Sergej Lawrow in Moskau, man sei zu Gesprächen bereit."
    art = storyline.analyze(text, published="2016-09-30", lang="de")
    assert art.text == text
    assert any(d.text.endswith("Mittwoch") and d.value == "2016-09-28" for d in art.dates)


def test_open_gives_a_store(tmp_path: Path) -> None:
    store = storyline.open(tmp_path / "x.db")
    assert store.query("SELECT COUNT(*) AS n FROM articles") == [{"n": 0}]
    store.close()
