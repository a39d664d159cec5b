"""One end-to-end ingest in its own process, so its peak memory is measured cleanly.

Prints a JSON line: the ingest report, wall seconds and peak RSS of this process and of its
largest worker."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from storyline import settings as settings_mod
from storyline.pipeline import run_ingest
from storyline.store import Store


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    store = Store(Path(args.db))
    started = time.perf_counter()
    report = run_ingest(store, [args.input], settings_mod.load(), workers=args.workers)
    wall = time.perf_counter() - started
    store.close()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {"wall": wall, "report": report.as_dict() | {"skipped": len(report.skipped)},
           "peak_rss_mb": {"writer": self_kb / 1024, "largest_worker": child_kb / 1024}}
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
