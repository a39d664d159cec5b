"""`python -m storyline.bench.spark [--sizes 10000,100000] [--modes ingest,local,standalone]`
(`make bench-spark`; `python -m storyline.bench spark ...` too)

The synthetic bench corpus written as WARC files (`--per-file` records each), then: `storyline
ingest` (2 workers), `storyline backfill --master local[2]`, and backfill against a 2-core
standalone cluster on 127.0.0.1, each in its own process. Records wall time, the job's
phases, the executors' per-stage seconds, the driver's grouping seconds and the machine's
load average, derives the scaling model (`model`) and writes bench/results/spark-*.json."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from storyline.bench import synth, warcs
from storyline.bench.cputree import TreeCPU

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PARALLEL = ("stages", "outlet_lines", "select", "write")  # phases that use every core
SERIAL = ("group",)  # the driver's pass in publication order (and its wait on Spark)


def corpus(n: int, work: Path, per_file: int) -> Path:
    folder = work / f"warc-{n}-{per_file}-v{synth.VERSION}"
    done = folder / ".complete"
    if not done.exists():
        warcs.write(synth.generate(n), folder, per_file)
        done.touch()
    return folder


def _run(cmd: list[str], env: dict[str, str] | None = None,
         roots: tuple[int, ...] = ()) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """(the finished command, wall seconds, CPU seconds of its process tree and `roots`')."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    tree = TreeCPU([proc.pid, *roots])
    out, err = proc.communicate()
    wall, cpu = time.perf_counter() - started, tree.stop()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), wall, cpu


def run_ingest(folder: Path, work: Path) -> dict[str, Any]:
    db = work / "spark-bench-ingest.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    out, wall, cpu = _run([sys.executable, "-m", "storyline.bench.one", "--input",
                           str(folder), "--db", str(db), "--workers", "2"])
    out.check_returncode()
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    n = result["report"]["ingested"]
    return {"wall": wall, "articles": n, "articles_per_s": n / wall, "cpu_s": cpu,
            "cpu_ms_per_article": 1000 * cpu / n, "seconds": result["report"]["seconds"],
            "duplicates": result["report"].get("duplicates")}


def run_backfill(folder: Path, master: str, work: Path, env: dict[str, str] | None = None,
                 roots: tuple[int, ...] = (), conf: list[str] | None = None) -> dict[str, Any]:
    """`roots`: processes whose trees run this job's executors too (a standalone worker)."""
    out = work / f"spark-bench-out-{master.split(':')[0].strip('[]0123456789')}"
    extra = [arg for kv in conf or [] for arg in ("--conf", kv)]
    done, wall, cpu = _run([str(BIN / "storyline"), "backfill", str(folder), "--master",
                            master, "--out", str(out), "--json", *extra], env, roots)
    if done.returncode != 0:  # the whole log: the cause is often far from the tail
        log = work / f"{out.name}.stderr.log"
        log.write_text(done.stderr, "utf-8")
        raise RuntimeError(f"backfill failed (log: {log}):\n{done.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(done.stdout[done.stdout.index("{"):])
    n = report["articles"]
    return {"wall": wall, "articles": n, "articles_per_s": n / wall, "cpu_s": cpu,
            "cpu_ms_per_article": 1000 * cpu / n, "report": report, "model": model(report, wall)}


def model(report: dict[str, Any], wall: float, cores: int = 2) -> dict[str, float]:
    """T(N cores) = fixed + A * parallel / N + A * serial, from one run on `cores` cores.

    parallel: core-seconds per article of the phases that use every core (their wall time
    times the cores, counting the group phase's wait on Spark's sort and dedup checks);
    serial: the driver's own grouping work per article (parse, dedup walk, events); fixed:
    start-up and listing. The cap as N grows is 1 / serial articles per second."""
    a = max(1, int(report["articles"]))
    sec, grouping = report["seconds"], report["grouping_seconds"]
    driver = sum(grouping.get(k, 0.0) for k in ("parse", "dedup", "events"))
    # the group phase waits on Spark (the sort and the dedup checks) while it fetches
    waiting = max(0.0, sum(sec.get(k, 0.0) for k in SERIAL) - driver)
    parallel = (sum(sec.get(k, 0.0) for k in PARALLEL) + waiting) * cores / a
    serial = driver / a
    fixed = max(0.0, wall - sum(sec.get(k, 0.0) for k in PARALLEL + SERIAL))
    ex = report["executor_seconds"]
    return {"parallel_core_ms": 1000 * parallel, "serial_ms": 1000 * serial,
            "fixed_s": fixed, "cap_articles_per_s": 1 / serial if serial else 0.0,
            "executor_core_ms": 1000 * ex.get("task_total", 0.0) / a,
            "group_share": serial / (serial + parallel / cores) if serial + parallel else 0.0}


def year_estimate(m: dict[str, float], articles: float, cores: int = 32) -> dict[str, float]:
    seconds = m["fixed_s"] + articles * (m["parallel_core_ms"] / cores + m["serial_ms"]) / 1000
    return {"articles": articles, "cores": cores, "hours": seconds / 3600,
            "serial_hours": articles * m["serial_ms"] / 1000 / 3600}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="storyline.bench.spark")
    ap.add_argument("--sizes", default=os.environ.get("BENCH_SPARK_SIZES", "10000"))
    ap.add_argument("--per-file", type=int, default=1000)
    ap.add_argument("--modes", default="ingest,local,standalone")
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    ap.add_argument("--de-articles-per-year", type=float, default=8.4e6)
    args = ap.parse_args(argv)
    modes = args.modes.split(",")
    results: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M:%S"),
                               "cpus": os.cpu_count(), "runs": {}}
    for n in (int(s) for s in args.sizes.split(",")):
        folder = corpus(n, args.work, args.per_file)
        runs: dict[str, Any] = results["runs"].setdefault(str(n), {})
        for mode in modes:
            before, load = os.getloadavg()[0], _LoadSampler()
            runs[mode] = _mode(mode, folder, args.work)
            runs[mode]["load_before_after"] = [before, os.getloadavg()[0]]
            runs[mode]["load_during"] = load.stop()
            _save(results)
        for mode in ("local", "standalone"):
            if mode in runs:
                runs[mode]["year_32_cores"] = year_estimate(runs[mode]["model"],
                                                            args.de_articles_per_year)
        _save(results)
    print(table(results))


class _LoadSampler:
    """The machine's 1-minute load average every 30 s while a run goes (other sessions share
    the cores: the rates only mean something next to it)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(30):
            self.samples.append(os.getloadavg()[0])

    def stop(self) -> dict[str, float]:
        self._done.set()
        got = self.samples or [os.getloadavg()[0]]
        return {"mean": sum(got) / len(got), "min": min(got), "max": max(got)}


def _mode(mode: str, folder: Path, work: Path) -> dict[str, Any]:
    if mode == "ingest":
        return run_ingest(folder, work)
    if mode == "local":
        return run_backfill(folder, "local[2]", work)
    from storyline.spark import standalone

    cluster = standalone.start(work / "spark-cluster", cores=2, memory="4g")
    try:  # the executors run under the cluster's worker, the master's CPU counts too
        return run_backfill(folder, cluster.master, work, cluster.env,
                            tuple(p.pid for p in cluster.procs),
                            conf=["spark.executor.memory=3g"])  # 1 GB: out of heap at 100k
    finally:
        cluster.stop()


def _save(results: dict[str, Any]) -> None:
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["when"].replace(" ", "-").replace(":", "")
    for name in (f"spark-{stamp}.json", "latest-spark.json"):
        (out / name).write_text(json.dumps(results, indent=2), "utf-8")


def table(r: dict[str, Any]) -> str:
    lines = ["| articles | run | wall s | articles/s | vs ingest | serial ms/art | "
             "parallel core-ms/art | load avg |", "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for n, runs in r["runs"].items():
        base = runs.get("ingest", {}).get("articles_per_s")
        for mode, run in runs.items():
            m = run.get("model", {})
            ratio = f"{base / run['articles_per_s']:.2f}x" if base else "-"
            lines.append(f"| {n} | {mode} | {run['wall']:.0f} | {run['articles_per_s']:.1f} | "
                         f"{ratio} | {m.get('serial_ms', 0):.2f} | "
                         f"{m.get('parallel_core_ms', 0):.1f} | "
                         f"{run['load_before_after'][0]:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
