"""The `follow` and `sources` commands (cli.py only forwards to these): arguments, signals,
and the printed summary of each poll."""

from __future__ import annotations

import json
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from rich.console import Console

from storyline.follow import state
from storyline.follow.poll import PollReport, follow
from storyline.follow.sources import gather
from storyline.settings import Settings
from storyline.store import Store

_UNITS = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0, "": 1.0}


def interval_minutes(text: str) -> float | None:
    """'15m', '1h', '90s', '2d' or plain minutes; None when unreadable or not positive."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match or float(match.group(1)) <= 0:
        return None
    return float(match.group(1)) * _UNITS[match.group(2)]


@contextmanager
def stop_on_signals(stop: threading.Event, err: Console) -> Iterator[None]:
    """Ctrl-C or SIGTERM: finish the batch in hand, commit, exit 0; a second one aborts
    (the batch in flight is then rolled back, as after a kill). Inside an ingest batch the
    pipeline's own handler (storyline.interrupt) takes the signal, writes the batch and
    raises `Interrupted`, which `follow.pages` turns into the same stop."""
    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        err.print(f"{signal.Signals(signum).name}: finishing the current batch, then stopping "
                  "(again to abort)")

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def run(store: Store, settings: Settings, args: list[str], files: list[Path], *, once: bool,
        interval: str | None, workers: int, json_out: bool, out: Console, err: Console) -> int:
    """Exit code: 0 (failed sources and pages are reported, not fatal), 1 unreadable list,
    2 bad arguments."""
    if interval is not None:
        minutes = interval_minutes(interval)
        if minutes is None:
            err.print(f"--interval {interval!r}: give a duration such as 15m, 1h or 90s")
            return 2
        settings = settings.with_overrides({"follow.interval_minutes": minutes})
    try:
        urls, problems = gather(args, files)
    except OSError as exc:
        err.print(f"cannot read the source list: {exc}")
        return 1
    for line in problems:
        err.print(f"refused source {line}", markup=False)
    if not urls and (args or files):
        err.print("no usable source URL given")
        return 2
    state.add_sources(store, urls)
    if not urls and not state.sources(store, None):
        err.print("no sources: give feed, sitemap or home page URLs (or --sources FILE)")
        return 2
    stop = threading.Event()
    with stop_on_signals(stop, err):
        follow(store, settings, urls or None, once=once, workers=workers, stop=stop,
               on_poll=lambda r: _print(r, json_out, out, err))
    if stop.is_set():  # by a signal, here or inside an ingest batch (storyline.interrupt)
        err.print("stopped: every finished batch is committed; run `storyline follow` again "
                  "to fetch the rest")
    return 0


def _print(report: PollReport, json_out: bool, out: Console, err: Console) -> None:
    if json_out:
        out.print(json.dumps(report.as_dict(), ensure_ascii=False), markup=False,
                  highlight=False, soft_wrap=True)
        return
    for url, error in report.failed_sources:
        err.print(f"source {url}: {error}", markup=False)
    p = report.pages
    out.print(f"polled {report.sources} sources: {report.new_urls} new URLs, {p.fetched} pages "
              f"fetched, {p.ingested} new articles, {p.duplicates} duplicates, "
              f"{p.unchanged} already known, {p.failed} failed, {p.blocked} blocked by "
              f"robots.txt ({report.seconds:.1f} s)", markup=False)


def show(store: Store, json_out: bool, out: Console) -> list[dict[str, Any]]:
    rows = state.listing(store)
    if json_out:
        return rows
    if not rows:
        out.print("no sources followed: `storyline follow URL` adds one")
    for r in rows:
        indent = "  " if r["origin"] else ""
        error = f"  error: {r['last_error']}" if r["last_error"] else ""
        out.print(f"{indent}{r['url']}\n{indent}  last poll {r['last_poll'] or 'never'}, "
                  f"{r['last_new']} new ({r['total_new']} in all), "
                  f"{r['last_status'] or ''}{error}", markup=False)
    return rows
