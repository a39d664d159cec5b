"""When an article's news happened, from what it says: the weekdays it names.

Most crawled articles carry no publication date, and most of those name no calendar day
either; but news dates its development by weekday ("am Mittwochabend", "on Tuesday"). Two
reports of one development name the same day or the next; two developments of one story
days apart mostly name days two or more apart. Without an absolute anchor a weekday cannot
be placed on the calendar, so it is kept as a weekday: a 7-bit mask per article, the union
over a cluster's members, compared modulo the week.

Only the news day counts: a weekday in a clause with a future verb and no past one ("am
Montag soll ... beginnen") or after "kommenden/nächsten/bis" announces a later day.
"""

from __future__ import annotations

import re

from storyline.stages.timex.rules import CLAUSE_BREAK, FUTURE_CUE, PAST_CUE, WEEKDAYS

_DAY = re.compile(r"(?i)\b(" + "|".join(WEEKDAYS) + r")s?"
                  r"(?:abend|morgen|nachmittag|vormittag|nacht|mittag|früh)?\b")
_AHEAD_BEFORE = re.compile(r"(?i)(?:kommend|nächst|next|coming|bis)\w*\s+$")
_REACH = 120  # characters searched for the clause around a weekday


def news_weekdays(text: str) -> int:
    """Bit d set (Monday = 0) for every weekday the text dates past news to."""
    mask = 0
    for m in _DAY.finditer(text):
        lo, hi = max(0, m.start() - _REACH), m.end() + _REACH
        start = max((b.end() for b in CLAUSE_BREAK.finditer(text, lo, m.start())), default=lo)
        stop = CLAUSE_BREAK.search(text, m.end(), hi)
        clause = text[start:stop.start() if stop else hi]
        if FUTURE_CUE.search(clause) and not PAST_CUE.search(clause):
            continue
        if _AHEAD_BEFORE.search(text[max(0, m.start() - 20):m.start()]):
            continue
        mask |= 1 << WEEKDAYS[m.group(1).lower()]
    return mask


def days_apart(a: int, b: int) -> int:
    """The fewest days, modulo the week, between a day of mask a and one of mask b (0 when
    either is empty: no evidence)."""
    if not a or not b:
        return 0
    return min(min((i - j) % 7, (j - i) % 7)
               for i in range(7) if a >> i & 1 for j in range(7) if b >> j & 1)
