"""The story timeline chart: coverage binned per day, month or year, and the geometry the
browser draws it with (static/app.js hands this to plotly.js as it is).

Everything that decides how the chart reads is settled here, where it can be tested: the
x range holds every bin and every mark (plotly's autorange cut off the last day's bars and,
for a one-day story, zoomed into milliseconds: ticks read "23:59:59.9996"), ticks fall on
whole days or months, the count axis steps by whole articles (no "0.5 articles"), and a
story of one day or one month gets a few empty neighbours to stand in."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from storyline.web.render import short

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-\d{2}")
DAY_MS = 86_400_000
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
def bins(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Article counts per day, month or year, gaps filled with 0. Days only for a short story
    dated mostly to the day whose month-only dates fall inside its range (those are left
    out of a daily chart and counted in `not_shown`); years when months would exceed 36."""
    days = [(d, r["n"]) for r in rows if r["date"] and _DAY.match(r["date"])
            and (d := _parse(r["date"]))]
    months = [(r["date"][:7], r["n"]) for r in rows if r["date"] and _MONTH.match(r["date"])]
    total = sum(r["n"] for r in rows)
    undated = total - sum(n for _, n in months)
    day_share = sum(n for _, n in days) / max(1, sum(n for _, n in months))
    first, last = (min(days)[0], max(days)[0]) if days else (date.min, date.min)
    coarse_inside = all(first.isoformat()[:7] <= m <= last.isoformat()[:7] for m, _ in months)
    if days and day_share >= 0.5 and (last - first).days <= 120 and coarse_inside:
        counts: dict[str, int] = {}
        for d, n in days:
            counts[d.isoformat()] = counts.get(d.isoformat(), 0) + n
        keys = [(first + timedelta(i)).isoformat() for i in range((last - first).days + 1)]
        unit = "day"
    else:
        counts = {}
        for m, n in months:
            counts[m] = counts.get(m, 0) + n
        keys = _month_range(min(counts), max(counts)) if counts else []
        unit = "month"
        if len(keys) > 36:  # years of sparse mentions: a month axis would be mostly empty
            counts = {}
            for m, n in months:
                counts[m[:4]] = counts.get(m[:4], 0) + n
            keys = [str(y) for y in range(int(min(counts)), int(max(counts)) + 1)]
            unit = "year"
    binned = [{"date": k, "n": counts.get(k, 0)} for k in keys]
    return {"unit": unit, "bins": binned, "undated": undated,
            "not_shown": total - undated - sum(counts.get(k, 0) for k in keys)}


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out: list[str] = []
    while f"{y:04d}-{m:02d}" <= last and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out




def _point(value: str, unit: str) -> date | None:
    """Where a date sits on the axis: a day on its day, a month-only date mid-month (where a
    month's bar is centred), a year mid-year; None for what has no place (XXXX-MM-DD)."""
    if _DAY.match(value):
        return _parse(value)
    if _MONTH.match(value) and 1 <= int(value[5:7]) <= 12:
        return date(int(value[:4]), int(value[5:7]), 15 if unit != "year" else 1)
    if re.fullmatch(r"\d{4}", value):
        return date(int(value), 7, 1)
    return None


def _label(d: date, unit: str) -> str:
    if unit == "day":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return f"{MONTHS[d.month - 1]} {d.year}" if unit == "month" else str(d.year)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _marks(timeline: dict[str, Any] | None, events: list[dict[str, Any]],
           unit: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Dated timeline entries (or, without a timeline, event start dates) and the dates
    announced in them, each placed on the axis."""
    marks, announced = [], []
    rows = [(e.get("date"), e.get("label"), e.get("n_articles"), f"entry-{i}", e)
            for i, e in enumerate((timeline or {}).get("entries", []))] if timeline else [
        (ev.get("first_date"), ev.get("label"), ev.get("n_articles"), f"event-{ev['id']}", {})
        for ev in events]
    for when, label, n, anchor, entry in rows:
        at = _point(str(when or ""), unit)
        if at is not None:
            marks.append({"at": at, "when": when, "label": short(label, 90), "n": n or 1,
                          "anchor": anchor})
        for an in entry.get("announced") or []:
            day = _point(str(an.get("date") or ""), unit)
            if day is not None:
                ev = an.get("evidence") or {}
                announced.append({"at": day, "when": an["date"], "anchor": anchor,
                                  "label": short(ev.get("text"), 90),
                                  "outlet": ev.get("outlet") or "", "n": an.get("outlets", 1)})
    return marks, announced


def _span(unit: str, lo: date, hi: date) -> tuple[date, date]:
    """The axis range around every bin and mark: whole periods, and at least a few of them
    (a story of one day or one month is not a bar filling the chart)."""
    if unit == "day":
        pad = max(0, 7 - ((hi - lo).days + 1))
        lo, hi = lo - timedelta(pad // 2), hi + timedelta(pad - pad // 2)
        return lo, hi
    if unit == "month":
        lo, hi = lo.replace(day=1), hi.replace(day=1)
        if (hi.year - lo.year) * 12 + hi.month - lo.month < 2:
            lo = (lo - timedelta(1)).replace(day=1)
            hi = (hi + timedelta(32)).replace(day=1)
        return lo, (hi + timedelta(32)).replace(day=1)
    lo, hi = date(lo.year, 1, 1), date(hi.year, 1, 1)
    if hi.year - lo.year < 2:
        lo, hi = date(lo.year - 1, 1, 1), date(hi.year + 1, 1, 1)
    return lo, date(hi.year + 1, 1, 1)


def _ticks(unit: str, lo: date, hi: date, most: int) -> dict[str, Any]:
    """Whole days, months or years between ticks, at most `most` ticks."""
    if unit == "day":
        days = (hi - lo).days + 1
        step = next(s for s in (1, 2, 7, 14, 28, 56) if days / s <= most or s == 56)
        return {"dtick": step * DAY_MS, "tick0": lo.isoformat(), "tickformat": "%-d %b"}
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= most or s == 120)
    if unit == "year":
        step = max(12, step)
    return {"dtick": f"M{step}", "tick0": lo.isoformat(), "ticklabelmode": "period",
            "tickformat": "%Y" if step >= 12 else "%b %Y"}


def _count_step(top: int) -> int:
    """Whole articles between gridlines, at most five of them."""
    return next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 10**9) if top / s <= 5)


def _placed(mark: dict[str, Any]) -> dict[str, Any]:
    """A mark as the browser gets it: its axis position as an ISO date."""
    out = {k: v for k, v in mark.items() if k != "at"}
    return {**out, "x": mark["at"].isoformat(), "when": str(mark["when"])}


def chart(binned: dict[str, Any], timeline: dict[str, Any] | None,
          events: list[dict[str, Any]]) -> dict[str, Any]:
    """The story timeline chart as plotly.js traces and axes (see the module doc)."""
    unit = binned["unit"]
    points = [(_point(b["date"], unit), b["n"]) for b in binned["bins"]]
    bars = [(d, n) for d, n in points if d is not None]
    marks, announced = _marks(timeline, events, unit)
    every = [d for d, _ in bars] + [m["at"] for m in marks + announced]
    out: dict[str, Any] = {"unit": unit, "empty": not every}
    if not every:
        return out
    lo, hi = _span(unit, min(every), max(every))
    width = {"day": 0.8 * DAY_MS, "month": 0.8 * 30 * DAY_MS, "year": 0.8 * 365 * DAY_MS}
    half_day = unit == "day"  # day bars are centred on midnight: half a day each side
    top = max([n for _, n in bars] or [1]) or 1
    out.update(
        x=[d.isoformat() for d, _ in bars], y=[n for _, n in bars], width=width[unit],
        hover=[f"{_label(d, unit)}: {_plural(n, 'article')}" for d, n in bars],
        range=[f"{lo - timedelta(1)} 12:00" if half_day else lo.isoformat(),
               f"{hi} 12:00" if half_day else hi.isoformat()],
        ticks=_ticks(unit, lo, hi if half_day else hi - timedelta(1), 10),
        ticks_narrow=_ticks(unit, lo, hi if half_day else hi - timedelta(1), 4),
        ystep=_count_step(top), ymax=top,
        marks=[_placed(m) for m in marks], announced=[_placed(a) for a in announced])
    return out
