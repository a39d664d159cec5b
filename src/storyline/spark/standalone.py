"""A standalone Spark cluster on this machine (one master, one worker on 127.0.0.1), started
from pyspark's own `bin/spark-class`: what the cluster test and `python -m
storyline.bench.spark` run `backfill` against. The README shows the same as shell commands."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    master: str  # spark://127.0.0.1:PORT
    ui: int  # the master's web UI port (JSON status at /json/)
    env: dict[str, str]  # environment for drivers run against it
    folder: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=5) as resp:
            data: dict[str, Any] = json.load(resp)
            return data

    def stop(self) -> None:
        """Stop the two JVMs this cluster started (each in its own process group)."""
        for proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)
        self.procs.clear()


def _wait(check: Callable[[], bool], seconds: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(1)
    tails = "\n".join(p.read_text(errors="replace")[-2000:] for p in logs if p.exists())
    raise RuntimeError(f"{what} did not come up in {seconds:.0f} s:\n{tails}")


def _reachable(port: int) -> bool:
    socket.create_connection(("127.0.0.1", port), 2).close()
    return True


def start(folder: Path, cores: int = 2, memory: str = "3g") -> Cluster:
    import pyspark

    home = Path(pyspark.__file__).parent
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1",
           "PYSPARK_PYTHON": sys.executable, "SPARK_LOG_DIR": str(folder)}
    port, ui, worker_ui = free_port(), free_port(), free_port()
    spark_class = str(home / "bin" / "spark-class")
    logs = [folder / "master.log", folder / "worker.log"]
    cluster = Cluster(f"spark://127.0.0.1:{port}", ui, env, folder)
    commands = [
        [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
         "--port", str(port), "--webui-port", str(ui)],
        [spark_class, "org.apache.spark.deploy.worker.Worker", cluster.master, "--host",
         "127.0.0.1", "--cores", str(cores), "--memory", memory, "--webui-port",
         str(worker_ui), "--work-dir", str(folder / "work")]]
    checks: list[tuple[Callable[[], bool], str]] = [
        (lambda: _reachable(port), "the Spark master"),
        (lambda: int(cluster.status().get("aliveworkers", 0)) >= 1, "the Spark worker")]
    try:
        for command, log, (check, what) in zip(commands, logs, checks, strict=True):
            with log.open("wb") as out:
                cluster.procs.append(subprocess.Popen(command, env=env, stdout=out,
                                                      stderr=subprocess.STDOUT,
                                                      start_new_session=True))
            _wait(check, 180, what, logs)
    except BaseException:
        cluster.stop()
        raise
    return cluster
