"""`python -m storyline.bench.follow`: `storyline follow` against a local site.

The site (Python's http.server in its own process on 127.0.0.1, which answers
If-Modified-Since) holds 50 feeds and synthetic article pages. Poll 1 finds 2,000 new pages
(40 a feed); polls 2-10 find one more page a feed each. Per-host delay 0, so the numbers are
fetch + ingest throughput, not politeness. The polls run in a fresh process whose resident
memory is read after each poll (bounded: it must not grow with the pages seen).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from storyline.bench import synth

FEEDS, FIRST, POLLS = 50, 2000, 10


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_site(root: Path, pages: int) -> None:
    (root / "p").mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    for n, rec in enumerate(synth.generate(pages)):
        (root / "p" / f"{n:05d}.html").write_text(synth.to_html(rec), "utf-8")


def write_feeds(root: Path, base: str, per_feed: int) -> None:
    """Feed f lists pages f, f+50, f+100, ... (its first `per_feed`), newest first."""
    for f in range(FEEDS):
        items = "".join(f"<item><title>{n}</title><link>{escape(f'{base}/p/{n:05d}.html')}"
                        f"</link></item>" for n in reversed(range(f, per_feed * FEEDS, FEEDS)))
        (root / f"feed-{f:02d}.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>feed {f}</title>'
            f"{items}</channel></rss>", "utf-8")


def polls(root: Path, base: str, db: Path, workers: int) -> list[dict[str, Any]]:
    """The 10 polls (in this process): new feed entries before each, numbers after."""
    from storyline import settings as settings_mod
    from storyline.follow import Poller, add_sources
    from storyline.store import Store

    settings = settings_mod.load().with_overrides({"follow.host_delay_seconds": 0})
    store = Store(db)
    add_sources(store, [f"{base}/feed-{f:02d}.xml" for f in range(FEEDS)])
    poller = Poller(store, settings, workers=workers)
    out = []
    for k in range(POLLS):
        write_feeds(root, base, FIRST // FEEDS + k)
        time.sleep(1.1)  # a new Last-Modified second for http.server's If-Modified-Since
        started, cpu = time.perf_counter(), time.process_time()
        report = poller.poll(None)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        r = report.as_dict()
        out.append({"poll": k + 1, "wall": round(wall, 2), "cpu": round(cpu, 2),
                    "fetched": r["fetched"],
                    "ingested": r["ingested"], "failed": r["failed_pages"],
                    "failed_sources": len(r["failed_sources"]),
                    "pages_per_s": round(r["fetched"] / wall, 1),
                    "rss_mb": round(_rss_mb(), 1)})
        print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    poller.close()
    store.close()
    return out


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(work: Path, workers: int = 1) -> dict[str, Any]:
    root, db = work / "follow-site", work / "follow.db"
    if not (root / "p" / f"{FIRST + POLLS * FEEDS - 1:05d}.html").exists():
        build_site(root, FIRST + POLLS * FEEDS)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", str(root)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        done = subprocess.run([sys.executable, "-m", "storyline.bench.follow", "--polls",
                               str(root), f"http://127.0.0.1:{port}", str(db), str(workers)],
                              capture_output=True, text=True, check=True)
    finally:
        server.terminate()
        server.wait(10)
    rows: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    first = rows[0]
    return {"workers": workers, "polls": rows, "first_poll_pages_per_s": first["pages_per_s"],
            "first_poll_cpu_ms_per_page": round(1000 * first["cpu"] / max(1, first["fetched"]),
                                                1),
            "rss_mb_after_polls": [r["rss_mb"] for r in rows],
            "load_avg": os.getloadavg()[0]}


def table(r: dict[str, Any]) -> str:
    lines = ["| follow poll | pages | wall s | CPU s | pages/s | RSS MB |",
             "|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {p['poll']} | {p['fetched']} | {p['wall']:.1f} | {p['cpu']:.1f} | "
              f"{p['pages_per_s']:.1f} | {p['rss_mb']:.0f} |" for p in r["polls"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="storyline.bench.follow")
    ap.add_argument("--polls", nargs=4, metavar=("SITE", "BASE", "DB", "WORKERS"))
    ap.add_argument("--work", type=Path, default=synth.REPO / "bench" / "work")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    if args.polls:
        site, base, db, workers = args.polls
        print(json.dumps(polls(Path(site), base, Path(db), int(workers))))
        return
    print(json.dumps(run(args.work, args.workers), indent=2))


if __name__ == "__main__":
    main()
