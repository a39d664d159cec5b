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
