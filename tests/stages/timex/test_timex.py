"""Timex stage on German and English news sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from storyline.model import Article
from storyline.settings import Settings
from storyline.stages import timex


def _dates(text: str, published: str | None, lang: str = "de") -> list[tuple[str, str]]:
    art = Article(source="t", raw_text=text, text=text, lang=lang, published=published)
    out = timex.run(art, Settings()).dates
    for d in out:
        assert text[d.start:d.end] == d.text
    return [(d.text, d.value) for d in out]


# 2016-07-29 is a Friday; 2016-10-04 a Tuesday.
@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Am Mittwoch griffen Kampfjets erneut Wohnviertel an.", "2016-07-29",
     [("Mittwoch", "2016-07-27")]),
    ("Am kommenden Mittwoch sollen die Gespräche in Genf weitergehen.", "2016-07-29",
     [("kommenden Mittwoch", "2016-08-03")]),
    ("Die Verhandlungen werden am Mittwoch in Genf fortgesetzt.", "2016-07-29",
     [("Mittwoch", "2016-08-03")]),
    ("Am Mittwoch soll ein Konvoi beschossen worden sein.", "2016-07-29",
     [("Mittwoch", "2016-07-27")]),
    ("Anfang vergangener Woche hatte Moskau Korridore angekündigt.", "2016-07-29",
     [("Anfang vergangener Woche", "2016-07-18")]),
    ("Am 28. Juli kündigte Russland humanitäre Korridore an.", "2016-08-05",
     [("28. Juli", "2016-07-28")]),
    ("In Syrien herrscht seit März 2011 Bürgerkrieg.", "2016-08-05", [("März 2011", "2011-03")]),
    ("Der Sondergesandte will am 19. Oktober nach Moskau reisen.", "2016-10-04",
     [("19. Oktober", "2016-10-19")]),
    ("Im Jahr 2016 wurden mehr Angriffe gezählt als 2015.", "2016-10-04",
     [("Jahr 2016", "2016"), ("2015", "2015")]),
    ("Gestern blieb es ruhig, heute fielen wieder Fassbomben.", "2016-07-29",
     [("Gestern", "2016-07-28"), ("heute", "2016-07-29")]),
    ("Dies erklärte das Ministerium am Mittwochabend in Moskau.", "2016-07-29",
     [("Mittwochabend", "2016-07-27")]),
    ("Der Putschversuch vom 15. Juli hat die Lage verändert.", "2016-07-29",
     [("15. Juli", "2016-07-15")]),
    ("Im Sommer 2015 begann die russische Intervention.", "2016-07-29",
     [("Sommer 2015", "2015")]),
    ("Nach dem Angriff am 3. August 2016 trat der Rat zusammen.", None,
     [("3. August 2016", "2016-08-03")]),
    ("Die Feuerpause sollte 48 Stunden halten, im Dezember wurde erneut gekämpft.", "2017-01-10",
     [("Dezember", "2016-12")]),
    ("Am 30. Juli kam der Konvoi an. Zwei Tage später wurde er beschossen, am selben Tag "
     "starben drei Helfer.", "2016-08-05",
     [("30. Juli", "2016-07-30"), ("Zwei Tage später", "2016-08-01"),
      ("am selben Tag", "2016-08-01")]),
])
def test_german_values(text: str, published: str | None, expected: list[tuple[str, str]]) -> None:
    assert _dates(text, published) == expected


def test_no_year_known_gives_xxxx() -> None:
    assert _dates("Am 28. Juli kündigte Russland Korridore an.", None) == [
        ("28. Juli", "XXXX-07-28")]


def test_month_precision_publication_drops_day_deixis() -> None:
    """Weekdays and "gestern" cannot be placed in a month; months and years still can."""
    text = "Am Mittwoch und gestern wurde gekämpft, im Juli und vergangenen Monat auch."
    assert _dates(text, "2016-08") == [("Juli", "2016-07"), ("vergangenen Monat", "2016-07")]


@pytest.mark.parametrize("text", [
    "Die Belagerung dauerte drei Tage.",
    "Seit Jahren herrscht Krieg in dem Land.",
    "Die Waffenruhe soll 48 Stunden gelten, mehrere Wochen wurde verhandelt.",
])
def test_durations_are_not_dates(text: str) -> None:
    assert _dates(text, "2016-07-29") == []


def test_counts_are_not_years() -> None:
    text = "Mehr als 1500 Soldaten und rund 2000 Menschen flohen im Jahr 2014."
    assert _dates(text, "2016-07-29") == [("Jahr 2014", "2014")]


def test_english_forms() -> None:
    text = ("On Wednesday the army said that on July 28 and again on 28 July 2016 convoys "
            "were hit. Last week two days of talks failed; yesterday they resumed.")
    got = dict(_dates(text, "2016-08-05", lang="en"))
    assert got["Wednesday"] == "2016-08-03"
    assert got["July 28"] == "2016-07-28"
    assert got["28 July 2016"] == "2016-07-28"
    assert got["Last week"] == "2016-07-25"
    assert got["yesterday"] == "2016-08-04"
    assert "two days" not in got


def test_values_stay_in_contract() -> None:
    text = ("Im 19. Jahrhundert, um 490 v. Chr. und in den 1940er Jahren; heute um 14.30 Uhr "
            "und im ersten Quartal 2016 sowie in der Nacht zum Mittwoch.")
    for _, value in _dates(text, "2016-07-29"):
        assert timex.CONTRACT.match(value), value


def test_extended_mode_keeps_timex2_values() -> None:
    text = "Vom 19. bis 21. März 2003 und im 19. Jahrhundert, 490 v. Chr. und drei Tage."
    values = [v for _, _, v in timex.tag(text, "2011-02-16", extended=True)]
    assert values == ["2003-03-19", "2003-03-21", "18", "BC0490", "P3D"]


@pytest.mark.parametrize("text", [
    "",
    "am am am Mittwoch Mittwoch 28. 28. Juli Juli 2016 2016 seit seit",
    "„Am Mittwoch sagte er „heute nicht am 3. " * 50,
    ("Aleppo " * 5 + "am 28. Juli 2016 wurden 250.000 Menschen getötet gestern ") * 3000,
    "\n\n\t 31. Februar 2016 99. Juli 2016 0. März 12345678 2016-13-45",
])
def test_bad_input_never_crashes(text: str) -> None:
    for published in (None, "2016-07", "2016-07-29", "kaputt"):
        art = Article(source="t", raw_text=text, text=text, published=published)
        for d in timex.run(art, Settings()).dates:
            assert 0 <= d.start < d.end <= len(text)
            assert re.match(timex.CONTRACT, d.value)
