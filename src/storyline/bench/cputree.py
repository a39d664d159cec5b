"""CPU seconds of a process tree, sampled from /proc while it runs.

On a machine shared with other sessions, wall time measures them too; the CPU time a run
takes per article does not. `resource.getrusage(RUSAGE_CHILDREN)` misses what is not reaped
through us (Spark's JVM and its Python workers, a standalone cluster's executors), so the
tree under the given roots is walked every `every` seconds and each process's own user+system
time kept at its last value (a process that ends between two samples loses at most that
interval). Linux only; elsewhere it reports 0.

`python -m storyline.bench.cputree PID...` samples running processes until they end and
prints the seconds (for a run started without it).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, own user+system seconds) of every process."""
    out: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        out[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return out


class TreeCPU:
    """Samples the processes under `roots` (and the roots) until `stop`."""

    def __init__(self, roots: list[int], every: float = 2.0) -> None:
        self.roots = set(roots)
        self.seen: dict[int, float] = {}
        self._done = threading.Event()
        self._every = every
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def add_root(self, pid: int) -> None:
        self.roots.add(pid)

    def sample(self) -> None:
        table = _table()
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in table.items():
            children.setdefault(parent, []).append(pid)
        todo = [p for p in self.roots if p in table]
        while todo:
            pid = todo.pop()
            self.seen[pid] = max(self.seen.get(pid, 0.0), table[pid][1])
            todo += children.get(pid, [])

    def _run(self) -> None:
        while not self._done.wait(self._every):
            self.sample()

    def stop(self) -> float:
        self.sample()
        self._done.set()
        return sum(self.seen.values())


def main(argv: list[str] | None = None) -> None:
    pids = [int(p) for p in (sys.argv[1:] if argv is None else argv)]
    tree = TreeCPU(pids, every=5.0)
    while any(Path(f"/proc/{p}").exists() for p in pids):
        tree._done.wait(5.0)
        print(f"{sum(tree.seen.values()):.1f}", flush=True)
    print(f"{tree.stop():.1f}")


if __name__ == "__main__":
    main()
