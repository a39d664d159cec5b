"""What a page shows of a large or repetitive result: an article cut into parts, wire
copies' repeated quotes folded into one, search hits folded by duplicate group and grouped
by event. Pure functions over the query results, so the pages stay bounded (no page over
1 MB: a 1 MB article with 3,791 quotes made a 4.5 MB page) and read without repetition."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from typing import Any

from storyline.store.search import clean_snippet as clean_snippet  # re-exported

PART_CHARS = 50_000  # characters of article text per page
PART_FACTS = 1_500  # highlighted facts per page (each costs ~150 bytes of markup)


def parts(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """[start, end) of each page of an article: at most PART_CHARS characters and PART_FACTS
    fact starts (`starts`, sorted), cut at a paragraph or a space where there is one."""
    out: list[tuple[int, int]] = []
    a = 0
    while a < len(text) or not out:
        b = min(len(text), a + PART_CHARS)
        i = bisect_left(starts, a) + PART_FACTS
        if i < len(starts):
            b = min(b, max(starts[i], a + 1))
        if b < len(text):
            lo = a + (b - a) // 2
            cut = max(text.rfind("\n", lo, b), -1)
            cut = cut if cut >= 0 else text.rfind(" ", lo, b)
            b = cut + 1 if cut > a else b
        out.append((a, b))
        a = b
    return out


def part_of(bounds: list[tuple[int, int]], offset: int) -> int:
    """The index of the part holding `offset` (the last one if beyond)."""
    return next((i for i, (_, b) in enumerate(bounds) if offset < b), len(bounds) - 1)


def in_part(facts: list[dict[str, Any]], a: int, b: int) -> list[dict[str, Any]]:
    """The facts overlapping [a, b), clipped to it, with offsets relative to `a` (the
    global ones kept in `at`, for anchors)."""
    return [{**f, "at": f["start"], "start": max(f["start"], a) - a,
             "end": min(f["end"], b) - a} for f in facts if f["start"] < b and f["end"] > a]


_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def quote_key(text: str) -> str:
    """A quote's text as its copies repeat it: case, punctuation (quotation marks of any
    kind), spacing and accents aside."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _PUNCT.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def fold_quotes(quotes: list[dict[str, Any]], limit: int | None = None) -> list[dict[str, Any]]:
    """Each distinct quote once, in first-seen order, with `also_in` (how many other
    articles repeat it) and `copies` (their ids, the first 20): a wire quote reprinted by 40
    sites is one quote. With `limit`, the first `limit` distinct quotes."""
    first: dict[str, dict[str, Any]] = {}
    articles: dict[str, set[str]] = {}
    for q in quotes:
        key = quote_key(q["text"]) or q["text"]
        if key not in first:
            if limit is not None and len(first) >= limit:
                continue
            first[key] = {**q, "also_in": 0, "copies": []}
            articles[key] = {q["article_id"]}
        elif q["article_id"] not in articles[key]:
            articles[key].add(q["article_id"])
            seen = first[key]
            seen["also_in"] += 1
            if len(seen["copies"]) < 20:
                seen["copies"].append(q["article_id"])
    return list(first.values())


def by_event(hits: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    """Folded hits grouped by event, events in the rank of their best hit."""
    events: dict[str, dict[str, Any]] = {}
    for h in hits:
        key = h.get("event_id") or f"article:{h['id']}"
        group = events.setdefault(key, {"event_id": h.get("event_id"), "hits": [],
                                        "label": labels.get(h.get("event_id") or "", "")})
        group["hits"].append(h)
    return list(events.values())
