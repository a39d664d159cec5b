"""Ctrl-C and SIGTERM during an ingest: stop reading, commit what is complete, exit 130/143.

The first signal only sets a flag while batches are read and written, so the batch loop
ends at a batch boundary (the workers' batch is written if it finishes within `GRACE`
seconds, else abandoned: its articles are read again by the rerun). Where there is nothing
complete to wait for (loading the models, grouping, late facts: each one transaction that
a rerun redoes) the signal raises at once. A second Ctrl-C ends the process at once; the
worker processes ignore SIGINT so a Ctrl-C to the terminal's process group reaches only the
parent, which decides.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from types import FrameType, TracebackType
from typing import Any

from storyline.errors import StorylineError

GRACE = 5.0  # seconds the workers get after a signal to finish the batch in hand
TERMINATE_WAIT = 2.0  # seconds the pool gets to end on SIGTERM before it is killed
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(StorylineError):
    """An ingest stopped by a signal; `report` says what was committed before."""

    def __init__(self, signum: int, report: Any = None) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum, self.report = signum, report

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class StopFlag:
    """Installs the handlers for the `with` block (main thread only; elsewhere inert)."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.at = 0.0
        self.immediate = True  # raise at once (no batch to finish) or just set the flag
        self._old: dict[int, Any] = {}
        self._pid = 0

    @property
    def requested(self) -> bool:
        return self.signum is not None

    def past_grace(self) -> bool:
        return self.requested and time.monotonic() - self.at > GRACE

    def check(self) -> None:
        """Raise `Interrupted` if a signal came (at a point where stopping is clean)."""
        if self.signum is not None:
            raise Interrupted(self.signum)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:  # a forked child inherited the handler: act as default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if self.signum is not None:
            if signum == signal.SIGINT:  # the second Ctrl-C: out now, workers too
                for child in mp.active_children():
                    child.kill()
                os._exit(128 + signum)
            return
        self.signum, self.at = signum, time.monotonic()
        if self.immediate:
            raise Interrupted(signum)

    def __enter__(self) -> StopFlag:
        self._pid = os.getpid()
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


# Set by the parent just before it terminates its pool (shared memory, inherited by fork).
_TERMINATING: Any = None


def prepare_pool() -> None:
    """Before forking pool workers that use `signals_in_pool_worker`."""
    global _TERMINATING
    if _TERMINATING is None:
        _TERMINATING = mp.RawValue("b", 0)
    _TERMINATING.value = 0


def terminate_pool(pool: Any, wait: float = TERMINATE_WAIT) -> None:
    """`pool.terminate()`, with the workers told that this SIGTERM is the parent's, bounded by
    `wait` seconds, after which what is left of the pool is killed. Pool.terminate joins its
    workers without a time limit, and a worker can outlive its SIGTERM: in 3 of 28 ingests
    stopped by a group SIGTERM, a worker sat waiting for the queue lock (which
    Pool.terminate holds) and its handler never ran. Only called on the way out, so the
    pool's threads (daemons) may stay behind."""
    if _TERMINATING is not None:
        _TERMINATING.value = 1
    ender = threading.Thread(target=pool.terminate, name="terminate-pool", daemon=True)
    ender.start()
    ender.join(wait)
    if ender.is_alive():
        for worker in list(pool._pool):  # the pool's own list: it may have respawned one
            worker.kill()
        ender.join(wait)  # Pool.terminate reaps them (two waiters on one child would race)


def _sigterm_in_worker(signum: int, frame: FrameType | None) -> None:
    if _TERMINATING is not None and _TERMINATING.value:
        raise SystemExit(128 + signum)  # unwinding releases the queue lock a waiting worker holds


def signals_in_pool_worker() -> None:
    """Pool workers leave a SIGTERM sent to the whole process group (systemd's stop, `kill
    -- -PGID`) to the parent, as they leave Ctrl-C: an idle worker waits for its next task
    holding the pool's queue lock, and one killed there left Pool.terminate waiting for ever
    on that lock. The parent's own terminate (`terminate_pool`) still ends them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _sigterm_in_worker)


def ignore_in_worker() -> None:
    """Worker processes leave Ctrl-C to the parent (a KeyboardInterrupt in a pool worker
    loses its task and hangs the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: Pool.terminate
