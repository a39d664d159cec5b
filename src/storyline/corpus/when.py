"""When an article's news happened, from what it says: the weekday it names.

Most crawled articles carry no publication date, and most of those name no calendar day
either; but news dates its development by weekday ("am Mittwochabend", "on Tuesday"), and the
first weekday an article names is its news day in 8 of 10 undated articles of the labeled
sets (in 9 of 10 within a day). Without an absolute anchor a weekday cannot be placed on the
calendar, so it is kept as a weekday: an event tallies its undated members' days, and a report
naming a day two or more days from the event's usual days (or from the days its exact dates
span) is likely another development of the story.

Only the news day counts: a weekday in a clause with a future verb and no past one ("am
Montag soll ... beginnen") or after "kommenden/nächsten/bis" announces a later day.
"""

from __future__ import annotations

import re
from datetime import date

from storyline.stages.timex.relative import future_clause
from storyline.stages.timex.rules import WEEKDAYS

_DAY = re.compile(r"(?i)\b(" + "|".join(WEEKDAYS) + r")s?"
                  r"(?:abend|morgen|nachmittag|vormittag|nacht|mittag|früh)?\b")
_AHEAD_BEFORE = re.compile(r"(?i)(?:kommend|nächst|next|coming|bis)\w*\s+$")
# before a calendar date: "bis zum 30. September", "ab dem 1. Mai", "until March 3"
_AHEAD_DATE = re.compile(r"(?i)\b(?:kommend|nächst|next|coming|bis|ab|until|by|from)\w*\s+"
                         r"(?:(?:zum|dem|den|the)\s+)?$")
_REACH = 120  # characters searched for the clause around a weekday
MAJORITY = 0.5  # share of an event's undated members naming a day for it to be a usual day


def news_weekday(text: str) -> int | None:
    """The first weekday (Monday = 0) the text dates past news to, or None."""
    for m in _DAY.finditer(text):
        if not ahead(text, m.start(), m.end(), _REACH, _AHEAD_BEFORE):
            return WEEKDAYS[m.group(1).lower()]
    return None


def ahead(text: str, start: int, end: int, reach: int,
          before: re.Pattern[str] = _AHEAD_DATE) -> bool:
    """Whether text[start:end] (a weekday or a date) announces a later day: a future verb
    and no past one in its clause, or "kommenden", "bis" (`before`) right before it."""
    return future_clause(text, start, end, reach) or \
        bool(before.search(text[max(0, start - 20):start]))


def expected_days(lo: int | None, hi: int | None, tally: list[int]) -> int:
    """Bit mask of the weekdays an event's news may fall on; 0 when nothing is known.

    The days its exact dates span (a day of slack each side) say when it was published, a day
    either side of its members' usual days when its news happened; where both are known, the
    days both allow. Exact dates alone let in any day of a span that has grown to four or five
    days (a Friday memorial joined a crash whose follow-up was dated Thursday and Friday,
    though its reports named Tuesday)."""
    mask = 0
    if lo is not None and hi is not None:
        for day in range(lo - 1, min(hi + 1, lo + 7) + 1):
            mask |= 1 << date.fromordinal(day).weekday()
    usual = 0
    n = sum(tally)
    for d, count in enumerate(tally):
        if n and count >= MAJORITY * n:
            usual |= 1 << (d - 1) % 7 | 1 << d | 1 << (d + 1) % 7
    return mask & usual or mask or usual  # both where they overlap, else whichever is known
