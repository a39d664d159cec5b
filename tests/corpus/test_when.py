"""News weekdays: the day an undated report dates its development to, and what it does to
the event decision."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.corpus.events import StoryIndex
from storyline.corpus.features import featurize
from storyline.corpus.when import days_apart, news_weekdays
from storyline.model import Article
from storyline.settings import Settings

MON, TUE, WED, THU, FRI, SAT, SUN = (1 << d for d in range(7))


def test_past_weekdays_count_and_announced_ones_do_not() -> None:
    assert news_weekdays("Das Parlament stimmte am Mittwochabend mit großer Mehrheit zu.") == WED
    assert news_weekdays("Der Minister war am Dienstag in Kiew eingetroffen.") == TUE
    assert news_weekdays("Am Montag soll der Prozess beginnen.") == 0
    assert news_weekdays("Die Gespräche gehen am kommenden Freitag weiter.") == 0
    assert news_weekdays("The ship was freed on Monday, officials said. "
                         "Traffic will resume on Wednesday.") == MON
    assert news_weekdays("Am Sonntag hatte er abgesagt; am Samstag war noch alles offen.") \
        == SUN | SAT
    assert news_weekdays("Ohne Wochentag, ohne Datum.") == 0


@pytest.mark.parametrize(("a", "b", "apart"), [
    (TUE, WED, 1), (TUE, FRI, 3), (SUN, MON, 1), (MON | THU, SAT, 2), (0, FRI, 0), (WED, WED, 0),
])
def test_days_apart_is_modulo_the_week(a: int, b: int, apart: int) -> None:
    assert days_apart(a, b) == apart == days_apart(b, a)


@pytest.fixture(scope="module")
def cfg() -> Settings:
    return settings_mod.load(path=Path("/nonexistent"))


def _feats(text: str, cfg: Settings) -> dict[str, object]:
    art = Article(source="t", raw_text=text, text=text, lang="de", crawl_month="2021-03")
    return featurize(art, cfg)


def test_reports_naming_days_apart_weigh_less_as_one_event(cfg: Settings) -> None:
    body = ("Das Containerschiff Ever Given blockiert den Suezkanal. Hunderte Schiffe stauen "
            "sich vor der Einfahrt, Reedereien leiten Frachter um Afrika herum. ")
    tuesday = _feats("Am Dienstag lief das Schiff auf Grund. " + body, cfg)
    wednesday = _feats("Seit Mittwoch versuchen Schlepper, es freizubekommen. " + body, cfg)
    sunday = _feats("Am Sonntag kam das Schiff wieder frei. " + body, cfg)
    index = StoryIndex(cfg)
    next_day = index.explain(tuesday, wednesday)
    days_later = index.explain(tuesday, sunday)
    assert next_day["event_time_factor"] == 1.0
    assert days_later["event_time_factor"] == pytest.approx(0.8)
    assert days_later["story_time_factor"] == 1.0  # a story chains developments
    assert days_later["event_score"] < next_day["event_score"]
    dated = {**sunday, "date": "2021-03-28", "date_kind": "published"}
    both = index.explain({**tuesday, "date": "2021-03-23", "date_kind": "published"}, dated)
    # exact dates decide alone, by their own gap: 5 days, 2 past the 3-day window
    assert both["event_time_factor"] == pytest.approx(math.exp(-2 / 3), abs=1e-4)
