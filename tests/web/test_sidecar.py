"""The sidecar cache shared by the server processes, over real SQLite files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from storyline.store import Store
from storyline.web.sidecar import Shared


def ended_pid() -> int:
    """The id of a process that has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_the_sidecar_is_shared_and_tied_to_its_database(tmp_path: Path) -> None:
    """Two handles on one sidecar (two processes): what one writes the other reads; a
    story's panels are claimed by one process at a time; a new database at the same path
    finds the sidecar empty."""
    path = tmp_path / "side.db"
    Store(path).close()
    one, other = Shared(path), Shared(path)
    one.put_page("story|st-1|3|0|(3, 3)", b"<p>page</p>")
    one.put_panel("st-1", "timeline.story_timeline", 3, {"entries": [{"date": "2016-09-28"}]})
    assert other.page("story|st-1|3|0|(3, 3)") == b"<p>page</p>"
    assert other.page("story|st-1|4|0|(4, 4)") is None
    assert other.panel("st-1", "timeline.story_timeline", 3) == {
        "entries": [{"date": "2016-09-28"}]}
    assert other.panel_version("st-1", "timeline.story_timeline") == 3
    assert other.panel_version("st-1", "timeline.story_timeline", 2) is None
    assert one.claim("panels|st-1|3") and one.claim("panels|st-1|3")  # its own claim
    for pid, free in ((os.getppid(), False), (ended_pid(), True)):
        one._run("UPDATE claims SET pid = ?", [pid])  # claimed by another process
        assert other.claim("panels|st-1|3") is free  # ... alive: its job; ended: free
    one._run("UPDATE claims SET pid = ?", [os.getppid()])
    one.release("panels|st-1|3")
    assert other.claim("panels|st-1|3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rebuilt = Store(path)  # another corpus: its story versions start at 1 again
    rebuilt.conn.execute("UPDATE schema_migrations SET applied_at = '2001-01-01T00:00:00'")
    rebuilt.close()
    assert Shared(path).page("story|st-1|3|0|(3, 3)") is None
