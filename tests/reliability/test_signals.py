"""Issue 17.4: the first Ctrl-C (SIGINT to the process group) or SIGTERM stops reading,
commits what is complete, says so in one line and exits 130/143 within 10 s; a second
Ctrl-C exits at once; nothing committed is lost and a rerun completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import good_text, jsonl

EXE = Path(sys.executable).with_name("storyline")
N = 3000


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _start(tmp_path: Path, workers: int) -> tuple[subprocess.Popen[str], Path, Path]:
    src = jsonl(tmp_path / "many.jsonl", [{"id": f"n{i}", "text": good_text(i) * 3}
                                          for i in range(N)])
    db = tmp_path / "s.db"
    proc = subprocess.Popen([str(EXE), "--db", str(db), "ingest", str(src), "--workers",
                             str(workers)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)  # its own process group
    deadline = time.monotonic() + 240
    while _count(db) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # a batch is committed: the signal falls mid-run
    assert proc.poll() is None, proc.communicate()
    return proc, db, src


def _rerun_completes(db: Path, src: Path) -> None:
    done = subprocess.run([str(EXE), "--db", str(db), "ingest", str(src), "--workers", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    total, distinct, ungrouped = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT source_name), SUM(story_id IS NULL) "
        "FROM articles").fetchone()
    assert total == distinct == N and not ungrouped


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code", "workers", "group"), [
    (signal.SIGINT, 130, 2, True),  # Ctrl-C reaches the whole foreground group
    (signal.SIGTERM, 143, 1, False),
    (signal.SIGTERM, 143, 2, True),  # systemd's stop signals every process of the service
])
def test_first_signal_commits_and_exits_then_rerun_completes(
        tmp_path: Path, sig: int, code: int, workers: int, group: bool) -> None:
    proc, db, src = _start(tmp_path, workers)
    sent = time.monotonic()
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10
    assert proc.returncode == code, err
    assert f"stopped by {signal.Signals(sig).name}" in err and "committed" in err
    assert "Traceback" not in err
    assert 0 < _count(db) < N
    _rerun_completes(db, src)


@pytest.mark.slow
def test_second_ctrl_c_exits_at_once(tmp_path: Path) -> None:
    proc, db, src = _start(tmp_path, 2)
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.05)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=30)
    assert time.monotonic() - sent < 3 and proc.returncode in (130, -signal.SIGINT)
    _rerun_completes(db, src)
