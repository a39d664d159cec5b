"""Ingest progress as plain lines when stderr is not a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from storyline.progress import progress_bar


def test_plain_lines_every_interval_with_the_counts_so_far() -> None:
    out = io.StringIO()
    with progress_bar(enabled=False, lines=True, every=0.05, stream=out) as tick:
        tick("read", 200)
        time.sleep(0.3)
        tick("group", 150)
        time.sleep(0.2)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 3 and all(ln.startswith("ingest: ") for ln in lines)
    assert "200 read and analysed" in lines[0]
    assert "150 grouped" in lines[-1] and "\x1b" not in out.getvalue()
    quiet = io.StringIO()
    with progress_bar(enabled=False, stream=quiet, every=0.01) as tick:
        tick("read", 1)
        time.sleep(0.05)
    assert quiet.getvalue() == ""


def test_cli_ingest_into_a_pipe_reports_progress(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(
            f"Bremen - Der Hafen meldet zum {i}. Mal einen Rekord beim Umschlag, teilte die "
            "Hafengesellschaft am Montag mit.\n", encoding="utf-8")
    env = {**os.environ, "STORYLINE_PROGRESS_SECONDS": "0.2"}
    done = subprocess.run([sys.executable, "-m", "storyline.cli", "--db", str(tmp_path / "t.db"),
                           "ingest", str(folder), "--workers", "1"], capture_output=True,
                          text=True, env=env, timeout=300, check=True)
    assert "ingested 3 new articles" in done.stdout
    assert "ingest: " in done.stderr and "\x1b[" not in done.stderr
