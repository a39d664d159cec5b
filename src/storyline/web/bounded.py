"""API answers bounded under 1 MB, however large the article, event or story.

Articles: one whose record would come near 1 MB (text, pre-clean text and facts) is served
one part at a time (`?part=N`, the parts the article page shows: at most 50,000 characters
and 1,500 facts each). Its `text` is then the part's text, `text[part_start:part_end]` of
the whole; every fact keeps its offsets into the whole clean text (as in the export) and
comes with the part it starts in; the pre-clean `raw_text` is left out (`raw_text: null`).
Other articles come whole, as one part.

Events and stories: their article lists come in pages (`offset`/`limit`, events of a story
until API_CARDS article cards), each article with its first API_COPIES copies (`n_copies`
counts all), an event's quotes in pages of distinct quotes.
"""

from __future__ import annotations

import json
from typing import Any

from storyline.store import queries
from storyline.store.db import Store
from storyline.web import shape, views

API_COPIES = 10  # copies listed under an article (`n_copies` counts all)
API_CARDS = 1_000  # article cards (with copies) in one story answer, ~450 bytes each
API_EVENT_ARTICLES = 100
BUDGET = 800_000  # estimated bytes of JSON above which an article comes in parts
REMOVED = 200  # removed boilerplate spans listed with the first part
FACT_KINDS = ("entities", "quotes", "dates", "figures")


def article(store: Store, article_id: str, part: int = 1) -> dict[str, Any] | None:
    a = queries.article(store, article_id)
    if a is None:
        return None
    if _size(a) <= BUDGET:
        a.update(part=1, parts=1, part_start=0, part_end=len(a["text"]), next_part=None)
        return a
    starts = sorted(f["start"] for k in FACT_KINDS for f in a[k])
    bounds = shape.parts(a["text"], starts)
    index = min(max(part, 1), len(bounds)) - 1
    lo, hi = bounds[index]
    for kind in FACT_KINDS:
        a[kind] = [f for f in a[kind] if lo <= f["start"] < hi]
    a["removed"] = (a["removed"] or [])[:REMOVED] if index == 0 else []
    a.update(text=a["text"][lo:hi], raw_text=None, part=index + 1, parts=len(bounds),
             part_start=lo, part_end=hi,
             next_part=index + 2 if index + 1 < len(bounds) else None)
    return a


def _size(a: dict[str, Any]) -> int:
    """JSON bytes of the record, closely estimated without serialising it: the texts in
    UTF-8 and a fact's fields beside its text."""
    texts = len(a["text"].encode()) + len((a.get("raw_text") or "").encode())
    facts = sum(len((f.get("text") or "").encode()) + 160 for k in FACT_KINDS for f in a[k])
    return texts + facts + len(json.dumps(a.get("removed") or [], ensure_ascii=False))


def cap_copies(articles: list[dict[str, Any]]) -> int:
    """List API_COPIES copies under each article; the number of cards left."""
    for a in articles:
        a["n_copies"], a["copies"] = len(a["copies"]), a["copies"][:API_COPIES]
    return sum(1 + len(a["copies"]) for a in articles)


def story(store: Store, story_id: str, events_offset: int, events_limit: int
          ) -> dict[str, Any]:
    """A page of the story's events, ending early where API_CARDS article cards are
    reached (at least one event); `next_events_offset` goes on from there."""
    s = views.story(store, story_id, events_offset=events_offset, events_limit=events_limit)
    kept: list[dict[str, Any]] = []
    cards = 0
    for ev in s["events"]:
        n = cap_copies(ev["articles"])
        if kept and cards + n > API_CARDS:
            s["next_events_offset"] = events_offset + len(kept)
            break
        kept.append(ev)
        cards += n
    s["events"] = kept
    return s


def event(store: Store, event_id: str, offset: int, limit: int, quotes_offset: int,
          quotes_limit: int) -> dict[str, Any]:
    """A page of the event's articles (copies folded) and of its distinct quotes."""
    ev = views.event(store, event_id)
    ev["n_top"], ev["n_distinct_quotes"] = len(ev["articles"]), len(ev["quotes"])
    ev["articles"] = ev["articles"][offset:offset + limit]
    ev["quotes"] = ev["quotes"][quotes_offset:quotes_offset + quotes_limit]
    cap_copies(ev["articles"])
    ev.update(offset=offset, limit=limit, quotes_offset=quotes_offset,
              quotes_limit=quotes_limit,
              next_offset=offset + limit if offset + limit < ev["n_top"] else None,
              next_quotes_offset=quotes_offset + quotes_limit
              if quotes_offset + quotes_limit < ev["n_distinct_quotes"] else None)
    return ev
