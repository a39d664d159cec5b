"""`python -m storyline.bench [--sizes 10000,100000] [--workers 2] [--no-web] [--no-follow]`

Builds the synthetic corpora, runs the full pipeline on each size in a fresh process, profiles
the stages, times trafilatura alone on the same HTML, measures web latency on the largest
database while an ingest runs, prints a table and writes bench/results/<timestamp>.json."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from storyline import settings as settings_mod
from storyline.bench import follow as follow_bench
from storyline.bench import profile, synth, web

REPO = Path(__file__).resolve().parents[3]


def _one(input_path: Path, db: Path, workers: int) -> dict[str, Any]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-m", "storyline.bench.one", "--input",
                          str(input_path), "--db", str(db), "--workers", str(workers)],
                         capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    n = result["report"]["ingested"]
    result["articles"] = n
    result["articles_per_s"] = n / result["wall"]
    return result


def main(argv: list[str] | None = None) -> None:
    args_in = sys.argv[1:] if argv is None else argv
    if args_in[:1] == ["spark"]:  # the Spark sub-bench (storyline.bench.spark)
        from storyline.bench import spark

        return spark.main(args_in[1:])
    ap = argparse.ArgumentParser(prog="storyline.bench")
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,100000"))
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--html-pages", type=int, default=2000)
    ap.add_argument("--no-web", action="store_true")
    ap.add_argument("--no-follow", action="store_true", help="skip `follow` against a local site")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    args = ap.parse_args(args_in)
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = settings_mod.load()
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M:%S"),
                               "machine": {"cpus": os.cpu_count(), "python":
                                           platform.python_version()},
                               "workers": args.workers, "runs": {}}
    html = synth.write(args.html_pages, args.work / f"html-{args.html_pages}.jsonl", html=True)
    results["stage_ms_per_article"] = profile.stage_costs(html, settings)
    results["trafilatura_alone"] = profile.trafilatura_alone(html)
    html_run = _one(html, args.work / "html.db", args.workers)
    results["html_pipeline"] = html_run
    results["pipeline_over_trafilatura"] = html_run["wall"] / \
        results["trafilatura_alone"]["seconds"]
    _save(results)  # partial results survive an interrupted run
    for n in sizes:
        corpus = synth.write(n, args.work / f"synth-{n}.jsonl")
        results["runs"][str(n)] = _one(corpus, args.work / f"synth-{n}.db", args.workers)
        _save(results)
    if not args.no_web:
        extra = synth.write(2000, args.work / "extra-2000.jsonl", seed=7)
        largest = args.work / f"synth-{max(sizes)}.db"
        results["web"] = web.latency(largest, extra)
    if not args.no_follow:
        results["follow"] = follow_bench.run(args.work)
    _save(results)
    print(table(results))
    if "follow" in results:
        print("\n" + follow_bench.table(results["follow"]))


def _save(results: dict[str, Any]) -> None:
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench-{results['when'].replace(' ', '-').replace(':', '')}.json"
    path.write_text(json.dumps(results, indent=2), "utf-8")
    (out / "latest.json").write_text(json.dumps(results, indent=2), "utf-8")
    print(f"results written to {path}", flush=True)


def table(r: dict[str, Any]) -> str:
    lines = ["| stage | ms/article | share |", "|---|---:|---:|"]
    costs = r["stage_ms_per_article"]
    total = sum(costs.values())
    for name, ms in sorted(costs.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {name} | {ms:.2f} | {100 * ms / total:.0f}% |")
    lines += ["", "| run | articles | articles/s | read | process | write | group | facts | "
              "peak RSS writer | peak RSS worker |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, run in [("html", r["html_pipeline"]), *r["runs"].items()]:
        sec = run["report"]["seconds"]
        rss = run["peak_rss_mb"]
        lines.append(f"| {name} | {run['articles']} | {run['articles_per_s']:.1f} | "
                     + " | ".join(f"{sec.get(k, 0):.0f}s" for k in ("read", "process", "write",
                                                                   "group", "facts"))
                     + f" | {rss['writer']:.0f} MB | {rss['largest_worker']:.0f} MB |")
    t = r["trafilatura_alone"]
    lines += ["", f"trafilatura alone: {t['pages_per_s']:.1f} pages/s on one core; full "
              f"pipeline on {r['workers']} workers takes {r['pipeline_over_trafilatura']:.2f}x "
              "its time on the same pages"]
    if "web" in r:
        lines += ["", "| endpoint (while ingesting) | p50 ms | p95 ms |", "|---|---:|---:|"]
        for name, w in r["web"].items():
            if isinstance(w, dict):
                lines.append(f"| {name} | {w['p50_ms']:.1f} | {w['p95_ms']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
