"""Figures stage on German and English news sentences written for these tests."""

from __future__ import annotations

import pytest

from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import figures


def _figures(text: str, lang: str = "de") -> list[tuple[float, str | None, str | None]]:
    art = Article(source="t", raw_text=text, text=text, lang=lang)
    out = figures.run(art, Settings()).figures
    for f in out:
        assert text[f.start:f.end] == f.text
    return [(f.value, f.what, f.qualifier) for f in out]


@pytest.mark.parametrize(("text", "expected"), [
    ("Seit Beginn des Konflikts wurden mindestens 250.000 Menschen in Syrien getötet.",
     [(250000, "killed", "mindestens")]),
    ("Bei den Angriffen wurden mehr als 370 Menschen getötet und rund 1300 weitere verletzt.",
     [(370, "killed", "mehr als"), (1300, "injured", "rund")]),
    ("Seit Donnerstag haben 400 Einwohner die Stadt über die Korridore verlassen.",
     [(400, "fled", None)]),
    ("Nach dem Angriff auf die Pumpstation sind zwei Millionen Menschen ohne Wasser.",
     [(2000000, "people", None)]),
    ("Nach UN-Schätzungen sind 1,5 Millionen Syrer auf Hilfe angewiesen.",
     [(1500000, "people", None)]),
    ("Nach UN-Schätzungen sind 1,5 Millionen Syrer Binnenvertriebene.",
     [(1500000, "displaced", None)]),
    ("Bei dem Luftangriff gab es Dutzende Tote.", [(24, "dead", "dutzende")]),
    ("Die Preise stiegen um 30 Prozent, die Arbeitslosigkeit um 2,5 %.",
     [(30, "percent", None), (2.5, "percent", None)]),
    ("Die Zahl der Toten stieg nach Angaben der Helfer auf 250.", [(250, "dead", None)]),
])
def test_german_figures(text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize("text", [
    "Am 28. Juli 2016 um 14.30 Uhr trat die Resolution 2254 in Kraft.",
    "Nach Paragraf 218 und Artikel 5 ist die 3. Division zuständig; Tel. 030 1234567.",
    "Die Belagerung dauerte drei Tage und seit 2011 herrscht Krieg.",
    "Der 48-stündige Waffenstillstand wurde von 15-jährigen Kämpfern gebrochen.",
])
def test_not_figures(text: str) -> None:
    assert _figures(text) == []


def test_english_figures() -> None:
    text = ("At least 250,000 people have been killed and 1.5 million displaced. "
            "About 300 residents fled on Monday; 40 percent of them were children.")
    assert _figures(text, "en") == [
        (250000, "killed", "at least"), (1500000, "displaced", None),
        (300, "fled", "about"), (40, "percent", None)]


@pytest.mark.parametrize("text", [
    "",
    "250.000 250.000 250.000 mindestens mindestens rund rund Millionen Millionen",
    "„Mehr als 20 Menschen „wurden getötet, sagte er " * 40,
    ("Aleppo " * 5 + "mindestens 250.000 Menschen getötet und 1,5 Millionen geflohen ") * 3000,
    "1.2.3.4.5 1,2,3,4 0,000.000, 999.999.999.999.999 12:30:45 +49 30 1234567 %%%",
])
def test_bad_input_never_crashes(text: str) -> None:
    for lang in ("de", "en"):
        art = Article(source="t", raw_text=text, text=text, lang=lang)
        for f in figures.run(art, Settings()).figures:
            assert 0 <= f.start < f.end <= len(text)
            assert f.value >= 0
