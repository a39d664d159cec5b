"""Progress of long ingests: a rich bar on a terminal; plain lines every few seconds when
stderr is a file or a pipe (a log, CI, `nohup`), so a long run is never silent there."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
)

Tick = Callable[[str, int], None]
LABELS = {"read": "read and analysed", "group": "grouped"}
EVERY_SECONDS = 5.0  # between plain lines; $STORYLINE_PROGRESS_SECONDS overrides


@contextmanager
def progress_bar(*, enabled: bool, lines: bool = False, every: float | None = None,
                 stream: TextIO | None = None) -> Iterator[Tick]:
    """`enabled`: the rich bar (a terminal); else `lines`: plain lines on `stream` (stderr)
    every `every` seconds while the work runs; else nothing."""
    if enabled:
        with _bar() as tick:
            yield tick
    elif lines:
        seconds = every if every is not None else float(
            os.environ.get("STORYLINE_PROGRESS_SECONDS", EVERY_SECONDS))
        with _lines(stream or sys.stderr, seconds) as tick:
            yield tick
    else:
        yield lambda phase, n: None


@contextmanager
def _bar() -> Iterator[Tick]:
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def tick(phase: str, n: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(LABELS.get(phase, phase), total=None)
            bar.advance(tasks[phase], n)

        yield tick


@contextmanager
def _lines(stream: TextIO, every: float) -> Iterator[Tick]:
    """A daemon thread writes the counts so far every `every` seconds: a batch that takes
    long (model loading, a huge file) still shows the run is alive."""
    counts: dict[str, int] = {}
    start = time.monotonic()
    stop = threading.Event()

    def report() -> None:
        while not stop.wait(every):
            done = ", ".join(f"{n} {LABELS.get(p, p)}" for p, n in counts.items())
            stream.write(f"ingest: {done or 'starting'} ({time.monotonic() - start:.0f} s)\n")
            stream.flush()

    def tick(phase: str, n: int) -> None:
        counts[phase] = counts.get(phase, 0) + n

    thread = threading.Thread(target=report, name="progress-lines", daemon=True)
    thread.start()
    try:
        yield tick
    finally:
        stop.set()
        thread.join(timeout=every + 1)
