"""Normalisers of the timex tagger: a regex match plus an anchor -> a TIMEX2-style value.

Two anchors: the document creation time (DCT, the publication date) and the reference
time, the last date the text itself mentioned. Deictic expressions ("gestern", "am
Mittwoch", "vergangene Woche") hang on the DCT in news mode and on the reference time in
narrative mode (history texts such as WikiWarsDE); anaphoric ones ("am selben Tag", "zwei
Tage später") always hang on the reference time. Values may be richer than the export
contract (weeks "2016-W30", seasons "2015-SU", parts of day "...TEV", "BC0264", durations
"P3D", "PRESENT_REF"); `timex.to_contract` maps them down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storyline.stages.timex import rules as R

Ymd = tuple[int, int | None, int | None]  # year (negative = BC), month, day
WRAP = 6  # months: a day-month further than this from the anchor is in the next/last year


@dataclass
class Ctx:
    text: str
    dct: Ymd | None
    narrative: bool = False
    ref: Ymd | None = None
    extended: bool = False

    def anchor(self, deictic: bool) -> Ymd | None:
        if deictic and not self.narrative:
            return self.dct
        return self.ref or self.dct


def fmt(y: int | None, m: int | None = None, d: int | None = None) -> str:
    out = "XXXX" if y is None else (f"BC{-y:04d}" if y < 0 else f"{y:04d}")
    if m is not None:
        out += f"-{m:02d}"
        if d is not None:
            out += f"-{d:02d}"
    return out


def _date(a: Ymd | None) -> dt.date | None:
    if a is None or a[1] is None or a[2] is None or a[0] < 1:
        return None
    try:
        return dt.date(a[0], a[1], a[2])
    except ValueError:
        return None


def _valid(y: int | None, m: int, d: int) -> bool:
    try:
        dt.date(y if y and y > 0 else 2000, m, d)
    except ValueError:
        return False
    return True


def _year_for(ctx: Ctx, m: int, d: int | None) -> int | None:
    """Year of a day/month without one: the year that puts it nearest to the anchor (the
    DCT in news, so "19. Oktober" in an early-October article is ahead and "28. Juli"
    behind; the last mentioned date in narratives, so "1. Januar" after "13. Dezember 1862"
    is 1863). An anchor without a month just lends its year."""
    anchor = ctx.ref if ctx.narrative and ctx.ref else (ctx.dct or ctx.ref)
    if anchor is None:
        return None
    y, dm, dd = anchor
    if dm is None:
        return y
    here = dm * 31 + (dd or 15)
    there = m * 31 + (d or 15)
    if there - here > WRAP * 31:
        return y - 1
    if here - there > WRAP * 31:
        return y + 1
    return y


def _year(m: re.Match[str]) -> int | None:
    raw = m.groupdict().get("year")
    if not raw:
        return None
    y = int(raw)
    era = m.groupdict().get("era") or ""
    return -y if ("v" in era and "n." not in era) else y


def _month(raw: str) -> int:
    return R.MONTHS.get(raw.lower().rstrip("."), 0) or int(raw)


def n_dmy(m: re.Match[str], ctx: Ctx) -> str | None:
    mon, day = _month(m.group("mon")), int(m.group("day"))
    y = _year(m)
    if not 1 <= mon <= 12 or not _valid(y, mon, day):
        return None
    value = fmt(y if y is not None else _year_for(ctx, mon, day), mon, day)
    part = (m.groupdict().get("part") or "").lower()
    return value + "T" + R.PARTS[part] if part in R.PARTS else value


def n_iso(m: re.Match[str], ctx: Ctx) -> str | None:
    y, mon, day = int(m.group("year")), int(m.group("mon")), m.group("day")
    if not 1 <= mon <= 12 or (day and not _valid(y, mon, int(day))):
        return None
    return fmt(y, mon, int(day) if day else None)


def n_day_only(m: re.Match[str], ctx: Ctx) -> str | None:
    tail = R.RANGE_TAIL.match(ctx.text, m.end())
    if not tail:
        return None
    mon, day = _month(tail.group("mon")), int(m.group("day"))
    y = _year(tail)
    if not _valid(y, mon, day):
        return None
    value = fmt(y if y is not None else _year_for(ctx, mon, day), mon, day)
    return value + "TNI" if m.group("night") else value


def n_my(m: re.Match[str], ctx: Ctx) -> str | None:
    return fmt(_year(m), _month(m.group("mon")))


def n_m(m: re.Match[str], ctx: Ctx) -> str | None:
    mon = _month(m.group("mon"))
    tail = R.MONTH_RANGE_TAIL.match(ctx.text, m.end())
    same = (m.groupdict().get("same") or "").split()
    if same and ctx.ref:
        step = {"folgenden": 1, "nächsten": 1, "vorigen": -1, "vorangegangenen": -1}
        return fmt(ctx.ref[0] + step.get(same[-1], 0), mon)
    y = int(tail.group("year")) if tail else _year_for(ctx, mon, None)
    return fmt(y, mon)


def n_year(m: re.Match[str], ctx: Ctx) -> str | None:
    return fmt(_year(m))


def n_decade(m: re.Match[str], ctx: Ctx) -> str | None:
    if m.group("decw"):
        return f"19{R.DECADE_WORDS[m.group('decw')]}"
    dec = m.group("dec")
    if len(dec) == 2:
        dec = "19" + dec
    bc = len(dec) < 4 and ctx.ref is not None and ctx.ref[0] < 0
    return ("BC" if bc else "") + dec.zfill(4)[:3]


def n_century(m: re.Match[str], ctx: Ctx) -> str | None:
    c = int(m.group("cent")) - 1
    return ("BC" if m.group("era") else "") + f"{c:02d}"


def n_season(m: re.Match[str], ctx: Ctx) -> str | None:
    y = _year(m)
    if y is None:
        a = ctx.anchor(deictic=True)
        y = a[0] if a else None
    return fmt(y) + "-" + R.SEASONS[m.group("season").lower()]


def n_half(m: re.Match[str], ctx: Ctx) -> str | None:
    y = _year(m)
    if y is None:
        a = ctx.anchor(deictic=True)
        y = a[0] if a else None
    k = ("erste", "zweite", "dritte", "vierte").index(m.group("ord")) + 1
    unit = "H" if "lfte" in m.group("unit") else "Q"
    return None if unit == "H" and k > 2 else f"{fmt(y)}-{unit}{k}"


def n_yearpart(m: re.Match[str], ctx: Ctx) -> str | None:
    a = ctx.anchor(deictic=True)
    if a is None:
        return None
    if "Monat" in (m.group("unit") or m.group("unit2")):
        return fmt(a[0], a[1]) if a[1] else None
    return fmt(a[0])
