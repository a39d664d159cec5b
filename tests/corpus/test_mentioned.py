"""The news-day range from the calendar dates a text mentions (corpus/mentioned.py): written
text here, and the real seeds (read from ../shared at test time)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from storyline.corpus.events import StoryIndex
from storyline.corpus.explain import time_evidence
from storyline.corpus.mentioned import estimate
from storyline.corpus.split import news_day, relation
from storyline.corpus.stories import Cluster, Span
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from tests.conftest import needs_shared, seed

SEP_END = date(2016, 9, 30).toordinal()


def test_the_latest_past_date_bounds_the_news_from_below() -> None:
    text = ("Am 28. Juli hatte das Ministerium die Korridore angekündigt. Am 3. August "
            "wurden erste Ergebnisse veröffentlicht. Nun bieten weitere Länder Hilfe an.")
    loose = estimate(text, "de", None)
    assert loose is not None and loose["lo"] is None and loose["md"] == [8, 3]
    assert loose["n"] == 2 and loose["text"] == "3. August"
    assert text[loose["at"]:].startswith("3. August")
    dated = estimate(text, "de", SEP_END)  # a crawl month: the year is the latest that fits
    assert dated is not None and dated["lo"] == date(2016, 8, 3).toordinal()
    assert dated["hi"] == SEP_END and "md" not in dated
    assert estimate("On March 24, 2015 the plane crashed in the Alps.", "en", None) == {
        "lo": date(2015, 3, 24).toordinal(), "hi": None, "n": 1, "text": "March 24, 2015",
        "at": 3}


@pytest.mark.parametrize("text", [
    "Die Waffenruhe soll am 19. Oktober beginnen.",  # a future verb
    "Wie Lawrow mitteilte, reist Putin am 19. Oktober nach Frankreich.",  # present: no past
    "Die Frist läuft bis zum 30. September.",
    "13:30 16.12.2019\nSNA Radio\nDie Lage in Aleppo.",  # a page's scrape stamp
    "Keine Daten hier, nur am Mittwoch.",
])
def test_announced_days_and_page_stamps_bound_nothing(text: str) -> None:
    assert estimate(text, "de", None) is None


def test_a_date_after_the_articles_own_date_is_left_out() -> None:
    text = "Am 2. Oktober 2016 war die Feuerpause gescheitert. Am 5. August 2016 begann sie."
    est = estimate(text, "de", SEP_END)
    assert est is not None and est["lo"] == date(2016, 8, 5).toordinal() and est["n"] == 1


@needs_shared
def test_the_seeds_ranges(store: Store, settings: Settings) -> None:
    """000 looks back to 28 July and 3 August (no year), 002 to 15 and 28 July (its "16
    Dezember 2019" head is a scrape stamp); 004's "am 19. Oktober" is Putin's coming trip, not
    news; 001 and 003 name no calendar day. Resolved against 001's crawl month (2016-09), 000's
    range overlaps September's: the dates alone cannot tell it from the talks threat."""
    run_ingest(store, [str(seed(n)) for n in ("000", "001", "002", "003", "004")], settings)
    feats = {r["source_name"][:3]: json.loads(r["features"]) for r in store.query(
        "SELECT source_name, features FROM articles")}
    assert feats["000"]["mentioned"]["md"] == [8, 3] and feats["000"]["mentioned"]["n"] == 2
    assert feats["000"]["mentioned"]["text"] == "3. August"
    assert feats["002"]["mentioned"]["md"] == [7, 28]
    for name in ("001", "003", "004"):
        assert feats[name]["mentioned"] is None
    assert (feats["001"]["date"], feats["002"]["date"]) == ("2016-09", None)
    assert relation(news_day(feats["000"]), news_day(feats["001"])) == 0
    later = {**feats["000"], "date": "2016-10", "date_kind": "crawl", "mentioned": {
        **feats["000"]["mentioned"], "lo": date(2016, 10, 3).toordinal()}}
    assert relation(news_day(later), news_day(feats["001"])) == -1


def test_an_event_weighs_less_for_a_report_that_looks_back_past_it(settings: Settings) -> None:
    """Online, a report whose latest past date lies two or more days after an event's
    earliest upper bound (a member was out by then) joins it only at `mention_factor`; an
    event whose members were out later (a crawl month) cannot be told apart."""
    level = StoryIndex(settings).events
    event = Cluster("ev-a", 1)
    event.span.merge(Span.of({"date": "2023-05-08", "date_kind": "published"}))
    looks_back = Span.of({"mentioned": {"lo": date(2023, 5, 15).toordinal(), "hi": None}})
    next_day = Span.of({"mentioned": {"lo": date(2023, 5, 9).toordinal(), "hi": None}})
    assert level._weekday(event, looks_back) == settings.section("cluster")["mention_factor"]
    assert level._weekday(event, next_day) == 1.0
    crawled = Cluster("ev-b", 2)
    crawled.span.merge(Span.of({"date": "2023-05", "date_kind": "crawl"}))
    assert level._weekday(crawled, looks_back) == 1.0
    event.span.merge(looks_back)  # the event now looks back to 15 May: it keeps that
    again = Cluster.from_json(json.loads(json.dumps(event.to_json())))
    assert again.span.seen == looks_back.seen
    early = Span.of({"date": "2023-05-10", "date_kind": "published"})
    assert again.span.apart(early, 2) and not again.span.apart(next_day, 2)


def test_why_shows_the_time_evidence() -> None:
    monday = {"date": "2023-05-08", "date_kind": "published"}
    later = {"date": None, "date_kind": "none", "weekday": 3, "mentioned": {
        "lo": date(2023, 5, 15).toordinal(), "hi": None, "text": "15. Mai", "at": 0, "n": 1}}
    shown = time_evidence(monday, later)
    assert shown["time_relation"].startswith("apart")
    assert shown["news_days"] == ["published 2023-05-08",
                                  "not before 2023-05-15 ('15. Mai'); names a Thursday"]
    assert time_evidence(monday, {}) == {"news_days": ["published 2023-05-08",
                                                       "nothing dates it"],
                                         "time_relation": "no telling from dates"}
