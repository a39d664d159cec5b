"""kill -9 campaign: ingest, SIGKILL the whole process group at a random moment, rerun,
and count what was lost or doubled (articles, search rows, groups). Seeded.

    .venv/bin/python scripts/kill9_campaign.py --trials 10 --articles 800 --seed 17
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXE = Path(sys.executable).with_name("storyline")
TEXT = ("Der Außenminister sagte am Montag in Moskau, die Gespräche mit der Regierung in "
        "Washington gingen weiter, und man sei zuversichtlich, bald eine Einigung zu finden.")


def _corpus(folder: Path, n: int) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Meldung {i} aus Berlin. {TEXT} Sprecher {i} bestätigte das am Abend. " * 3
            fh.write(json.dumps({"id": f"k{i}", "date": f"2016-{i % 12 + 1:02d}-15",
                                 "text": text}, ensure_ascii=False) + "\n")
    return path


def _ingest(db: Path, src: Path, workers: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(EXE), "--db", str(db), "ingest", str(src), "--workers",
                             str(workers)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    total, distinct, ungrouped = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT source_name), SUM(story_id IS NULL) FROM articles"
    ).fetchone()
    fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
    hits = conn.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'Moskau'"
                        ).fetchone()[0]
    conn.close()
    return {"total": total, "distinct": distinct, "ungrouped": ungrouped or 0, "fts": fts,
            "hits": hits}


def trial(n: int, at: float, workers: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src, db = _corpus(folder, n), folder / "k.db"
        proc = _ingest(db, src, workers)
        time.sleep(at)
        killed = proc.poll() is None
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _counts(db)["distinct"] if db.exists() else 0
        rerun = _ingest(db, src, 1)
        code = rerun.wait()
        after = _counts(db)
    return {"kill_at_s": round(at, 1), "killed": int(killed), "stored_before_rerun": before,
            "rerun_exit": code, "lost": n - after["distinct"],
            "doubled": after["total"] - after["distinct"], "ungrouped": after["ungrouped"],
            "search_rows_off": abs(after["fts"] - after["total"]), "search_hits": after["hits"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--articles", type=int, default=800)
    ap.add_argument("--max-seconds", type=float, default=40.0)
    ap.add_argument("--seed", type=int, default=17)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = [trial(args.articles, rng.uniform(2.0, args.max_seconds), rng.choice([1, 2]))
            for _ in range(args.trials)]
    for row in rows:
        print(json.dumps(row))
    print(json.dumps({"trials": len(rows), "killed": sum(int(r["killed"]) for r in rows),
                      "lost": sum(int(r["lost"]) for r in rows),
                      "doubled": sum(int(r["doubled"]) for r in rows),
                      "ungrouped": sum(int(r["ungrouped"]) for r in rows),
                      "search_rows_off": sum(int(r["search_rows_off"]) for r in rows),
                      "failed_reruns": sum(1 for r in rows if r["rerun_exit"] != 0)}))


if __name__ == "__main__":
    main()
