"""Pool workers and SIGTERM: a stop sent to the whole process group (systemd's stop, `kill --
-PGID`) must not leave the parent's Pool.terminate waiting for ever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import multiprocessing as mp, os, signal, sys, time
from storyline.interrupt import prepare_pool, signals_in_pool_worker, terminate_pool

def double(x):
    return 2 * x

prepare_pool()
pool = mp.get_context("fork").Pool(2, signals_in_pool_worker)
print(sum(pool.map(double, range(10))), flush=True)
time.sleep(0.3)  # both workers idle now: one of them waits for a task holding the queue lock
for worker in mp.active_children():
    os.kill(worker.pid, signal.SIGTERM)  # what a signal to the process group does
time.sleep(0.3)
print(sum(pool.map(double, range(10))), flush=True)  # the group's signal left them working
terminate_pool(pool)
print("terminated", all(not w.is_alive() for w in pool._pool), flush=True)
"""


def test_a_group_sigterm_leaves_workers_to_the_parent_which_terminates_them(
        tmp_path: Path) -> None:
    script = tmp_path / "pool.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, check=True)  # with SIGTERM's default action: hung here
    lines = out.stdout.splitlines()
    assert lines[:2] == ["90", "90"]
    assert lines[2] == "terminated True", out.stderr


LOST = """
import multiprocessing as mp, signal, threading, time
from storyline.interrupt import prepare_pool, signals_in_pool_worker, terminate_pool

def worker_with_a_second_thread():
    signals_in_pool_worker()
    threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})  # now only that thread takes it

def stuck(x):
    time.sleep(3600)

prepare_pool()
pool = mp.get_context("fork").Pool(2, worker_with_a_second_thread)
pool.map_async(stuck, range(2))
time.sleep(1)  # both workers inside the task
started = time.monotonic()
terminate_pool(pool, wait=1.0)
print("terminated", all(not w.is_alive() for w in pool._pool), flush=True)
print("seconds", round(time.monotonic() - started), flush=True)
"""


def test_workers_that_miss_their_sigterm_are_killed_after_the_wait(tmp_path: Path) -> None:
    """The ingest's SIGTERM hang (3 of 28 group-SIGTERM ingests): a worker whose handler
    never ran. Here the signal goes to another of the worker's threads, one way that happens."""
    script = tmp_path / "lost.py"
    script.write_text(LOST, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=60, check=True)  # with plain Pool.terminate: hung here
    lines = out.stdout.splitlines()
    assert lines[0] == "terminated True", out.stderr
    assert int(lines[1].split()[1]) < 10
