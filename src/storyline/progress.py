"""A rich progress display for long ingests; silent when not on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


@contextmanager
def progress_bar(*, enabled: bool) -> Iterator[Tick]:
    if not enabled:
        yield lambda phase, n: None
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def tick(phase: str, n: int) -> None:
            if phase not in tasks:
                label = {"read": "reading and analysing", "group": "grouping"}.get(phase, phase)
                tasks[phase] = bar.add_task(label, total=None)
            bar.advance(tasks[phase], n)

        yield tick
