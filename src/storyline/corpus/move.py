"""Stray-member move: a report the online index put in the wrong development of its story
moves to the sibling event it belongs to.

The event split (corpus/split.py) cuts a proto-event only where both developments have
several members. An event that took one to three early reports of another development (three
crash reports inside the event of the finding, two days later) keeps them: one odd report is
no development of its own. But that report's own development is usually already an event of
the same story. So after the split, inside one story, every member is compared with each
sibling event of the story, by the split's pair similarity (TF-IDF cosine with the story's
own idf, lowered where news days lie apart, languages levelled). A member moves when

- its mean similarity to the sibling is `move_margin` times that to the rest of its own
  event (copies of itself left out of both: a copy says nothing of where a text belongs),
- its news day agrees with the sibling's members (most comparable pairs agree) and
  disagrees with its own event's (most comparable pairs lie two or more days apart).

Every decision is read off the assignment before any move, so the result is a pure function
of the story's membership (the members' features, copies and split events in sort order)
and does not depend on how the articles came in batches. The margin was chosen by
story-held-out cross-validation (scripts/split_cv.py); nothing is learned from texts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from storyline.corpus import split
from storyline.corpus.events import DEFAULTS as EVENT_DEFAULTS
from storyline.corpus.split import Member, news_day, relations, similarities
from storyline.settings import Settings

DEFAULTS: dict[str, Any] = {"event_move": True, "move_margin": 1.75, "move_min_size": 3,
                            "move_days": "apart"}
DAY_RULES = ("apart", "consistent", "ignore")  # most cautious first
MAX_MEMBERS = 300  # a bigger story is left as the split left it: pairs grow as n squared
# (split.similarities: 300 members 0.5 s, 1000 members 5 s)
Row = tuple[str, dict[str, Any], str, str]  # article id, features, event id, copy group
Placed = tuple[str, str, str, str]  # article id, event id (before moves), story id, copy group


def settings_of(section: dict[str, Any]) -> dict[str, Any]:
    return {**DEFAULTS, **{k: v for k, v in section.items() if k in DEFAULTS}}


def story_moves(placed: Sequence[Placed], load: Callable[[list[str]], list[Member]],
                settings: Settings, days: Callable[[list[str]], list[Member]] | None = None
                ) -> dict[str, str]:
    """Article id -> new event id for the members that move, over every member of the
    stories to look at (`placed`, any order). Only stories of two or more events (and at
    most MAX_MEMBERS members) are read: `load` gives their stored features in sort order,
    in one call. With `days` (the same, with only the fields `news_day` reads), the day
    evidence is checked first and only the stories where a member may move are loaded
    whole: in most passes none is."""
    cluster = {**EVENT_DEFAULTS, **settings.section("cluster")}
    cfg = settings_of(cluster)
    stories: dict[str, list[Placed]] = defaultdict(list)
    for row in placed:
        stories[row[2]].append(row)
    wanted = [row[0] for rows in stories.values() if len({r[1] for r in rows}) > 1
              and len(rows) <= MAX_MEMBERS for row in rows]
    if not cfg["event_move"] or not wanted:
        return {}
    info = {aid: (ev, st, group) for aid, ev, st, group in placed}
    members = _rows(days or load, wanted, info)
    if days is not None:
        maybe = [rows for rows in members.values() if _day_evidence(rows, cfg) is not None]
        members = _rows(load, [row[0] for rows in maybe for row in rows], info)
    factor = float(split.settings_of(cluster)["split_time_factor"])
    out: dict[str, str] = {}
    for rows in members.values():
        out.update(move_ids(rows, cfg, factor, float(cluster["entity_weight"]),
                            float(cluster["lead_boost"])))
    return out


def _rows(load: Callable[[list[str]], list[Member]], ids: list[str],
          info: dict[str, tuple[str, str, str]]) -> dict[str, list[Row]]:
    """Story id -> its members' rows, in sort order (`load`'s)."""
    members: dict[str, list[Row]] = defaultdict(list)
    for aid, feats in load(ids) if ids else ():
        ev, st, group = info[aid]
        members[st].append((aid, feats, ev, group))
    return members


def move_ids(rows: Sequence[Row], cfg: dict[str, Any], time_factor: float,
             entity_weight: float = 2.0, lead_boost: float = 1.0) -> dict[str, str]:
    """Article id -> new event id for the members of one story (rows in sort order) that
    move; copies of one text in one event (same copy group) are judged once and move
    together."""
    evidence = _day_evidence(rows, cfg)
    if evidence is None:
        return {}
    rel, first, allowed = evidence
    sims = similarities([f for _, f, _, _ in rows], rel, time_factor, entity_weight,
                        lead_boost)
    judged = {key: _target(first[key], *allowed[key], sims, float(cfg["move_margin"]))
              for key in first}
    return {aid: target for aid, _, ev, group in rows
            if (target := judged[(ev, group)]) is not None}


Allowed = dict[tuple[str, str], tuple[list[int], list[tuple[str, list[int]]]]]


def _day_evidence(rows: Sequence[Row], cfg: dict[str, Any]
                  ) -> tuple[np.ndarray, dict[tuple[str, str], int], Allowed] | None:
    """The pair relations, each (event, copy group)'s first member and the siblings the day
    evidence lets it move to; None where no member may move. It reads only the news days,
    so where it lets no member move (most stories in most passes) the similarities, most
    of the move's cost, are not built."""
    events = {ev for _, _, ev, _ in rows}
    if not cfg["event_move"] or len(events) < 2 or len(rows) > MAX_MEMBERS:
        return None
    rel = relations([news_day(f) for _, f, _, _ in rows])  # relation() of every pair
    groups = [group for _, _, _, group in rows]
    by_event: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, ev, _) in enumerate(rows):
        by_event[ev].append(i)
    first: dict[tuple[str, str], int] = {}
    for i, (_, _, ev, group) in enumerate(rows):
        first.setdefault((ev, group), i)
    allowed = {key: _allowed(i, key[0], by_event, rel, groups, int(cfg["move_min_size"]),
                             str(cfg["move_days"])) for key, i in first.items()}
    if not any(sibs for _, sibs in allowed.values()):
        return None
    return rel, first, allowed


Peers = list[int]


def _allowed(i: int, own: str, by_event: dict[str, list[int]], rel: np.ndarray,
             groups: Sequence[str], minimum: int, rule: str
             ) -> tuple[Peers, list[tuple[str, Peers]]]:
    """(the rest of member i's event, the sibling events with their members that the day
    evidence lets it move to): none when it is alone or, under "apart", its day does not
    disagree with its event's. Copies of i itself are left out of both."""
    def others(ev: str) -> Peers:
        return [j for j in by_event[ev] if groups[j] != groups[i]]

    rest = others(own)
    home_days = _days(i, rest, rel) if rest else 0
    if not rest or (rule == "apart" and home_days >= 0):
        return rest, []
    sibs = []
    for ev in sorted(by_event):
        peers = others(ev) if ev != own else []
        if len({groups[j] for j in peers}) >= minimum and _fits(
                rule, _days(i, peers, rel), home_days):
            sibs.append((ev, peers))
    return rest, sibs


def _target(i: int, rest: Peers, sibs: list[tuple[str, Peers]], sims: np.ndarray,
            margin: float) -> str | None:
    """The sibling event member i belongs to, or None to stay."""
    if not sibs:
        return None
    best, best_sim = None, margin * float(np.mean(sims[i, rest]))
    for ev, peers in sibs:
        sim = float(np.mean(sims[i, peers]))
        if sim > best_sim:
            best, best_sim = ev, sim
    return best


def _days(i: int, peers: list[int], rel: np.ndarray) -> int:
    """1: most pairs of i with peers whose days compare agree; -1: most lie apart; 0: no
    telling (none compare, or a tie)."""
    score = int(rel[i, peers].sum())
    return (score > 0) - (score < 0)


def _fits(rule: str, there: int, home: int) -> bool:
    """Whether the day evidence lets a member move: "apart", its day agrees with the sibling
    (and, checked before, disagrees with its own event); "consistent", the sibling's days
    fit it no worse than its own event's; "ignore", similarity alone decides."""
    if rule == "apart":
        return there > 0
    return rule == "ignore" or there >= home
