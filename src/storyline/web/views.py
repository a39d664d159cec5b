"""One builder per route: the JSON twin returns its dict as is, the HTML page renders it (plus
the few presentational extras the page needs)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from storyline.store import queries
from storyline.store.db import Store
from storyline.web import chart, data, outlets, render, shape

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class NotFound(LookupError):
    """An unknown id: 404 with a JSON error on the API, a friendly page in HTML."""

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"no {kind} with id {ident!r}")
        self.kind, self.ident = kind, ident


def found(record: dict[str, Any] | None, kind: str, ident: str) -> dict[str, Any]:
    """The looked-up record, or NotFound naming what was missing."""
    if record is None:
        raise NotFound(kind, ident)
    return record


class BadRequest(ValueError):
    """A parameter the route cannot use (400)."""


@dataclass(frozen=True)
class StoryFilters:
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    lang: str | None = None
    sort: str = "size"

    @classmethod
    def parse(cls, date_from: str | None, date_to: str | None, outlet: str | None,
              entity: str | None, lang: str | None, sort: str | None) -> StoryFilters:
        """Empty form fields mean "no filter"; dates must be YYYY, YYYY-MM or YYYY-MM-DD."""
        clean = [(v or "").strip() or None for v in (date_from, date_to, outlet, entity, lang)]
        for value in clean[:2]:
            if value and not _DATE.match(value):
                raise BadRequest(f"dates are YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
        if sort not in (None, "", "size", "recent"):
            raise BadRequest("sort is 'size' or 'recent'")
        return cls(clean[0], clean[1], clean[2], clean[3], clean[4], sort=sort or "size")

    def active(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v and k != "sort"}


def story_list(store: Store, f: StoryFilters, limit: int, offset: int) -> dict[str, Any]:
    rows = queries.stories(store, limit=limit + 1, offset=offset, sort=f.sort,
                           date_from=f.date_from, date_to=f.date_to, outlet=f.outlet,
                           entity=f.entity, lang=f.lang)
    more, rows = len(rows) > limit, rows[:limit]
    binned = data.coverage_bins(store, rows)
    for s in rows:
        s["coverage"] = binned[s["id"]]
    return {"stories": rows, "limit": limit, "offset": offset,
            "next_offset": offset + limit if more else None,
            "filters": {**asdict(f)}}


# What one request returns of a long story (thousands of articles): a page of events, the
# first articles of each event (the event page lists them all) and the first quotes.
PAGE_EVENTS, PAGE_PER_EVENT, PAGE_FACTS, PAGE_SPEAKERS = 20, 10, 40, 8
API_EVENTS, API_PER_EVENT, API_FACTS = 100, 200, 200
FOLD_READ = 5  # quotes read per quote shown: wire copies repeat them


def story(store: Store, story_id: str, *, events_offset: int = 0,
          events_limit: int = API_EVENTS, per_event: int = API_PER_EVENT,
          facts_limit: int = API_FACTS) -> dict[str, Any]:
    s = found(queries.story(store, story_id, events_limit=events_limit,
                            events_offset=events_offset, per_event=per_event,
                            facts_limit=facts_limit * FOLD_READ), "story", story_id)
    # the first `facts_limit` distinct quotes, each once with the copies repeating it
    s["quotes"] = shape.fold_quotes(s["quotes"], limit=facts_limit)
    s["figures"] = s["figures"][:facts_limit]
    s["coverage"] = data.coverage_bins(store, [s])[story_id]
    end = events_offset + len(s["events"])
    s.update(events_offset=events_offset, events_limit=events_limit,
             next_events_offset=end if end < s["n_events"] else None)
    return s


def story_page(store: Store, story_id: str, events_offset: int = 0) -> dict[str, Any]:
    s = story(store, story_id, events_offset=events_offset, events_limit=PAGE_EVENTS,
              per_event=PAGE_PER_EVENT, facts_limit=PAGE_FACTS)
    s["timeline"], s["comparison"] = _panels(store, s)
    if s["comparison"] is not None:
        s["comparison"] = with_profiles(s["comparison"])
    ids = [a["id"] for ev in s["events"] for top in ev["articles"]
           for a in (top, *top["copies"])]
    s["leads"] = data.leads(store, ids)
    s["speakers"] = data.speakers(store, story_id, PAGE_SPEAKERS)
    s["chart"] = chart.chart(s["coverage"], s["timeline"], data.event_marks(store, story_id))
    s["timeline_shown"], s["timeline_undated"] = _timeline_page(s)
    return s


# Above this size a story's timeline and comparison (which read every article) are computed
# in the background, not inside the request; the page says they are on their way.
INLINE_PANELS_MAX_ARTICLES = 200


def _panels(store: Store, s: dict[str, Any]) -> list[dict[str, Any] | None]:
    version = int(s.get("version") or 0)
    panels = data.cached_panels(store, s["id"], version)
    if all(p is not None for p in panels) or s["n_articles"] <= INLINE_PANELS_MAX_ARTICLES:
        return [p if p is not None else data.panel(store, module, func, s["id"], version)
                for p, (module, func) in zip(panels, data.PANEL_FUNCS, strict=True)]
    # the route asks the panel worker for them (the views do not know the worker)
    s["panels_pending"] = [module for p, (module, _) in zip(panels, data.PANEL_FUNCS,
                                                            strict=True) if p is None]
    earlier = data.earlier_panels(store, s["id"])
    s["panels_earlier"] = {module: e[0] for p, e, (module, _) in zip(
        panels, earlier, data.PANEL_FUNCS, strict=True) if p is None and e is not None}
    return [p if p is not None or e is None else e[1] for p, e in zip(panels, earlier,
                                                                        strict=True)]


def _timeline_page(s: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """The timeline entries of the events on this page (all when one page holds every event),
    each with its index in the whole timeline (the chart links to `entry-<index>`)."""
    timeline = s["timeline"] or {}
    entries = [{**e, "index": i} for i, e in enumerate(timeline.get("entries", []))]
    undated = list(timeline.get("undated", []))
    if s["next_events_offset"] is None and not s["events_offset"]:
        return entries, undated
    shown = {ev["id"] for ev in s["events"]}
    return ([e for e in entries if e.get("event_id") in shown],
            [u for u in undated if (u.get("event_id") if isinstance(u, dict) else u) in shown])


def corpus_panel(store: Store, story_id: str, module: str, func: str) -> dict[str, Any]:
    """The timeline or comparison JSON twin."""
    rows = store.query("SELECT version FROM stories WHERE id = ?", [story_id])
    result = (data.panel(store, module, func, story_id, rows[0]["version"], quiet=False)
              if rows else None)
    result = found(result, "story", story_id)
    return with_profiles(result) if module == "compare" else result


def with_profiles(comparison: dict[str, Any]) -> dict[str, Any]:
    """The comparison with its outlets summed by country and type (`outlets.coverage`,
    from the outlet profiles file); a copy: the cached panel stays as computed."""
    return {**comparison, "coverage_by": outlets.coverage(comparison.get("outlets") or [],
                                                          outlets.current())}


def event(store: Store, event_id: str) -> dict[str, Any]:
    """An event with all its articles (copies folded) and its quotes, each once (wire
    copies' repeats folded: `also_in`); `n_quotes` counts them all."""
    ev = found(queries.event(store, event_id), "event", event_id)
    ev["n_quotes"] = len(ev["quotes"])
    ev["quotes"] = shape.fold_quotes(ev["quotes"])
    return ev


EVENT_ARTICLES, EVENT_QUOTES = 50, 40  # per page of a large event


def event_page(store: Store, event_id: str, offset: int = 0,
               quotes_offset: int = 0) -> dict[str, Any]:
    """One page of the event: EVENT_ARTICLES canonical articles (with their copies) from
    `offset`, EVENT_QUOTES distinct quotes from `quotes_offset`."""
    ev = event(store, event_id)
    ev["n_top"], ev["n_distinct_quotes"] = len(ev["articles"]), len(ev["quotes"])
    ev["speakers"] = data.quote_speakers(ev["quotes"])[:30]
    ev["names"] = {x["id"]: x["outlet"] or x["source_name"]  # for "also in N copies"
                   for top in ev["articles"] for x in (top, *top["copies"])}
    ev["articles"] = ev["articles"][offset:offset + EVENT_ARTICLES]
    ev["quotes"] = ev["quotes"][quotes_offset:quotes_offset + EVENT_QUOTES]
    ev.update(offset=offset, quotes_offset=quotes_offset, per_page=EVENT_ARTICLES,
              quotes_per_page=EVENT_QUOTES)
    for a in ev["articles"]:
        a["n_copies"], a["copies"] = len(a["copies"]), a["copies"][:EVENT_ARTICLES]
    ids = [a["id"] for top in ev["articles"] for a in (top, *top["copies"])]
    ev["leads"] = data.leads(store, ids)
    ev["story_label"] = data.story_labels(store, [ev["story_id"]]).get(ev["story_id"], "")
    return ev


def article(store: Store, article_id: str) -> dict[str, Any]:
    return found(queries.article(store, article_id), "article", article_id)


def article_page(store: Store, article_id: str, mark: str | None,
                 part: int | None = None) -> dict[str, Any]:
    """The article with its facts highlighted, one part at a time (`shape.parts`): the part
    asked for, else the one holding the `mark`ed passage, else the first."""
    a = article(store, article_id)
    facts = {k: a[k] for k in ("quotes", "entities", "dates", "figures")}
    target = _mark(mark)
    if target:
        facts["target"] = [{"start": target[0], "end": target[1]}]
    bounds = shape.parts(a["text"], sorted(f["start"] for fs in facts.values() for f in fs))
    if part is None:
        index = shape.part_of(bounds, target[0]) if target else 0
    else:
        index = min(max(part, 1), len(bounds)) - 1
    lo, hi = bounds[index]
    shown = {k: shape.in_part(v, lo, hi) for k, v in facts.items()}
    a["highlighted"] = render.highlight(a["text"][lo:hi], shown, base=lo)
    a["part"], a["parts"], a["part_start"], a["part_end"] = index + 1, len(bounds), lo, hi
    a["part_facts"] = {k: v[:LIST_FACTS] for k, v in shown.items()}
    a["part_more"] = {k: max(0, len(v) - LIST_FACTS) for k, v in shown.items()}
    a["removed"] = (a["removed"] or [])[:LIST_FACTS]
    a["marked"] = bool(target)
    labels = data.story_labels(store, [a["story_id"]]) if a["story_id"] else {}
    a["story_label"] = labels.get(a["story_id"] or "", "")
    return a


LIST_FACTS = 200  # quotes, dates, figures listed beside one part of an article


def _mark(mark: str | None) -> tuple[int, int] | None:
    """`?mark=120-180` highlights a passage cited elsewhere (timeline evidence, conflicts)."""
    m = re.fullmatch(r"(\d{1,9})-(\d{1,9})", mark or "")
    return (int(m[1]), int(m[2])) if m and int(m[1]) < int(m[2]) else None


ENTITY_SAMPLE = 500  # newest mentions an entity page and its twin read


def entity(store: Store, key: str) -> dict[str, Any]:
    return found(queries.entity(store, key, limit=ENTITY_SAMPLE), "entity", key)


def entity_page(store: Store, key: str) -> dict[str, Any]:
    e = entity(store, key)
    e["coverage"] = chart.bins([{"date": d if d != "undated" else None, "n": n}
                                 for d, n in e["timeline"]])
    e["stories"] = data.entity_stories(store, key)
    e["articles"] = _by_article(e["mentions"])
    e["leads"] = data.leads(store, [a["article_id"] for a in e["articles"] if not a["title"]])
    return e


def _by_article(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions grouped per article (in date order), first mention kept for the link."""
    out: dict[str, dict[str, Any]] = {}
    for m in mentions:
        row = out.setdefault(m["article_id"], {**m, "n": 0, "forms": []})
        row["n"] += 1
        if m["text"] not in row["forms"]:
            row["forms"].append(m["text"])
    return list(out.values())


def search(store: Store, q: str, *, outlet: str | None, lang: str | None, story_id: str | None,
           limit: int, offset: int) -> dict[str, Any]:
    result = queries.search(store, q, limit=limit, offset=offset, outlet=outlet, lang=lang,
                            story=story_id)
    for h in result["hits"]:
        h["snippet"], h["marks"] = shape.clean_snippet(h["snippet"])
    # this page's articles with their copies (the store folded them before paging)
    result["n_hits"] = sum(1 + h["n_copies"] for h in result["hits"])
    result.update(limit=limit, offset=offset,
                  filters={"outlet": outlet, "lang": lang, "story": story_id},
                  next_offset=offset + limit if offset + limit < result["n_groups"] else None)
    return result


def search_page(store: Store, result: dict[str, Any]) -> dict[str, Any]:
    stories = list(result["facets"].get("story_id", {}))
    result["story_labels"] = data.story_labels(store, [s for s in stories if s])
    result["leads"] = data.leads(store, [h["id"] for h in result["hits"] if not h["title"]])
    labels = data.event_labels(store, [h["event_id"] for h in result["hits"] if h["event_id"]])
    result["events"] = shape.by_event(result["hits"], labels)
    return result
