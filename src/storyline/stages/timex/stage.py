"""Temporal expressions ("when"): find them in `article.text` and normalise their values.

Why hand-written: no permissively licensed Python library normalises German temporal
expressions against a reference date (dateparser parses "28. Juli" but not "am Mittwoch"
or "Anfang vergangener Woche" relative to a publication date, and does not find spans in
running text). HeidelTime is the reference system but is GPL-3 Java, so at most an
optional extra. This is a rule-based tagger: regexes over month/weekday names, ordinals
and relative phrases (`rules`), normalised by `norm` / `relative`.

Decisions on values (the export contract is YYYY-MM-DD | YYYY-MM | YYYY | XXXX-MM-DD):
- Weeks ("vergangene Woche") carry the date of that week's Monday: the contract has no week
  form, and the Monday is the ISO week's first day, so the value sorts and groups with the
  days of that week. Seasons and halves of a year ("im Sommer 2015") carry the year.
- A month-precision publication date ("2016-10") cannot place day-level deictic expressions
  ("am Mittwoch", "gestern", "vergangene Woche"): they are left out rather than guessed.
  Month and year references ("vergangenen Monat", "im Juli") still resolve.
- Without any year (no publication date, none in the text) a day-month gets "XXXX-MM-DD";
  a month alone cannot be expressed in the contract and is left out.
- Durations ("drei Tage", "seit Jahren"), clock times, decades, centuries, BC years and
  "PRESENT_REF" are recognised (so their words are not misread as dates) but only
  `tag(..., extended=True)` returns them (used by the WikiWarsDE scorer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache

from storyline.datebounds import year_ok
from storyline.model import Article, TimeRef
from storyline.settings import Settings
from storyline.stages.timex import norm as N
from storyline.stages.timex import relative as T
from storyline.stages.timex import rules as R

SETS = ("dates",)

Normaliser = Callable[[re.Match[str], N.Ctx], str | None]
NORMALISERS: dict[str, Normaliser] = {
    "dmy": N.n_dmy, "iso": N.n_iso, "dmy_num": N.n_dmy, "day_only": N.n_day_only,
    "my": N.n_my, "m": N.n_m,
    "year": N.n_year, "decade": N.n_decade, "century": N.n_century, "season": N.n_season,
    "half": N.n_half, "yearpart": N.n_yearpart, "deictic": T.n_deictic,
    "weekday": T.n_weekday, "night_wd": T.n_night_wd, "rel_unit": T.n_rel_unit,
    "compound": T.n_compound, "unit_after": T.n_unit_after, "tags_darauf": T.n_unit_after,
    "offset": T.n_offset, "vague": T.n_vague, "ago": T.n_offset, "duration": T.n_duration,
    "clock": T.n_clock,
}
CONTRACT = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|XXXX-\d{2}-\d{2})$")
_DATEISH = re.compile(r"^(BC)?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_dct(published: str | None) -> N.Ymd | None:
    """'2016-07-28' or '2016-07' (or an ISO timestamp) to (year, month, day|None)."""
    m = _PUBLISHED.match(published or "")
    if not m or not m.group(2) or not year_ok(int(m.group(1))):
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None


def _windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """Merged (lo, hi) windows around each kind of trigger word."""
    found: dict[str, list[int]] = {"digit": [m.start() for m in R.DIGITS.finditer(text)]}
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased
        return {kind: [(0, len(text))] for kind in (*R.TRIGGER_WORDS, "digit")}
    for kind, words in R.TRIGGER_WORDS.items():
        hits = found.setdefault(kind, [])
        for word in words:
            i = low.find(word)
            while i >= 0:
                hits.append(i)
                i = low.find(word, i + 1)
    out: dict[str, list[tuple[int, int]]] = {}
    for kind, starts in found.items():
        spans = out.setdefault(kind, [])
        for i in sorted(starts):
            lo, hi = max(0, i - R.WINDOW), min(len(text), i + R.WINDOW)
            if spans and lo <= spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
            else:
                spans.append((lo, hi))
    return out


Candidate = tuple[int, int, int, str, re.Match[str]]


@lru_cache(maxsize=2)  # the figures stage asks again for the text timex just tagged
def candidates(text: str, lang: str) -> tuple[Candidate, ...]:
    """Non-overlapping rule matches (start, end, rule priority, rule name, match) in text
    order, before normalisation (a tuple: the cached value is shared). corpus/mentioned.py
    reads the calendar days among them."""
    rules = R.ENGLISH if lang == "en" else R.GERMAN
    windows = _windows(text)
    found = {}
    for prio, (name, pattern, check) in enumerate(rules):
        for kind in R.TRIGGERS[name]:
            for lo, hi in windows.get(kind, ()):
                for m in pattern.finditer(text, lo, hi):
                    if m.end() > m.start() and (check is None or check(m, text)):
                        found[(m.start(), m.end(), prio)] = (m.start(), m.end(), prio, name, m)
    # longest match wins, then rule order; keep only non-overlapping spans
    taken = bytearray(len(text) + 1)
    kept = []
    for cand in sorted(found.values(), key=lambda c: (c[0] - c[1], c[2], c[0])):
        if not any(taken[cand[0]:cand[1]]):
            taken[cand[0]:cand[1]] = b"\x01" * (cand[1] - cand[0])
            kept.append(cand)
    kept.sort(key=lambda c: c[0])
    return tuple(kept)


def spans(text: str, lang: str = "de") -> list[tuple[int, int]]:
    """Every span the rules claim, before normalisation: what other stages must not read
    as plain numbers (dates, durations, clock times)."""
    return [(c[0], c[1]) for c in candidates(text, lang)]


def _in_parentheses(text: str, start: int) -> bool:
    lo = max(0, start - 80)
    return text.rfind("(", lo, start) > text.rfind(")", lo, start)


def _update_ref(ctx: N.Ctx, value: str) -> None:
    m = _DATEISH.match(value)
    if not m:
        return
    y = int(m.group(2)) * (-1 if m.group(1) else 1)
    mon = int(m.group(3)) if m.group(3) else None
    day = int(m.group(4)) if m.group(4) else None
    old = ctx.ref
    if old and old[0] == y and (mon is None or (mon == old[1] and day is None)):
        return  # a coarser mention of the same period keeps the finer reference
    ctx.ref = (y, mon, day)


def tag(text: str, published: str | None = None, lang: str = "de", *,
        narrative: bool = False, extended: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, value) for every temporal expression in `text`, in text order.

    `narrative=True` anchors deictic expressions on the last mentioned date instead of the
    publication date (history texts); `extended=True` keeps values beyond the contract.
    """
    ctx = N.Ctx(text=text, dct=parse_dct(published), narrative=narrative)
    ctx.ref = ctx.dct
    out = []
    for start, end, _, name, m in candidates(text, lang):
        try:
            value = NORMALISERS[name](m, ctx)
            shown = to_contract(value) if value and not extended else value
        except (OverflowError, ValueError):  # "31.12.9999" then "am Tag darauf": no date
            continue
        if not value:
            continue
        if not _in_parentheses(text, start):  # "(ab 1929 Jugoslawien)" is an aside
            _update_ref(ctx, value)
        if shown:
            out.append((start, end, shown))
    return out


def to_contract(value: str) -> str | None:
    """Map an extended value onto the export contract, or None when it has no place there."""
    if re.match(r"^\d{4}-W\d{2}$", value):
        return dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1).isoformat()
    if re.match(r"^\d{4}-(?:SP|SU|FA|WI|H\d|Q\d)$", value):
        return value[:4]
    if re.match(r"^(?:\d{4}|XXXX)-\d{2}-\d{2}T\d", value):
        return None  # a clock time is not a date reference
    value = value.split("T", 1)[0]
    return value if CONTRACT.match(value) else None


def run(article: Article, settings: Settings) -> Article:
    """Fill `article.dates`; English rules for English text, German rules otherwise."""
    text = article.text or ""
    lang = "en" if article.lang == "en" else "de"
    article.dates = [
        TimeRef(text=text[s:e], value=v, start=s, end=e)
        for s, e, v in tag(text, article.published, lang)
    ]
    return article
