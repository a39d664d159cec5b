"""When an undated article's news happened, from the calendar dates it mentions.

Most crawled articles carry no publication date. The calendar dates they mention as past
news ("Am 28. Juli hatte ...", "on March 24") bound their own news day from below: a report
cannot come before what it looks back to. Its publication date (or the end of its crawl
month) bounds it from above. That range is kept as it is, never narrowed to an invented
day: two reports whose ranges lie two or more days apart are different developments;
overlapping ranges say nothing.

The dates are found by the timex stage's rules (stages/timex), not new patterns: day and
month with or without a year. A date that is announced (a future verb and no past one in its
clause, or "kommenden", "bis" before it, as corpus/when.py skips weekdays; one without a year
also needs a past tense in its clause), one stuck to a
clock time (a page's scrape stamp, "16.12.2019 13:30") and one after the article's own upper
bound (contradicting it) are left out. A date without a year keeps its month and day; it is
resolved against the article's own date (the latest such day on or before it) or, with none,
against the dates of the articles it is compared with (`resolve_md`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from storyline.corpus.when import ahead
from storyline.stages import timex
from storyline.stages.timex.norm import Ctx
from storyline.stages.timex.relative import clause

DAY_RULES = ("dmy", "dmy_num", "day_only", "iso")  # timex rules that name a calendar day
_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})")
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*Uhr)?")
_STAMP_REACH = 8  # characters between a date and a clock time that make it a timestamp
_REACH = 120  # characters searched for the clause around a date (when.py's weekday reach)
# a past tense in the clause: an auxiliary, or a weak preterite / participle ending ("erklärte",
# "stürzte", "crashed"). German states a coming day in the present too ("reist am 19. Oktober
# nach Frankreich", "treten in der Stichwahl am 7. Mai an"), so a date without a year must show
# it is past; no tagger here tells tenses apart, and these endings cover most news clauses
_PAST = re.compile(r"\b(?:[a-zäöüß]{3,}(?:te|ten|tet|ed)|worden|wurden?|waren?|hatten?|habe"
                   r"|haben|hat|ist|sind|was|were|had|has|have|been|said|did)\b")


def mentions(text: str, lang: str) -> list[tuple[int, int, int | None, int, int]]:
    """(month, day, year or None, start, end) of every past calendar day the text mentions."""
    out = []
    for start, end, _, name, m in timex.candidates(text, "en" if lang == "en" else "de"):
        if name not in DAY_RULES:
            continue
        try:
            value = timex.NORMALISERS[name](m, Ctx(text=text, dct=None)) or ""
        except (OverflowError, ValueError):
            continue
        found = _VALUE.match(value)
        if not found or _stamp(text, start, end) or ahead(text, start, end, _REACH):
            continue
        year = None if found.group(1) == "XXXX" else int(found.group(1))
        if year is None and not _PAST.search(clause(text, start, end, _REACH)):
            continue
        out.append((int(found.group(2)), int(found.group(3)), year, start, end))
    return out


def _stamp(text: str, start: int, end: int) -> bool:
    """A clock time right before or after the date: a page's timestamp, not news."""
    return bool(_CLOCK.search(text[max(0, start - _STAMP_REACH - 5):start]) or
                _CLOCK.match(text[end:end + _STAMP_REACH + 5].lstrip(" ,-|")))


def estimate(text: str, lang: str, upper: int | None) -> dict[str, Any] | None:
    """The features' record: {"lo": earliest news day (ordinal) or None, "md": [month, day]
    of the latest year-less date when no year could be given, "hi": `upper`, "text", "at":
    the date that sets the lower bound and its offset, "n": past dates used}; None when the
    text names no past calendar day."""
    best: tuple[int, int, int] | None = None  # (ordinal, start, end)
    loose: tuple[int, int, int, int] | None = None  # (month, day, start, end): no year to give
    used = 0
    for month, day, year, start, end in mentions(text, lang):
        if year is None and upper is not None:
            year = _year_before(month, day, upper)
        if year is None:
            used += 1
            if loose is None or _later((month, day), loose[:2]):
                loose = (month, day, start, end)
            continue
        try:
            ordinal = date(year, month, day).toordinal()
        except ValueError:
            continue
        if upper is not None and ordinal > upper:
            continue  # after the article's own date: announced, or wrong
        used += 1
        if best is None or ordinal > best[0]:
            best = (ordinal, start, end)
    if best is None and loose is None:
        return None
    start, end = best[1:] if best else loose[2:] if loose else (0, 0)
    out: dict[str, Any] = {"lo": best[0] if best else None, "hi": upper, "n": used,
                           "text": text[start:end], "at": start}
    if loose is not None and best is None:
        out["md"] = [loose[0], loose[1]]
    return out


def _later(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether month-day a is later than b in one story's time: within half a year, the
    larger; further apart, the year turned between them (December, then January)."""
    gap = (a[0] * 31 + a[1]) - (b[0] * 31 + b[1])
    return 0 < gap <= 6 * 31 or gap < -6 * 31


def _year_before(month: int, day: int, upper: int) -> int | None:
    """The year that puts month-day on or before `upper`, as late as possible."""
    top = date.fromordinal(upper)
    for year in (top.year, top.year - 1):
        try:
            if date(year, month, day) <= top:
                return year
        except ValueError:  # 29 February
            continue
    return None


def resolve_md(md: tuple[int, int], anchor: int | None) -> int | None:
    """A year-less date's day (ordinal) in the year that puts it nearest `anchor` (a day of
    the article it is compared with), as the timex stage resolves against a date."""
    if anchor is None:
        return None
    top = date.fromordinal(anchor)
    best = None
    for year in (top.year - 1, top.year, top.year + 1):
        try:
            day = date(year, md[0], md[1]).toordinal()
        except ValueError:
            continue
        if best is None or abs(day - anchor) < abs(best - anchor):
            best = day
    return best
