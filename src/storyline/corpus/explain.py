"""`storyline why A [B]`: the similarity components behind two articles' grouping, and for one
article the plain reasons it was grouped as it was (a copy, no words, no date, a language with
no shared vocabulary, alone in its event)."""

from __future__ import annotations

import calendar
import json
from dataclasses import asdict
from datetime import date
from typing import Any

from storyline.corpus.assign import MOVES, STATE, unpack
from storyline.corpus.dedup.confirm import is_duplicate
from storyline.corpus.events import DEFAULTS, StoryIndex
from storyline.corpus.split import news_day, relation
from storyline.corpus.vectors import article_terms
from storyline.settings import Settings
from storyline.store import Store


def explain_pair(store: Store, settings: Settings, a: str, b: str) -> dict[str, Any] | None:
    rows = {r["id"]: r for r in store.query(
        "SELECT id, features, duplicate_of, event_id, story_id FROM articles WHERE id IN (?, ?)",
        [a, b])}
    if a not in rows or b not in rows:
        return None
    ra, rb = rows[a], rows[b]
    result: dict[str, Any] = {
        "same_event": ra["event_id"] == rb["event_id"],
        "same_story": ra["story_id"] == rb["story_id"],
        "duplicates": (ra["duplicate_of"] or a) == (rb["duplicate_of"] or b),
        "events": [ra["event_id"], rb["event_id"]],
        "stories": [ra["story_id"], rb["story_id"]],
    }
    index = _index(store, settings)
    fa, fb = json.loads(ra["features"] or "{}"), json.loads(rb["features"] or "{}")
    result.update(index.explain(fa, fb))
    result.update(time_evidence(fa, fb))
    proto, moved = index.members.get(a), _moved(store)
    if ra["event_id"] != rb["event_id"] and (a in moved or b in moved):
        result["event_move"] = MOVE_NOTE
    elif proto and proto == index.members.get(b) and ra["event_id"] != rb["event_id"]:
        result["event_split"] = SPLIT_NOTE
    note = relink_note(index.relinks, a, b) if result["same_story"] else None
    if note:
        result["story_relink"] = note
    # the dedup decision for this pair alone (containment, matched sentences, reason); a
    # group can also hold the two through a third copy
    result["copy"] = asdict(is_duplicate(json.loads(ra["features"]), json.loads(rb["features"]),
                                         settings))
    return result


def relink_note(relinks: dict[str, list[Any]], a: str, b: str) -> str | None:
    """Why two articles share a story the online index had opened apart: the re-link
    (corpus/relink.py) joined the story one of them was in to the other's."""
    for old, (new, score, members) in relinks.items():
        if (a in members) != (b in members):
            return (f"one story through the story re-link (corpus/relink.py): story {old}, "
                    f"opened apart, was joined to {new} when its whole centroid matched "
                    f"(score {score} of the threshold; a shared name and words)")
    return None


SPLIT_NOTE = ("one event as articles came, then cut in two developments (corpus/split.py): "
              "the two groups' news lies days apart, and their reports are far more alike "
              "within each group than across")

MOVE_NOTE = ("moved after the split to a sibling event of its story (corpus/move.py): its "
             "text is far more like that event's reports, and its news day is theirs, days "
             "from those of the event the index had put it in")


def article_notes(store: Store, settings: Settings, article_id: str) -> list[str] | None:
    """Why an article sits where it does, in words a reader can check against the article."""
    row = store.query("SELECT features, duplicate_of, event_id FROM articles WHERE id = ?",
                      [article_id])
    if not row:
        return None
    feats = json.loads(row[0]["features"] or "{}")
    notes = []
    if row[0]["duplicate_of"]:
        notes.append(f"a copy of {row[0]['duplicate_of']}: it follows that article's event")
    cfg = {**DEFAULTS, **settings.section("cluster")}  # as StoryIndex reads them
    minimum = int(cfg["min_terms"])
    # the terms StoryIndex.add counts: lemmas and entity keys
    enough = len(article_terms(feats, float(cfg["entity_weight"]),
                               float(cfg["lead_boost"]))) >= minimum
    if not enough:
        notes.append(f"too few words to compare (fewer than {minimum} content words): left as "
                     "an event and a story of its own")
    notes.append(_date_note(feats))
    est = feats.get("mentioned") or {}
    if est:
        notes.append(f"it looks back to {est.get('text')!r} (the latest past date it names): its "
                     f"news is not earlier ({_range_note(feats)}); reports out two or more days "
                     "before that day are another development")
    day = feats.get("weekday")
    if isinstance(day, int) and 0 <= day < 7 and feats.get("date_kind") != "published":
        notes.append(f"its news day is a {calendar.day_name[day]} (the first past weekday it "
                     "names): events whose news falls two or more days from it weigh less")
    lang = str(feats.get("lang") or "und")
    if lang == "und":
        notes.append("language not recognised: across languages only shared names link articles")
    elif lang not in {"de", "en"}:
        notes.append(f"language '{lang}': words are compared within '{lang}' only; across "
                     "languages only shared names link articles (numbers count beside a name)")
    event = row[0]["event_id"]
    proto = _index(store, settings).members.get(article_id)
    moved_from = _moved(store).get(article_id)
    if event and moved_from and moved_from != event:
        notes.append(f"moved from event {moved_from}: " + MOVE_NOTE)
    elif event and proto and proto != event:
        notes.append(f"a development of its own, cut from event {proto}: " + SPLIT_NOTE)
    size = store.query("SELECT count(*) AS n FROM articles WHERE event_id = ? AND "
                       "superseded_by IS NULL", [event])[0]["n"] if event else 0
    threshold = float(cfg["event_threshold"])
    if not event:
        notes.append("not grouped yet")
    elif size == 1 and enough:
        notes.append(f"alone in its event: no event within the time window scored above the "
                     f"join threshold {threshold:g} (`storyline why {article_id} OTHER` shows "
                     "the components against another article)")
    return notes


RELATION = {-1: "apart: their news lies two or more days apart (another development)",
            1: "agree: their dates lie within a day or they name the same news weekday",
            0: "no telling from dates"}


def time_evidence(fa: dict[str, Any], fb: dict[str, Any]) -> dict[str, Any]:
    """What the two texts' dates say (split.relation, which the split and the move use): each
    side's possible news days and the verdict on the pair."""
    return {"news_days": [_range_note(fa), _range_note(fb)],
            "time_relation": RELATION[relation(news_day(fa), news_day(fb))]}


def _range_note(feats: dict[str, Any]) -> str:
    """'2016-09 (crawl) or earlier; not before 2016-08-03 ("3. August"); names a Wednesday'."""
    exact, weekday, _, hi, md = news_day(feats)
    est = feats.get("mentioned") or {}
    parts = []
    if exact is not None:
        parts.append(f"published {date.fromordinal(exact)}")
    elif hi is not None:
        parts.append(f"by {date.fromordinal(hi)} ({feats.get('date_kind')} {feats.get('date')})")
    if est.get("lo") is not None:
        parts.append(f"not before {date.fromordinal(int(est['lo']))} ({est.get('text')!r})")
    elif md:
        parts.append(f"not before {md[1]:02d}.{md[0]:02d}. of an unknown year "
                     f"({est.get('text')!r}): resolved against the other article's dates")
    if weekday is not None:
        parts.append(f"names a {calendar.day_name[weekday]}")
    return "; ".join(parts) or "nothing dates it"


def _date_note(feats: dict[str, Any]) -> str:
    kind, when = feats.get("date_kind"), feats.get("date")
    if kind == "published":
        return f"dated {when}: compared with events of nearby days"
    if kind == "crawl" or when:
        return (f"only a month is known ({when}): a soft date that can lower a score, "
                "never rule a match out")
    return "no date: compared by content alone, with no time window"


def _moved(store: Store) -> dict[str, str]:
    """Article id -> the event a stray-member move took it from (assign's saved record)."""
    row = store.conn.execute("SELECT data FROM corpus_state WHERE name=?", (MOVES,)).fetchone()
    return dict(json.loads(row[0])) if row else {}


def _index(store: Store, settings: Settings) -> StoryIndex:
    """The saved index, so term weights are the corpus's own; a fresh one if none is saved."""
    row = store.conn.execute("SELECT data FROM corpus_state WHERE name=?", (STATE,)).fetchone()
    if row is None:
        return StoryIndex(settings)
    return StoryIndex.from_state(unpack(row[0])[1], settings)
