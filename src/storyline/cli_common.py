"""What every `storyline` command shares: the global options' state, the consoles, and the
small helpers that open the store and print JSON (a module of its own, so the command groups
in cli.py and cli_eval.py import it without importing each other)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import typer
from rich.console import Console

from storyline.store import Store
from storyline.store.db import open_for_reading

STATE: dict[str, Any] = {}  # --db, --config, --debug and the loaded settings
# markup off: titles, file names and reasons come from hostile input ("[/b]" in a title);
# the few styled lines escape what they interpolate
out = Console(highlight=False, soft_wrap=True, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def store(readonly: bool = False) -> Store:
    db = STATE["db"]
    if readonly and not db.exists():
        err.print(f"no database at {db}: run `storyline ingest PATH` first")
        raise typer.Exit(1)
    return open_for_reading(db) if readonly else Store(db)


T = TypeVar("T")


def found(data: T | None, missing: str) -> T:
    """The looked-up record, or exit 1 with a message naming what was not found."""
    if data is None:
        err.print(missing)
        raise typer.Exit(1)
    return data


def emit(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))
