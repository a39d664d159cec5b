"""The timeline chart's geometry: every bar and mark inside the x range, whole days or
months between ticks, whole articles on the count axis, one-day and one-month stories with
room around them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from storyline.web import chart


def _range(c: dict[str, Any]) -> tuple[datetime, datetime]:
    lo, hi = (datetime.fromisoformat(v) for v in c["range"])
    return lo, hi


def _inside(c: dict[str, Any], xs: list[str]) -> bool:
    lo, hi = _range(c)
    half = c["width"] / 2 / 1000  # seconds: the whole bar, not just its centre
    return all(lo.timestamp() <= datetime.fromisoformat(x).timestamp() - half
               and datetime.fromisoformat(x).timestamp() + half <= hi.timestamp() for x in xs)


def test_a_one_day_story_is_a_bar_among_empty_days() -> None:
    c = chart.chart(chart.bins([{"date": "2025-06-03", "n": 2}]), None, [])
    assert c["unit"] == "day" and c["x"] == ["2025-06-03"] and c["y"] == [2]
    lo, hi = _range(c)
    assert (hi - lo).days == 7 and lo < datetime(2025, 6, 3) < hi
    assert _inside(c, c["x"])
    assert c["ticks"]["dtick"] == chart.DAY_MS and c["ticks"]["tickformat"] == "%-d %b"
    assert c["ystep"] == 1 and c["hover"] == ["3 Jun 2025: 2 articles"]


def test_the_last_day_is_inside_the_axis() -> None:
    """The seeds' two 19 Oct articles fell outside an axis that ended on 18 Oct."""
    rows = [{"date": "2016-09-28", "n": 1}, {"date": "2016-10-18", "n": 1},
            {"date": "2016-10-19", "n": 2}]
    c = chart.chart(chart.bins(rows), None, [])
    assert c["unit"] == "day" and c["x"][-1] == "2016-10-19" and _inside(c, c["x"])
    assert sum(c["y"]) == 4


def test_a_month_only_story_gets_its_neighbour_months() -> None:
    c = chart.chart(chart.bins([{"date": "2025-03", "n": 1}]), None, [])
    assert c["unit"] == "month" and c["range"] == ["2025-02-01", "2025-05-01"]
    assert _inside(c, c["x"]) and c["ticks"]["dtick"] == "M1"
    assert c["hover"] == ["Mar 2025: 1 article"]


def test_marks_and_announced_dates_widen_the_range() -> None:
    timeline = {"entries": [{"date": "2016-09-20", "label": "talks", "n_articles": 3,
                             "announced": [{"date": "2016-10-30", "outlets": 2,
                                            "evidence": {"text": "am 30. Oktober",
                                                         "outlet": "x"}}]}]}
    c = chart.chart(chart.bins([{"date": "2016-09-28", "n": 3}, {"date": "2016-10-02",
                                                                 "n": 1}]), timeline, [])
    assert [m["x"] for m in c["marks"]] == ["2016-09-20"]
    assert [(a["x"], a["anchor"]) for a in c["announced"]] == [("2016-10-30", "entry-0")]
    assert _inside(c, ["2016-09-20", "2016-10-30"])


def test_the_count_axis_steps_by_whole_articles() -> None:
    for top, step in ((1, 1), (2, 1), (5, 1), (6, 2), (11, 5), (40, 10), (260, 100)):
        c = chart.chart({"unit": "day", "bins": [{"date": "2020-01-01", "n": top}],
                         "undated": 0, "not_shown": 0}, None, [])
        assert c["ystep"] == step and isinstance(c["ystep"], int), top


def test_ticks_are_whole_days_or_months_and_few() -> None:
    long_days = chart.chart(chart.bins([{"date": "2020-01-01", "n": 1},
                                        {"date": "2020-04-20", "n": 1}]), None, [])
    assert long_days["unit"] == "day" and long_days["ticks"]["dtick"] % chart.DAY_MS == 0
    span = (date(2020, 4, 20) - date(2020, 1, 1)).days
    assert span / (long_days["ticks"]["dtick"] / chart.DAY_MS) <= 10
    years = chart.chart(chart.bins([{"date": "2001-05", "n": 1}, {"date": "2020-02", "n": 1}]),
                        None, [])
    assert years["unit"] == "year" and years["ticks"]["tickformat"] == "%Y"


def test_no_dates_at_all_is_an_empty_chart() -> None:
    binned = chart.bins([{"date": None, "n": 1}])
    assert binned["undated"] == 1
    assert chart.chart(binned, None, []) == {"unit": "month", "empty": True}
    assert chart.chart(binned, {"entries": [{"date": "XXXX-10-19", "label": "?"}]}, [])["empty"]
