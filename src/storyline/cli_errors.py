"""What the CLI says when the machine, not the code, fails: one line naming the file and what
to do (disk full, database locked, corrupt, permission denied, interrupted), never a
traceback unless `--debug`. Every such line is plain text: nothing from a file name or an
article reaches rich's markup parser."""

from __future__ import annotations

import errno
import sqlite3
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from storyline.errors import failure
from storyline.interrupt import Interrupted

_ERR = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def explain(exc: BaseException, db: Path | None) -> str:
    """One line for a failure outside the code's control, or a generic one."""
    where = str(getattr(exc, "filename", None) or db or "the database")
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EFBIG) or "disk is full" in text:
        return (f"{where}: disk full (or over the file size limit). Free some space and run "
                "the command again; what was committed before is kept and the database is "
                "consistent.")
    if "database is locked" in text or "database table is locked" in text:
        return (f"{where} is locked by another storyline process (an ingest?). Wait for it to "
                "finish or stop it, then run the command again.")
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return (f"{where} is corrupt or not a storyline database. Restore a copy, or ingest "
                "into a new one with --db NEW.db.")
    if (code in (errno.EACCES, errno.EPERM, errno.EROFS) or "readonly database" in text
            or "unable to open database" in text):
        return (f"{where}: permission denied. Check its permissions (a database you may "
                "only read still works with stats, stories, show, search, export, serve).")
    return f"error: {failure(exc)} (run with --debug for the traceback)"


def interrupted(exc: Interrupted) -> str:
    done = exc.report.ingested if exc.report is not None else 0
    return (f"stopped by {exc}: {done} new articles committed; run the same command again "
            "to read the rest and group them.")


class GuardedTyper(typer.Typer):
    """A Typer app whose uncaught errors end in one line and exit 1 (130/143 on a signal).
    `state["debug"]` shows the traceback instead; `state["db"]` names the database."""

    def __init__(self, *args: Any, state: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.state = state

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except Interrupted as exc:
            _ERR.print(interrupted(exc))
            sys.exit(exc.exit_code)
        except (Exception, sqlite3.Error) as exc:
            if self.state.get("debug"):
                raise
            _ERR.print(explain(exc, self.state.get("db")))
            sys.exit(1)
