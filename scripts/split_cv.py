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
import itertools
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import events_cv as cv

from storyline import settings as settings_mod
from storyline.corpus import split
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import place

GRID = {"split_time_share": (0.7, 0.5, 0.0), "split_margin": (4.0, 3.0, 2.0),
        "split_min_size": (5, 4, 3), "split_time_factor": (1.0, 0.5, 0.3)}
Point = tuple[tuple[str, Any], ...]


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
    with tempfile.TemporaryDirectory() as tmp:
        data = {(c, m): cv.ingest(c, m, settings, Path(tmp))
                for c in args.corpora.split(",") for m in cv.MODES}
    bases = {run: protos(d, settings) for run, d in data.items()}
    shipped = split.settings_of(settings.section("cluster"))
    points = [{**shipped, "event_split": False}] + [
        {**shipped, "event_split": True, **dict(zip(GRID, v, strict=True))}
        for v in itertools.product(*GRID.values())]
    grid: dict[Point, dict[cv.Run, dict[cv.Unit, tuple[float, float]]]] = {}
    for cfg in points:
        per_run = {}
        for run, d in data.items():
            units: dict[cv.Unit, list[tuple[float, float]]] = defaultdict(list)
            for key, pr in cv.per_item(d, cut(bases[run], cfg)).items():
                units[cv.unit_of(d, key, run[0])].append(pr)
            per_run[run] = {u: cv.mean_pr(v) for u, v in units.items()}
        grid[tuple(sorted(cfg.items()))] = per_run
    off, ship = tuple(sorted(points[0].items())), tuple(sorted(shipped.items()))
    cv.report("in sample, split off", grid[off], data, spread=True)
    cv.report("in sample, shipped values", grid[ship], data, spread=True)
    result, chosen = cv.held_out(grid)  # max() keeps the first of equals: the cautious one
    cv.report("story-held-out CV", result, data, spread=True)
    for values, n in chosen.most_common():
        print(f"  {dict(values)}: chosen by {n} folds")
    print("\nper story (held out): events B-cubed F1, split off -> held-out values")
    for run in data:
        for unit, pr in sorted(result[run].items()):
            print(f"  {run[0]:7} {run[1]:7} {unit[1][:28]:28} "
                  f"{cv.f1(*grid[off][run][unit]):.3f} -> {cv.f1(*pr):.3f}")


if __name__ == "__main__":
    main()
