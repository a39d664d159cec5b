"""News weekdays: the day an undated report dates its development to, and what it does to
the event decision."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from storyline import settings as settings_mod
from storyline.corpus.events import StoryIndex
from storyline.corpus.features import featurize
from storyline.corpus.stories import Span
from storyline.corpus.when import expected_days, news_weekday
from storyline.model import Article
from storyline.settings import Settings

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def test_the_first_past_weekday_is_the_news_day() -> None:
    assert news_weekday("Das Parlament stimmte am Mittwochabend mit großer Mehrheit zu.") == WED
    assert news_weekday("Der Minister war am Dienstag in Kiew eingetroffen.") == TUE
    assert news_weekday("Am Montag soll der Prozess beginnen. Am Freitag hatte das Gericht "
                        "den Termin bestätigt.") == FRI
    assert news_weekday("Die Gespräche gehen am kommenden Freitag weiter.") is None
    assert news_weekday("Traffic will resume on Wednesday. The ship was freed on Monday, "
                        "officials said.") == MON
    assert news_weekday("Ohne Wochentag, ohne Datum.") is None


def test_expected_days_come_from_exact_dates_else_the_usual_days() -> None:
    def mask(*days: int) -> int:
        return sum(1 << d for d in days)
    tue = date(2021, 3, 23).toordinal()
    assert expected_days(tue, tue, [0] * 7) == mask(MON, TUE, WED)
    assert expected_days(tue, tue + 9, [0] * 7) == mask(*range(7))  # a long span: any day
    assert expected_days(None, None, [0, 3, 0, 0, 1, 0, 0]) == mask(MON, TUE, WED)
    assert expected_days(None, None, [0] * 7) == 0  # nothing known
    assert expected_days(None, None, [1, 0, 0, 0, 0, 0, 1]) == mask(SAT, SUN, MON, TUE)
    # published Thursday and Friday, news of Tuesday: of Wednesday to Saturday only Wednesday
    # is near the news day, so a Friday report is another development
    thu = date(2015, 3, 26).toordinal()
    assert expected_days(thu, thu + 1, [0, 2, 0, 1, 0, 0, 0]) == mask(WED)
    # no usual day among the published days: the published days stand
    assert expected_days(thu, thu, [0, 0, 0, 0, 0, 0, 3]) == mask(WED, THU, FRI)


@pytest.fixture(scope="module")
def cfg() -> Settings:
    return settings_mod.load(path=Path("/nonexistent"))


BODY = ("Das Containerschiff Ever Given blockiert den Suezkanal. Hunderte Schiffe stauen sich "
        "vor der Einfahrt, Reedereien leiten Frachter um Afrika herum. Die Versicherer rechnen "
        "mit Schäden in Milliardenhöhe, der Welthandel stockt. ")


def _feats(text: str, cfg: Settings) -> dict[str, object]:
    art = Article(source="t", raw_text=text, text=text, lang="de", crawl_month="2021-03")
    return featurize(art, cfg)


def test_reports_naming_days_apart_weigh_less_as_one_event(cfg: Settings) -> None:
    tuesday = _feats("Am Dienstag lief das Schiff auf Grund. " + BODY, cfg)
    wednesday = _feats("Seit Mittwoch versuchen Schlepper, es freizubekommen. " + BODY, cfg)
    sunday = _feats("Am Sonntag kam das Schiff wieder frei. " + BODY, cfg)
    assert (tuesday["weekday"], wednesday["weekday"], sunday["weekday"]) == (TUE, WED, SUN)
    index = StoryIndex(cfg)
    next_day = index.explain(tuesday, wednesday)
    days_later = index.explain(tuesday, sunday)
    assert next_day["event_time_factor"] == 1.0
    assert days_later["event_time_factor"] == pytest.approx(0.8)
    assert days_later["story_time_factor"] == 1.0  # a story chains developments
    assert days_later["event_score"] < next_day["event_score"]
    # exact dates decide alone, by their own gap: 5 days, 2 past the 3-day window
    both = index.explain({**tuesday, "date": "2021-03-23", "date_kind": "published"},
                         {**sunday, "date": "2021-03-28", "date_kind": "published"})
    assert both["event_time_factor"] == pytest.approx(math.exp(-2 / 3), abs=1e-4)


def test_another_development_opens_an_event_in_the_same_story(cfg: Settings) -> None:
    index = StoryIndex(cfg.with_overrides({"cluster.weekday_factor": 0.1}))
    first = [index.add(f"a{i}", _feats(f"Am Dienstag lief das Schiff auf Grund. {i}. " + BODY,
                                         cfg)) for i in range(3)]
    later = index.add("b", _feats("Am Sonntag kam das Schiff wieder frei. " + BODY, cfg))
    assert len({e for e, _ in first}) == 1
    assert later[0] != first[0][0] and later[1] == first[0][1]
    tally = index.events.active[first[0][0]].span.tally
    assert tally[TUE] == 3
    state = StoryIndex.from_state(index.to_state(), cfg)  # the tally survives a restart
    assert state.events.active[first[0][0]].span.tally == tally
    assert Span.of({"date": "2021-03-23", "date_kind": "published", "weekday": TUE}).tally \
        == [0] * 7  # an exact date says more than a weekday
