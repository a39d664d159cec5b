"""Normalisers for relative expressions: deictic ("gestern", "am Mittwoch", "vergangene
Woche"), anaphoric ("am selben Tag", "zwei Tage später"), durations and clock times.

News convention for weekdays: a bare "am Mittwoch" points back to the latest Wednesday on
or before the anchor, unless "kommenden/nächsten" or a future verb in the same sentence
("wird", "sollen" ... without "worden/wurde") says it lies ahead.
"""

from __future__ import annotations

import datetime as dt
import re

from storyline.stages.numerals import parse_word
from storyline.stages.timex import rules as R
from storyline.stages.timex.norm import Ctx, Ymd, _date, fmt

PAST = {"vergangene", "letzte", "vorige", "last", "past", "previous", "the previous"}
ZERO = {"diese", "laufende", "selbe", "gleiche", "this", "the same"}
ANAPHORIC = {"selbe", "gleiche", "folgende", "darauffolgende", "darauf folgende", "previous",
             "the same", "the following", "the previous"}
DEICTIC_DAYS = {"heute": 0, "heutigen tag": 0, "gestern": -1, "vorgestern": -2, "morgen": 1,
                "übermorgen": 2, "today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
FORWARD = {"später", "danach", "darauf", "later", "after", "nach"}
UNIT_CODES = {"sekunde": "TS", "minute": "TM", "stunde": "TH", "tag": "D", "woche": "W",
              "monat": "M", "jahrzehnt": "DE", "jahrhundert": "CE", "jahr": "Y",
              "second": "TS", "minute ": "TM", "hour": "TH", "day": "D", "week": "W",
              "month": "M", "decade": "DE", "year": "Y"}


def _unit(raw: str) -> str:
    low = raw.lower()
    for stem, code in UNIT_CODES.items():
        if low.startswith(stem.strip()):
            return code
    return ""


def _rel(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.lower())


def shift(a: Ymd | None, n: int, code: str) -> str | None:
    """Move an anchor by n units; the result has the unit's granularity."""
    if a is None:
        return None
    if code == "Y":
        return fmt(a[0] + n)
    if code == "M":
        if a[1] is None:
            return None
        k = a[0] * 12 + a[1] - 1 + n
        return fmt(k // 12, k % 12 + 1)
    day = _date(a)
    if day is None:
        return None
    if code == "W":
        y, w, _ = (day + dt.timedelta(weeks=n)).isocalendar()
        return f"{y:04d}-W{w:02d}"
    if code == "D":
        return (day + dt.timedelta(days=n)).isoformat()
    return None


def _count(raw: str | None) -> int | None:
    if not raw:
        return None
    return int(raw) if raw.isdigit() else parse_word(raw)


def clause(text: str, start: int, end: int, reach: int = 150) -> str:
    """The clause around text[start:end] (at most `reach` characters either side)."""
    lo = max((b.end() for b in R.CLAUSE_BREAK.finditer(text, max(0, start - reach), start)),
             default=0)
    hi = R.CLAUSE_BREAK.search(text, end, end + reach)
    return text[max(lo, start - reach):hi.start() if hi else end + reach]


def future_clause(text: str, start: int, end: int, reach: int = 150) -> bool:
    """A future verb ("wird", "sollen", "will") and no past one in the clause around
    text[start:end] (at most `reach` characters either side)."""
    found = clause(text, start, end, reach)
    return bool(R.FUTURE_CUE.search(found)) and not R.PAST_CUE.search(found)


def _future(ctx: Ctx, m: re.Match[str]) -> bool:
    return future_clause(ctx.text, m.start(), m.end())


def _part(m: re.Match[str]) -> str:
    part = m.groupdict().get("part")
    return "T" + R.PARTS[part.lower()] if part else ""


def n_deictic(m: re.Match[str], ctx: Ctx) -> str | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    if ctx.narrative and word in ("heute", "heutigen tag", "today"):
        return "PRESENT_REF"
    value = shift(ctx.anchor(deictic=True), DEICTIC_DAYS[word], "D")
    if value and word == "tonight":
        return value + "TNI"
    return value + _part(m) if value else None


def n_weekday(m: re.Match[str], ctx: Ctx) -> str | None:
    day = _date(ctx.anchor(deictic=True))
    if day is None:
        return None
    wd = R.WEEKDAYS[m.group("wd").lower()]
    rel = (m.groupdict().get("rel") or "").lower()
    back = (day.weekday() - wd) % 7
    if rel in ("kommenden", "nächsten", "next", "coming") or (not rel and _future(ctx, m)):
        target = day + dt.timedelta(days=(wd - day.weekday()) % 7 or 7)
    elif rel in ("diesen", "this"):
        target = day + dt.timedelta(days=wd - day.weekday())
    elif rel:
        target = day - dt.timedelta(days=back or 7)
    else:
        target = day - dt.timedelta(days=back)
    return target.isoformat() + _part(m)


def n_night_wd(m: re.Match[str], ctx: Ctx) -> str | None:
    value = n_weekday(m, ctx)
    return value + "TNI" if value else None


def n_rel_unit(m: re.Match[str], ctx: Ctx) -> str | None:
    rel, code = _rel(m.group("rel")), _unit(m.group("unit"))
    n = -1 if rel in PAST else 0 if rel in ZERO else 1
    anaphoric = rel in ANAPHORIC or code == "D"
    return shift(ctx.anchor(deictic=not anaphoric), n, code)


def n_compound(m: re.Match[str], ctx: Ctx) -> str | None:
    n = -1 if m.group("comp") == "Vor" else 1
    return shift(ctx.anchor(deictic=False), n, _unit(m.group("unit")))


def n_unit_after(m: re.Match[str], ctx: Ctx) -> str | None:
    n = 1 if m.group("dir") in FORWARD else -1
    return shift(ctx.anchor(deictic=False), n, _unit(m.groupdict().get("unit") or "Tag"))


def n_offset(m: re.Match[str], ctx: Ctx) -> str | None:
    """"zwei Tage später" = reference + 2 days; weeks count in days ("zwei Wochen später"
    names a day, unlike "vergangene Woche"); "wenige Tage später" only says "after"."""
    direction = m.group("dir").lower()
    if m.groupdict().get("few"):
        return "FUTURE_REF" if direction in FORWARD else "PAST_REF"
    n, code = _count(m.group("n")), _unit(m.group("unit"))
    if n is None or code.startswith("T") or code in ("DE", "CE"):
        return None
    if code == "W":
        n, code = 7 * n, "D"
    if direction in ("ago", "vor"):
        return shift(ctx.anchor(deictic=True), -n, code)
    return shift(ctx.anchor(deictic=False), n if direction in FORWARD else -n, code)


def n_vague(m: re.Match[str], ctx: Ctx) -> str | None:
    """"bald", "wenig später" (FUTURE_REF), "jetzt" (PRESENT_REF), "kurz zuvor" (PAST_REF):
    TIMEX2 values only; no date, so never in the export."""
    word = m.group("word").lower()
    if word == "jetzt":
        return "PRESENT_REF"
    if any(w in word for w in ("zuvor", "vorher", "kürzlich")):
        return "PAST_REF"
    return "FUTURE_REF"


def n_duration(m: re.Match[str], ctx: Ctx) -> str | None:
    code = _unit(m.group("unit"))
    n = _count(m.groupdict().get("n"))
    qty = str(n) if n is not None else "X"
    if code.startswith("T"):
        return f"PT{qty}{code[1]}"
    return f"P{qty}{code}"


def n_clock(m: re.Match[str], ctx: Ctx) -> str | None:
    h, mi = int(m.group("h")), int(m.group("mi") or 0)
    a = ctx.anchor(deictic=False)
    if h > 24 or a is None or a[2] is None:
        return None
    return f"{fmt(*a)}T{h:02d}:{mi:02d}"
