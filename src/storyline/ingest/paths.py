"""Expand CLI paths into sources: files, folders (recursive), globs, '-' for stdin."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.base import Skip, Source, display_name

NOT_REGULAR = ("not a regular file (a FIFO, socket or device: reading it could wait forever; "
               "pipe it into `storyline ingest -` instead)")

_IGNORED = {".git", "__pycache__", ".venv", "node_modules"}


def iter_sources(paths: list[str]) -> Iterator[Source | Skip]:
    for raw in paths:
        if raw == "-":
            yield Source(None, "stdin")
            continue
        matches = sorted(glob.glob(raw, recursive=True)) if glob.has_magic(raw) else [raw]
        if not matches:
            yield Skip(display_name(raw), None, "no file matches this pattern")
        for match in matches:
            yield from _expand(Path(match))


def _expand(path: Path) -> Iterator[Source | Skip]:
    try:
        if path.is_dir():
            yield from _walk(path)
            return
        if not path.exists():
            reason = "broken symlink" if path.is_symlink() else "no such file"
            yield Skip(display_name(path), None, reason)
            return
        if not path.is_file():  # opening a FIFO blocks until someone writes to it
            yield Skip(display_name(path), None, NOT_REGULAR)
            return
        yield _source(path, path.parent)
    except OSError as exc:  # symlink loops (ELOOP) and permission errors land here
        yield Skip(display_name(path), None, f"unreadable path: {exc.strerror or exc}")


def _walk(root: Path) -> Iterator[Source | Skip]:
    """os.walk without following symlinked folders, so a symlink loop cannot recurse."""
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED and not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            yield from _expand_file(Path(folder) / name, root)
    for exc in errors:
        yield Skip(display_name(exc.filename or root), None,
                   f"unreadable folder: {exc.strerror or exc}")


def _expand_file(path: Path, root: Path) -> Iterator[Source | Skip]:
    try:
        if not path.exists():
            yield Skip(display_name(path), None, "broken symlink or symlink loop")
            return
        if not path.is_file():
            yield Skip(display_name(path), None, NOT_REGULAR)
            return
        yield _source(path, path.parent if path.parent != root.parent else root)
    except OSError as exc:
        yield Skip(display_name(path), None, f"unreadable path: {exc.strerror or exc}")


def _source(path: Path, folder: Path) -> Source:
    size = path.stat().st_size
    outlet = display_name(folder.resolve().name) or None
    return Source(path, display_name(path), folder_outlet=outlet, size=size)
