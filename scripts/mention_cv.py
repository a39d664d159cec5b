"""Story-held-out cross-validation of `[cluster] mention_factor` (corpus/mentioned.py, issue 12).

    .venv/bin/python scripts/mention_cv.py [--corpora dev,dev-bi,dev-2,dev-3]

The online index lowers a join by `mention_factor` when one side looks back to a day two or
more days after the other side was out (Span.apart: the latest past date a text mentions
against an event's earliest upper bound). Ingests each labeled corpus both ways as
scripts/events_cv.py does, then for each value replays the online pass, the shipped split and
the shipped move (scripts/move_cv.py's `split_pass` and `moved`) and scores each story with
the value best on all *other* stories. The values run from 1.0 (off) down, so a fold that
cannot tell values apart keeps the cautious one. Nothing is learned from the texts.
"""

from __future__ import annotations

import argparse

import events_cv as cv
import move_cv

from storyline import settings as settings_mod
from storyline.corpus import move, split

VALUES = (1.0, 0.8, 0.6, 0.5, 0.4, 0.3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="dev,dev-bi,dev-2,dev-3")
    args = parser.parse_args()
    settings = settings_mod.load()
    data = cv.ingest_all(args.corpora, settings)
    cluster = settings.section("cluster")
    moves = move.settings_of(cluster)
    factor = float(split.settings_of(cluster)["split_time_factor"])
    grid: cv.Grid = {}
    for value in VALUES:
        tried = settings.with_overrides({"cluster.mention_factor": value})
        grid[(("mention_factor", value),)] = {
            run: cv.unit_scores(d, run, move_cv.moved(move_cv.split_pass(d, tried), moves,
                                                      factor)) for run, d in data.items()}
    cv.report_cv("mention factor", grid, {"mention_factor": 1.0},
                 {"mention_factor": float(cluster["mention_factor"])}, data,
                 label=lambda values: f"factor={dict(values)['mention_factor']}")


if __name__ == "__main__":
    main()
