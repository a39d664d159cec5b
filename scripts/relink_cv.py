"""Story-held-out cross-validation of the story re-link's values (corpus/relink.py, issue 12).

    .venv/bin/python scripts/relink_cv.py [--corpora dev,dev-bi,dev-2,dev-3] [--db-dir DIR]

Ingests each labeled corpus both ways as scripts/events_cv.py does (or reads the databases
`--db-dir` holds, named CORPUS-MODE.db, from an earlier ingest), then for a small grid of
re-link values (plus the re-link off) replays the online grouping, where the re-link runs,
and scores every story by **stories** B-cubed (a story is the unit, noise one unit per
corpus). Each story is scored by the values best (stories B-cubed F1, mean over units) on all
*other* stories of all corpora and modes; the grid is ordered most cautious first (off, then
the highest threshold, the largest minimum sizes, the lowest soft floor), so a fold that
cannot tell values apart keeps the cautious one. Nothing is learned from the texts (the
corpora's licence forbids training on them): the grid only chooses among a handful of values.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path
from typing import Any

import events_cv as cv

from storyline import settings as settings_mod
from storyline.corpus import relink
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import place
from storyline.eval.clustering import join_key

GRID: dict[str, tuple[Any, ...]] = {"relink_threshold": (0.3, 0.28, 0.25, 0.22),
                                    "relink_min_size": (4, 3, 2),
                                    "relink_target_size": (4, 2, 1),
                                    "relink_soft_floor": (0.3, 0.7, 1.0)}


def as_stories(data: dict[str, Any]) -> dict[str, Any]:
    """The run with each article's story as its 'event', so events_cv's scorers score
    stories."""
    labels = {k: {**lab, "event": lab["story"] if lab["event"] != "noise" else "noise"}
              for k, lab in data["labels"].items()}
    return {**data, "labels": labels}


def stories(data: dict[str, Any], settings: settings_mod.Settings) -> dict[str, str]:
    """Article key -> story id after the online pass and its re-links."""
    dedup, index = DedupIndex(settings), StoryIndex(settings)
    out = {key: place(dedup, index, aid, feats, feats)[2] for key, aid, feats in data["rows"]}
    return {key: index.renamed.get(story, story) for key, story in out.items()}


def from_dbs(corpora: list[str], folder: Path) -> dict[cv.Run, dict[str, Any]]:
    """events_cv.ingest's rows, read from databases ingested before."""
    out = {}
    for corpus in corpora:
        labels = {r["id"]: r for r in map(json.loads,
                                          (cv.SHARED / corpus / "labels.jsonl").open())}
        for mode in cv.MODES:
            with sqlite3.connect(folder / f"{corpus}-{mode}.db") as db:
                rows = [(join_key(sn or str(rec)), aid, json.loads(f or "{}")) for
                        sn, rec, aid, f in db.execute(
                            "SELECT source_name, record, id, features FROM articles "
                            "WHERE superseded_by IS NULL ORDER BY sort_key")]
            out[(corpus, mode)] = {"rows": [r for r in rows if r[0] in labels],
                                   "labels": labels}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="dev,dev-bi,dev-2,dev-3")
    parser.add_argument("--db-dir", type=Path)
    args = parser.parse_args()
    settings = settings_mod.load()
    data = (from_dbs(args.corpora.split(","), args.db_dir) if args.db_dir
            else cv.ingest_all(args.corpora, settings))
    data = {run: as_stories(d) for run, d in data.items()}
    shipped = relink.settings_of(settings.section("cluster"))
    points = cv.grid_points(shipped, "story_relink", GRID)

    def predict(run: cv.Run, cfg: dict[str, Any]) -> dict[str, str]:
        return stories(data[run], settings.with_overrides(
            {f"cluster.{k}": v for k, v in cfg.items()}))

    grid = cv.score_points(points, data, predict)
    cv.report_cv("re-link (stories B-cubed)", grid, points[0], shipped, data,
                 label=cv.switch_label("story_relink", GRID))


if __name__ == "__main__":
    main()
