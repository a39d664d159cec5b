"""Judging dates in an article: window, announcements, page timestamps (corpus/dating.py)."""

from __future__ import annotations

from datetime import date

from storyline.corpus.dating import is_stamp, lateness, pick_date, resolve


def test_resolve_window() -> None:
    aug = (date(2016, 8, 1), date(2016, 8, 31))
    assert resolve("2016-07-28", aug) == "2016-07-28"
    assert resolve("XXXX-07-28", aug) == "2016-07-28"
    assert resolve("2016-09-06", aug) == "2016-09-06"  # a week after the month: announced
    assert resolve("2016-09-20", aug) is None
    assert resolve("2016-03-01", aug) is None and resolve("2016", aug) is None
    assert resolve("2016-07", aug) == "2016-07"
    assert resolve("2015-07-28", None) == "2015-07-28" and resolve("XXXX-07-28", None) is None


def test_a_date_after_its_article_is_ahead() -> None:
    day = {"published": "2016-09-29", "published_source": "text", "crawl_month": None}
    month = {"published": None, "published_source": "none", "crawl_month": "2016-10"}
    oct19 = (date(2016, 10, 19), date(2016, 10, 19))
    assert lateness(day, oct19, None) == (True, True)
    assert lateness(day, (date(2016, 9, 28),) * 2, None) == (False, False)
    # known only by its crawl month: ahead only if after the event's first report
    assert lateness(month, oct19, date(2016, 10, 1)) == (False, True)
    assert lateness(month, oct19, date(2016, 10, 25)) == (False, False)


def test_page_stamps_and_announcements_never_date_an_event() -> None:
    assert is_stamp("20.11.2016", "Veröffentlicht am ", "")
    assert is_stamp("09.11.2016", "", ", 18:55 Uhr")
    assert not is_stamp("28. Juli", "Am ", " verkündete")
    cand = {"article_id": "a", "outlet": "x", "weight": 1.0, "anchored": True}
    cands = [{**cand, "resolved": "2016-10-19", "stamp": False, "ahead": True},
             {**cand, "resolved": "2016-09-28", "stamp": True, "ahead": False}]
    assert pick_date(cands) is None
    cands.append({**cand, "resolved": "2016-09-27", "stamp": False, "ahead": False})
    assert pick_date(cands) == "2016-09-27"
