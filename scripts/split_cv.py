"""Story-held-out cross-validation of the event split's values (corpus/split.py, issue 12).

    .venv/bin/python scripts/split_cv.py [--corpora dev,dev-bi,dev-2,dev-3]

Ingests each labeled corpus both ways as scripts/events_cv.py does, replays the online
grouping once with the shipped `[cluster]` values (the proto-events do not depend on the
split's values), then for a small grid of split values (plus the split off) cuts every
proto-event as `corpus.assign` does after a pass. Each story is scored by the values best
(events B-cubed F1, mean over stories) on all *other* stories of all corpora and modes; the
grid is ordered most cautious first (off, then the highest time share, margin and minimum
size), so a fold that cannot tell values apart keeps the cautious one. Prints the in-sample
scores off and shipped, the held-out scores, the values each fold chose and, per story, the
held-out F1 against the split off. Nothing is learned from the texts (the corpora's licence
forbids training on them): the grid only chooses among a handful of values.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import Any

import events_cv as cv

from storyline import settings as settings_mod
from storyline.corpus import split
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import place

GRID = {"split_time_share": (0.7, 0.5, 0.0), "split_margin": (4.0, 3.0, 2.0),
        "split_min_size": (5, 4, 3), "split_time_factor": (1.0, 0.5, 0.3)}


def protos(data: dict[str, Any], settings: settings_mod.Settings) -> dict[str, Any]:
    """The online pass: event id per key, proto-event members, the copies' follows."""
    dedup, index = DedupIndex(settings), StoryIndex(settings)
    event, members = {}, defaultdict(list)
    for key, aid, feats in data["rows"]:
        event[key] = place(dedup, index, aid, feats, feats)[1]
        members[event[key]].append((aid, feats))
    keys = {aid: key for key, aid, _ in data["rows"]}
    return {"event": event, "members": members, "follows": dict(index.follows), "keys": keys}


def cut(base: dict[str, Any], cfg: dict[str, Any]) -> dict[str, str]:
    out = dict(base["event"])
    for proto, members in base["members"].items():
        for aid, event in split.split_ids(members, proto, cfg, base["follows"]).items():
            out[base["keys"][aid]] = event
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="dev,dev-bi,dev-2,dev-3")
    args = parser.parse_args()
    settings = settings_mod.load()
    data = cv.ingest_all(args.corpora, settings)
    bases = {run: protos(d, settings) for run, d in data.items()}
    shipped = split.settings_of(settings.section("cluster"))
    points = cv.grid_points(shipped, "event_split", GRID)
    grid = cv.score_points(points, data, lambda run, cfg: cut(bases[run], cfg))
    cv.report_cv("split", grid, points[0], shipped, data)


if __name__ == "__main__":
    main()
