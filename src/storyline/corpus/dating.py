"""When a date in an article is news: the judging behind story timelines.

Dates in an article are judged against its publication span (or, when it has only a crawl
month, the event's): plausible ones fall in a window from WINDOW_BEFORE days before to
WINDOW_AFTER after and weigh less the older they are; a date after the article was published
is an announcement, not what happened; page timestamps are the publication, not the event.
Pure functions over rows, no database.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from storyline.corpus.features import CRAWL_SOURCES

WINDOW_BEFORE = 60  # days: news reports developments of the past weeks, rarely older ones
WINDOW_AFTER = 7  # days: announced dates ("am Montag treffen sich ...") just ahead
RECENT_DAYS = 7  # a date this close before publication is news: full weight
HALF_LIFE = 7  # days: older dates are more often background; their weight halves weekly
MIN_SUPPORT = 0.25  # summed weight a content date needs (one outlet: about three weeks back)
MAX_ANNOUNCED = 3  # announced days listed per entry
Span = tuple[date, date]
Rows = list[dict[str, Any]]


def day_span(value: str | None) -> Span | None:
    """'2016-07-28' -> that day twice; '2016-07' -> first and last day; else None."""
    parts = (value or "").split("-")
    try:
        if len(parts) == 3:
            d = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return d, d
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    except ValueError:  # "XXXX-07-28", "2016-02-30"
        return None
    return None


def order_key(published: str | None) -> str:
    """Sort key for publication dates: a month-only date sorts after every day of its month
    (it only says "some time this month"), and unknown dates sort last."""
    if not published:
        return "9999"
    return published if len(published) >= 10 else f"{published}-32"


def _union(spans: list[Span]) -> Span | None:
    return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None


def anchor_span(article: dict[str, Any], event: Span | None, story: Span | None) -> Span | None:
    """The publication span that dates in this article are judged against.

    A crawl month is only an upper bound (pages get crawled long after), so a real
    publication date of the event or story comes first when the article has none itself."""
    own = day_span(article["published"])
    if own and article["published_source"] not in CRAWL_SOURCES:
        return own
    return event or story or own or day_span(article["crawl_month"])


def resolve(value: str, anchor: Span | None) -> str | None:
    """The value as a day (or month) inside the anchor's window, or None if implausible."""
    if anchor is None:  # nothing to judge by: only fully explicit days count
        return value if len(value) == 10 and value[0].isdigit() else None
    lo, hi = anchor[0] - timedelta(WINDOW_BEFORE), anchor[1] + timedelta(WINDOW_AFTER)
    if value.startswith("XXXX-"):  # a day-month without year: the window may settle it
        month, day = int(value[5:7]), int(value[8:10])
        fits = []
        for year in range(lo.year, hi.year + 1):
            try:
                d = date(year, month, day)
            except ValueError:
                continue
            if lo <= d <= hi:
                fits.append(d.isoformat())
        return fits[0] if len(fits) == 1 else None
    span = day_span(value)
    if span is None:  # bare years and anything else the contract allows
        return None
    if len(value) == 10:
        return value if lo <= span[0] <= hi else None
    return value if span[0] >= lo - timedelta(31) and span[1] <= hi + timedelta(31) else None


def weight(value: str, anchor: Span | None) -> float:
    """How plausible a (resolved) date is as news at the anchor's publication time."""
    if anchor is None or len(value) != 10:
        return 1.0
    gap = (anchor[0] - date.fromisoformat(value)).days
    return 1.0 if gap <= RECENT_DAYS else 0.5 ** ((gap - RECENT_DAYS) / HALF_LIFE)


# A page timestamp ("Veröffentlicht am 20.11.2016", "09.11.2016, 18:55") gives the publication
# day, not the event's: numeric date with a clock time after it, or a publishing word before.
_NUMERIC_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}$")
_CLOCK_AFTER = re.compile(r"^\s*,?\s*\d{1,2}[:.]\d{2}\b")
_DASH_CLOCK_AFTER = re.compile(r"^\s*[,|–-]\s*\d{1,2}[:.]\d{2}\b")
_STAMP_BEFORE = re.compile(r"(?i)\b(?:veröffentlicht|aktualisiert|erstellt|stand|update|"
                           r"published|updated|posted)\b\s*(?:am|on)?\s*:?\s*$")


def is_stamp(date_text: str, before: str, after: str) -> bool:
    return bool(_STAMP_BEFORE.search(before) or _DASH_CLOCK_AFTER.match(after) or (
        _NUMERIC_DATE.search(date_text) and _CLOCK_AFTER.match(after)))


def reported_by(articles: Rows) -> date | None:
    """The last day by which the event was surely reported: the earliest end of any of its
    articles' publication spans (a crawl month included: the page existed by its end)."""
    ends = [span[1] for a in articles
            if (span := day_span(a["published"]) or day_span(a["crawl_month"]))]
    return min(ends) if ends else None


def lateness(article: dict[str, Any], span: Span,
             first_report: date | None) -> tuple[bool, bool]:
    """(surely ahead, maybe ahead) of a date in this article. Surely: after the last day it
    can have been published. Maybe: the article's day is unknown (only a month, or nothing)
    and the date is after the event's first report; such a date counts once a report that
    cannot predate it confirms it (the run-off "am 7. Mai" in first-round reports)."""
    own = day_span(article["published"]) or day_span(article["crawl_month"])
    surely = bool(own and span[0] > own[1])
    exact = bool(own and own[0] == own[1] and article["published_source"] not in CRAWL_SOURCES)
    return surely, surely if exact else bool(first_report and span[0] > first_report)


def spans_of(articles: Rows) -> Span | None:
    return _union([s for a in articles if a["published_source"] not in CRAWL_SOURCES
                   and (s := day_span(a["published"]))])


def pick_date(cands: Rows, *, days: bool = True) -> str | None:
    """The best supported day (or, with days=False, month), page timestamps left out.

    Support sums, over outlets, the best weight of the outlet's mentions (recent dates weigh
    1, older ones less), so a date needs more agreement the further back it lies; ties go
    to more articles, then the earliest day. A date from an article nothing anchors in time
    (no publication date anywhere in its story) counts only when two outlets agree on it:
    alone it is as likely background ("eingereist am 30. Juni 2015") as the event. Dates
    still ahead of their article (announcements) never count."""
    best: dict[str, dict[str, float]] = defaultdict(dict)
    arts: dict[str, set[str]] = defaultdict(set)
    anchored: set[str] = set()
    for c in cands:
        if (len(c["resolved"]) == 10) == days and not c["stamp"] and not c["ahead"]:
            v, outlet = c["resolved"], c["outlet"] or c["article_id"]
            best[v][outlet] = max(best[v].get(outlet, 0.0), c["weight"])
            arts[v].add(c["article_id"])
            if c["anchored"]:
                anchored.add(v)
    score = {v: sum(w.values()) for v, w in best.items()}
    ok = [v for v in best if score[v] >= MIN_SUPPORT and (v in anchored or len(best[v]) >= 2)]
    return min(ok, key=lambda v: (-score[v], -len(arts[v]), v)) if ok else None


def first_published(arts: Rows, cands: Rows) -> tuple[str, dict[str, Any]] | None:
    """The earliest publication date of the event's originals, page timestamps included."""
    by_id = {a["id"]: a for a in arts}
    dated = [(a["published"], a) for a in arts if a["published"] and not a["duplicate_of"]]
    dated += [(c["resolved"], by_id[c["article_id"]]) for c in cands
              if c["stamp"] and len(c["resolved"]) == 10]
    return min(dated, key=lambda d: (order_key(d[0]), d[1]["id"])) if dated else None


def announcements(cands: Rows) -> list[str]:
    """Days only ever mentioned ahead of the articles naming them (none reports them as
    past), most outlets first, at most MAX_ANNOUNCED, in date order."""
    past = {c["resolved"] for c in cands if not c["ahead"]}
    outlets: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        if c["ahead"] and not c["stamp"] and len(c["resolved"]) == 10 and \
                c["resolved"] not in past:
            outlets[c["resolved"]].add(c["outlet"] or c["article_id"])
    top = sorted(outlets, key=lambda v: (-len(outlets[v]), v))[:MAX_ANNOUNCED]
    return sorted(top)
