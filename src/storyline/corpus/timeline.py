"""Story timelines: one dated entry per event, dated from what the articles SAY, not only from
when they were published ("Am 28. Juli ... verkündet" in an August article dates July 28).

For each event, the `dates` facts of its original (non-duplicate) articles are kept when they
fall in a window around the publication date (WINDOW_BEFORE days before to WINDOW_AFTER
after): years, history and far-off dates drop out, and older dates weigh less. The event's
date is the best supported day (summed over outlets; ties: more articles, then earliest);
failing that, the first publication date (page timestamps in the text count as such); failing
that, a month named in the text. Pure reads, all scoped to one story.

A date after the reporting article was published is an announcement ("Putin reist am 19.
Oktober nach Frankreich"), not what happened: it never dates the event, and the entry lists it
under `announced` until an article published on or after that day reports it. An article
known only by its crawl month may have been published any day up to it, so its dates are
judged against the earliest report of the event instead.
"""

from __future__ import annotations

import calendar
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from storyline.corpus.features import CRAWL_SOURCES
from storyline.stages.quotes_text import sentences, tokenize
from storyline.store.db import Store

WINDOW_BEFORE = 60  # days: news reports developments of the past weeks, rarely older ones
WINDOW_AFTER = 7  # days: announced dates ("am Montag treffen sich ...") just ahead
RECENT_DAYS = 7  # a date this close before publication is news: full weight
HALF_LIFE = 7  # days: older dates are more often background; their weight halves weekly
MIN_SUPPORT = 0.25  # summed weight a content date needs (one outlet: about three weeks back)
TOP_ENTITIES = 5  # entities of an event that make a sentence good evidence
MAX_ANNOUNCED = 3  # announced days listed per entry
LEAD_MIN_WORDS = 6  # shorter first "sentences" are datelines, captions, kickers
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


def _anchor(article: dict[str, Any], event: Span | None, story: Span | None) -> Span | None:
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
_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # one line, trimmed
_NUMERIC_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}$")
_CLOCK_AFTER = re.compile(r"^\s*,?\s*\d{1,2}[:.]\d{2}\b")
_DASH_CLOCK_AFTER = re.compile(r"^\s*[,|–-]\s*\d{1,2}[:.]\d{2}\b")
_STAMP_BEFORE = re.compile(r"(?i)\b(?:veröffentlicht|aktualisiert|erstellt|stand|update|"
                           r"published|updated|posted)\b\s*(?:am|on)?\s*:?\s*$")


def is_stamp(date_text: str, before: str, after: str) -> bool:
    return bool(_STAMP_BEFORE.search(before) or _DASH_CLOCK_AFTER.match(after) or (
        _NUMERIC_DATE.search(date_text) and _CLOCK_AFTER.match(after)))


@lru_cache(maxsize=512)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the sentences (the quotes stage's splitter knows "am 28. Juli"),
    also cut at line breaks: a headline, dateline or timestamp line is no part of the next."""
    toks = tokenize(text)
    out = []
    for a, b in sentences(text, toks):
        start, end = toks[a].start, toks[b - 1].end
        for line in _LINE.finditer(text, start, end):
            out.append(line.span())
    return tuple(out)


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    for start, end in sentence_spans(text):
        if start <= offset < end:
            return start, end
    return offset, offset


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


def _spans_of(articles: Rows) -> Span | None:
    return _union([s for a in articles if a["published_source"] not in CRAWL_SOURCES
                   and (s := day_span(a["published"]))])


def _load(store: Store, story_id: str) -> dict[str, Any] | None:
    articles = store.query(
        "SELECT id, outlet, published, published_source, crawl_month, event_id, duplicate_of "
        "FROM articles WHERE story_id = ? AND superseded_by IS NULL ORDER BY sort_key",
        [story_id])
    if not articles:
        return None
    originals = [a["id"] for a in articles if not a["duplicate_of"]]
    marks = json.dumps(originals)
    dates = store.query(
        "SELECT d.article_id, d.start, d.end, d.text, d.value, substr(a.text, d.end + 1, 16) "
        "AS after, substr(a.text, max(1, d.start - 23), min(24, d.start)) AS before FROM dates d "
        "JOIN articles a ON a.id = d.article_id WHERE d.article_id IN "
        "(SELECT value FROM json_each(?)) ORDER BY d.article_id, d.start", [marks])
    mentions = store.query("SELECT article_id, start, entity_key FROM mentions WHERE article_id "
                           "IN (SELECT value FROM json_each(?))", [marks])
    labels = {r["id"]: r["label"] for r in store.query(
        "SELECT id, label FROM events WHERE story_id = ?", [story_id])}
    return {"articles": articles, "dates": dates, "mentions": mentions, "labels": labels}


def _candidates(data: dict[str, Any]) -> dict[str, Rows]:
    """Plausible content dates per event, each with its article, outlet and resolved value."""
    by_id = {a["id"]: a for a in data["articles"]}
    by_event: dict[str, Rows] = defaultdict(list)
    for a in data["articles"]:
        by_event[a["event_id"]].append(a)
    story_span = _spans_of(data["articles"])
    event_span = {ev: _spans_of(arts) for ev, arts in by_event.items()}
    first_report = {ev: reported_by(arts) for ev, arts in by_event.items()}
    found: dict[str, Rows] = defaultdict(list)
    for d in data["dates"]:
        a = by_id[d["article_id"]]
        anchor = _anchor(a, event_span[a["event_id"]], story_span)
        value = resolve(d["value"], anchor)
        span = day_span(value) if value else None  # resolve gives days and months only
        if value and span:
            surely, maybe = lateness(a, span, first_report[a["event_id"]])
            found[a["event_id"]].append({
                **d, "resolved": value, "outlet": a["outlet"], "anchored": anchor is not None,
                "weight": weight(value, anchor), "ahead": surely, "maybe_ahead": maybe,
                "stamp": is_stamp(d["text"], d["before"], d["after"])})
    for cands in found.values():
        confirmed = {c["resolved"] for c in cands if not c["maybe_ahead"]}
        for c in cands:
            c["ahead"] = c["ahead"] or (c["maybe_ahead"] and c["resolved"] not in confirmed)
    return found


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


def _texts(store: Store, ids: list[str]) -> dict[str, str]:
    rows = store.query("SELECT id, text FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                       [json.dumps(sorted(set(ids)))])
    return {r["id"]: r["text"] for r in rows}


def _evidence(store: Store, cands: Rows, value: str,
              top: set[str], mentions: dict[str, Rows],
              order: dict[str, int]) -> dict[str, Any]:
    """The sentence stating the chosen date; prefer one naming the event's main entities,
    then the earliest article, then the earliest position (leads summarise)."""
    chosen = [c for c in cands if c["resolved"] == value]
    texts = _texts(store, [c["article_id"] for c in chosen])
    best: tuple[tuple[int, int, int], dict[str, Any]] | None = None
    for c in chosen:
        text = texts[c["article_id"]]
        s, e = sentence_at(text, c["start"])
        named = {m["entity_key"] for m in mentions.get(c["article_id"], [])
                 if s <= m["start"] < e and m["entity_key"] in top}
        rank = (-len(named), order[c["article_id"]], c["start"])
        if best is None or rank < best[0]:
            best = (rank, {"article_id": c["article_id"], "outlet": c["outlet"],
                           "text": text[s:e], "start": s, "end": e, "date_text": c["text"]})
    assert best is not None
    return best[1]


def reporting_outlets(articles: Rows) -> Rows:
    """Each outlet with its first article (copies count: a site carrying wire copy reported)."""
    first: dict[str, dict[str, Any]] = {}
    for a in sorted(articles, key=lambda a: (order_key(a["published"]), a["id"])):
        first.setdefault(a["outlet"] or "", a)
    return [{"outlet": o or None, "first_reported": a["published"], "article_id": a["id"]}
            for o, a in sorted(first.items(), key=lambda kv: (order_key(kv[1]["published"]),
                                                             kv[0]))]


def _lead_evidence(store: Store, article: dict[str, Any]) -> dict[str, Any]:
    """Without a content date, the first article's lead sentence stands for the event (the
    first with a few words: not a dateline like "dpa Washington." or a caption)."""
    text = _texts(store, [article["id"]]).get(article["id"], "")
    spans = sentence_spans(text) or ((0, 0),)
    s, e = next((sp for sp in spans if len(text[sp[0]:sp[1]].split()) >= LEAD_MIN_WORDS),
                spans[0])
    return {"article_id": article["id"], "outlet": article["outlet"], "text": text[s:e],
            "start": s, "end": e, "date_text": None}


def _top_entities(arts: Rows, mentions: dict[str, Rows]) -> set[str]:
    counts = Counter(k for a in arts for k in {m["entity_key"] for m in mentions.get(a["id"], [])})
    return {k for k, _ in counts.most_common(TOP_ENTITIES)}


def _entry(store: Store, event_id: str, arts: Rows, data: dict[str, Any],
           cands: Rows, mentions: dict[str, Rows],
           order: dict[str, int]) -> dict[str, Any] | None:
    """Date by content day, else by first publication, else by content month: a month named
    in the text ("im vergangenen Monat") is more often background than the event itself."""
    dated = first_published(arts, cands)
    value = pick_date(cands) or (None if dated else pick_date(cands, days=False))
    top = _top_entities(arts, mentions)
    past = [c for c in cands if not c["ahead"]]  # an announcement is no evidence it happened
    if value:
        evidence = _evidence(store, past, value, top, mentions, order)
        source = "content"
        support = [c for c in past if c["resolved"] == value]
    elif dated:
        value, evidence, source, support = (dated[0], _lead_evidence(store, dated[1]),
                                            "published", [])
    else:
        return None
    ahead = [c for c in cands if c["ahead"]]
    announced = [{"date": day, "evidence": _evidence(store, ahead, day, top, mentions, order),
                  "outlets": len({c["outlet"] for c in ahead if c["resolved"] == day})}
                 for day in announcements(cands)]
    return {"date": value, "date_source": source, "event_id": event_id,
            "label": data["labels"].get(event_id, ""), "evidence": evidence,
            "announced": announced,
            "support": {"articles": len({c["article_id"] for c in support}),
                        "outlets": len({c["outlet"] for c in support})},
            "outlets": reporting_outlets(arts), "n_articles": len(arts)}


def story_timeline(store: Store, story_id: str) -> dict[str, Any] | None:
    """The story's events as dated entries with evidence sentences; see the module doc."""
    data = _load(store, story_id)
    if data is None:
        return None
    order = {a["id"]: i for i, a in enumerate(data["articles"])}
    mentions: dict[str, Rows] = defaultdict(list)
    for m in data["mentions"]:
        mentions[m["article_id"]].append(m)
    events: dict[str, Rows] = defaultdict(list)
    for a in data["articles"]:
        events[a["event_id"]].append(a)
    found = _candidates(data)
    entries, undated = [], []
    for event_id, arts in events.items():
        entry = _entry(store, event_id, arts, data, found.get(event_id, []), mentions, order)
        if entry is None:
            undated.append(event_id)
        else:
            entries.append(entry)
    entries.sort(key=lambda e: (e["date"], e["event_id"]))
    return {"story_id": story_id, "entries": entries, "undated": sorted(undated)}
