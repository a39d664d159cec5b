"""Story-held-out cross-validation of the event/story grouping values (issue 12).

    .venv/bin/python scripts/events_cv.py [--corpora dev,dev-bi,dev-2,dev-3]

Ingests each labeled corpus in ../shared/corpus twice with the full pipeline (temporary
databases): as corpus.jsonl (URLs and outlets known) and as the plain `articles/` folder
(crawl months only), which is how outside checks feed them. Then, for a small grid of
`[cluster]` values (event threshold, event window, weekday factor), it replays the stored
features through `corpus.placing.place` (dedup, then StoryIndex) in the store's order,
exactly as a re-grouping does. Each story is scored by the values that are best (events
B-cubed F1, mean over stories) on all *other* stories of all corpora and modes: the figure
that predicts unseen news. Noise articles form one unit per corpus. Prints the held-out
P/R/F1 per corpus and mode, the per-story spread, the values each fold chose and the
in-sample scores of the shipped defaults. Nothing is learned from the labels (the corpora's
licence forbids training on them): the grid only chooses among a handful of values.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sqlite3
import statistics
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.placing import place
from storyline.eval.clustering import join_key
from storyline.eval.runner import build_export

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MODES = {"jsonl": "corpus.jsonl", "folder": "articles"}
GRID = {"event_threshold": (0.15, 0.17, 0.2), "event_window_days": (2, 3, 4),
        "weekday_factor": (1.0, 0.8, 0.7), "event_whole_span": (False, True)}
Run = tuple[str, str]  # (corpus, mode)
Unit = tuple[str, str]  # (corpus, story or "noise")


def ingest(corpus: str, mode: str, settings: settings_mod.Settings,
           work: Path) -> dict[str, Any]:
    """Stored rows (features in store order) and gold labels by article key."""
    out = work / f"{corpus}-{mode}"
    out.mkdir()
    build_export([str(SHARED / corpus / MODES[mode])], settings, out, workers=2)
    with sqlite3.connect(out / "eval.db") as db:
        rows = [(join_key(sn or str(rec)), aid, json.loads(f or "{}")) for
                sn, rec, aid, f in db.execute(
                    "SELECT source_name, record, id, features FROM articles "
                    "WHERE superseded_by IS NULL ORDER BY sort_key")]
    labels = {r["id"]: r for r in map(json.loads, (SHARED / corpus / "labels.jsonl").open())}
    return {"rows": [r for r in rows if r[0] in labels], "labels": labels}


def ingest_all(corpora: str, settings: settings_mod.Settings,
               modes: Iterable[str] = tuple(MODES)) -> dict[Run, dict[str, Any]]:
    """Every corpus of the comma-separated `corpora` in every mode, each ingested into a
    scratch store that is gone afterwards (the returned data is all the CV scripts read)."""
    with tempfile.TemporaryDirectory() as tmp:
        return {(c, m): ingest(c, m, settings, Path(tmp)) for c in corpora.split(",")
                for m in modes}


def replay(data: dict[str, Any], settings: settings_mod.Settings) -> dict[str, str]:
    """Event ids of a full regroup: `corpus.placing.place`, the step ingest takes."""
    dedup, index = DedupIndex(settings), StoryIndex(settings)
    return {key: place(dedup, index, aid, feats, feats)[1] for key, aid, feats in data["rows"]}


def per_item(data: dict[str, Any], pred: dict[str, str]) -> dict[str, tuple[float, float]]:
    """B-cubed precision and recall of every article (noise articles are their own event)."""
    labels = data["labels"]
    gold = {k: (labels[k]["event"] if labels[k]["event"] != "noise" else f"_{k}") for k in pred}
    both = Counter((gold[k], pred[k]) for k in pred)
    gsize, psize = Counter(gold.values()), Counter(pred.values())
    return {k: (both[(gold[k], pred[k])] / psize[pred[k]], both[(gold[k], pred[k])] /
                gsize[gold[k]]) for k in pred}


def unit_of(data: dict[str, Any], key: str, corpus: str) -> Unit:
    label = data["labels"][key]
    return corpus, ("noise" if label["event"] == "noise" else label["story"])


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def mean_pr(items: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p for p, _ in items) / len(items), sum(r for _, r in items) / len(items))


PR = tuple[float, float]
Grid = dict[tuple[Any, ...], dict[Run, dict[Unit, PR]]]  # point -> run -> unit -> (P, R)


def unit_scores(data: dict[str, Any], run: Run, pred: dict[str, str]) -> dict[Unit, PR]:
    """Per unit of one run, its articles' mean B-cubed (P, R) under the prediction."""
    units: dict[Unit, list[PR]] = defaultdict(list)
    for key, pr in per_item(data, pred).items():
        units[unit_of(data, key, run[0])].append(pr)
    return {u: mean_pr(v) for u, v in units.items()}


def score_grid(data: dict[Run, dict[str, Any]], base: settings_mod.Settings) -> Grid:
    """For every grid point: per run, per unit, the unit's mean B-cubed (P, R)."""
    out = {}
    for values in itertools.product(*GRID.values()):
        cfg = base.with_overrides({f"cluster.{k}": v for k, v in zip(GRID, values,
                                                                       strict=True)})
        out[values] = {run: unit_scores(d, run, replay(d, cfg)) for run, d in data.items()}
    return out


def fold_choice(grid: Grid, unit: Unit) -> tuple[Any, ...]:
    """The grid point best on every unit but `unit` (mean F1 over units); max() keeps the
    first of equals, so a grid ordered most cautious first keeps the cautious one."""
    def others(values: tuple[Any, ...]) -> float:
        scores = [f1(*pr) for per in grid[values].values() for u, pr in per.items()
                  if u != unit]
        return sum(scores) / len(scores)
    return max(grid, key=others)


def held_out(grid: Grid) -> tuple[dict[Run, dict[Unit, PR]], Counter[tuple[Any, ...]]]:
    """Each unit scored by the grid point best on every other unit (mean F1 over units)."""
    first = next(iter(grid.values()))
    units = sorted({u for per in first.values() for u in per})
    chosen: Counter[tuple[Any, ...]] = Counter()
    result: dict[Run, dict[Unit, PR]] = defaultdict(dict)
    for unit in units:
        best = fold_choice(grid, unit)
        chosen[best] += 1
        for run, per in grid[best].items():
            if unit in per:
                result[run][unit] = per[unit]
    return result, chosen


def report(name: str, per_run: dict[Run, dict[Unit, PR]],
           data: dict[Run, dict[str, Any]], spread: bool) -> None:
    print(f"\n{name}: events B-cubed P / R / F1 (article-weighted), per-story F1 spread")
    for run in data:
        per = per_run[run]
        sizes = Counter(unit_of(data[run], k, run[0]) for k, *_ in data[run]["rows"])
        n = sum(sizes.values())
        p = sum(per[u][0] * sizes[u] for u in per) / n
        r = sum(per[u][1] * sizes[u] for u in per) / n
        story_f1 = sorted(f1(*pr) for u, pr in per.items() if u[1] != "noise")
        line = f"  {run[0]:7} {run[1]:7} {p:.3f} / {r:.3f} / {f1(p, r):.3f}"
        if spread and story_f1:
            line += (f"   stories min {story_f1[0]:.3f} median "
                     f"{statistics.median(story_f1):.3f} max {story_f1[-1]:.3f}")
        print(line)


def grid_points(shipped: dict[str, Any], switch: str,
                grid: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    """The rule off, then every combination of `grid`'s values (in its order: most
    cautious first) over the shipped values."""
    return [{**shipped, switch: False}] + [
        {**shipped, switch: True, **dict(zip(grid, values, strict=True))}
        for values in itertools.product(*grid.values())]


def score_points(points: list[dict[str, Any]], data: dict[Run, dict[str, Any]],
                 predict: Callable[[Run, dict[str, Any]], dict[str, str]]) -> Grid:
    """`score_grid` for a rule applied after grouping: `predict(run, cfg)` gives each
    article key's event under the values `cfg`."""
    return {tuple(sorted(cfg.items())): {run: unit_scores(d, run, predict(run, cfg))
                                         for run, d in data.items()} for cfg in points}


def switch_label(switch: str, keys: Iterable[str]) -> Callable[[tuple[Any, ...]], str]:
    """A grid point's short name for report_cv: "off" where `switch` is off, else the values
    of `keys`, each named without its section prefix ("move_margin" -> "margin")."""
    def label(values: tuple[Any, ...]) -> str:
        return "off" if not dict(values)[switch] else " ".join(
            f"{k.split('_', 1)[1]}={v}" for k, v in values if k in keys)
    return label


def report_cv(what: str, grid: Grid, off: dict[str, Any], shipped: dict[str, Any],
              data: dict[Run, dict[str, Any]],
              label: Callable[[tuple[Any, ...]], str] | None = None) -> None:
    """In-sample scores with `what` off and with the shipped values, the story-held-out
    scores, the folds' choices and, per story, its held-out F1 against `what` off (and
    the fold's choice, as `label` names it)."""
    off_key, ship_key = tuple(sorted(off.items())), tuple(sorted(shipped.items()))
    report(f"in sample, {what} off", grid[off_key], data, spread=True)
    report("in sample, shipped values", grid[ship_key], data, spread=True)
    result, chosen = held_out(grid)
    report("story-held-out CV", result, data, spread=True)
    for values, n in chosen.most_common():
        print(f"  {dict(values)}: chosen by {n} folds")
    print(f"\nper story (held out): events B-cubed F1, {what} off -> held-out values")
    for run in data:
        for unit, pr in sorted(result[run].items()):
            tail = f"  {label(fold_choice(grid, unit))}" if label else ""
            print(f"  {run[0]:7} {run[1]:7} {unit[1][:28]:28} "
                  f"{f1(*grid[off_key][run][unit]):.3f} -> {f1(*pr):.3f}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="dev,dev-bi,dev-2,dev-3")
    parser.add_argument("--modes", default="jsonl,folder")
    args = parser.parse_args()
    settings = settings_mod.load()
    data = ingest_all(args.corpora, settings, args.modes.split(","))
    grid = score_grid(data, settings)
    shipped = tuple(settings.section("cluster")[k] for k in GRID)
    report(f"in sample, shipped values {dict(zip(GRID, shipped, strict=True))}",
           grid[shipped], data, spread=True)
    result, chosen = held_out(grid)
    report("story-held-out CV", result, data, spread=True)
    print("\nvalues chosen by the folds (" + ", ".join(GRID) + "):")
    for values, n in chosen.most_common():
        print(f"  {values}: {n} folds")
    top = chosen.most_common(1)[0][0]
    if top != shipped:
        report(f"in sample, the folds' most chosen values {top}", grid[top], data, spread=True)


if __name__ == "__main__":
    main()
