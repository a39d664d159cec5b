"""Story timelines: one dated entry per event, dated from what the articles SAY, not only from
when they were published ("Am 28. Juli ... verkündet" in an August article dates July 28).

For each event, the `dates` facts of its original (non-duplicate) articles are judged
(corpus/dating.py): kept when plausible around the publication date, weighed by age, set
apart as announcements when they lie ahead of their article. The event's date is the best
supported day (summed over outlets; ties: more articles, then earliest); failing that, the
first publication date (page timestamps in the text count as such); failing that, a month
named in the text. Each entry carries its best evidence sentence and the outlets that
reported it, each with its first report. Pure reads, all scoped to one story.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from storyline.corpus.dating import (
    Rows,
    anchor_span,
    announcements,
    day_span,
    first_published,
    is_stamp,
    lateness,
    order_key,
    pick_date,
    reported_by,
    resolve,
    spans_of,
    weight,
)
from storyline.stages.quotes.text import sentences, tokenize
from storyline.store.db import Store

TOP_ENTITIES = 5  # entities of an event that make a sentence good evidence
LEAD_MIN_WORDS = 6  # shorter first "sentences" are datelines, captions, kickers


_LINE = re.compile(r"\S(?:[^\n]*\S)?")  # one line, trimmed


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
    names = store.query("SELECT id, label, title FROM events WHERE story_id = ?", [story_id])
    labels = {r["id"]: r["label"] for r in names}
    titles = {r["id"]: r["title"] or r["label"] for r in names}
    return {"articles": articles, "dates": dates, "mentions": mentions, "labels": labels,
            "titles": titles}


def _candidates(data: dict[str, Any]) -> dict[str, Rows]:
    """Plausible content dates per event, each with its article, outlet and resolved value."""
    by_id = {a["id"]: a for a in data["articles"]}
    by_event: dict[str, Rows] = defaultdict(list)
    for a in data["articles"]:
        by_event[a["event_id"]].append(a)
    story_span = spans_of(data["articles"])
    event_span = {ev: spans_of(arts) for ev, arts in by_event.items()}
    first_report = {ev: reported_by(arts) for ev, arts in by_event.items()}
    found: dict[str, Rows] = defaultdict(list)
    for d in data["dates"]:
        a = by_id[d["article_id"]]
        anchor = anchor_span(a, event_span[a["event_id"]], story_span)
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
            "title": data["titles"].get(event_id, ""),
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
