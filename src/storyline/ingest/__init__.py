"""Readers turn sources into `Article`s (raw text, metadata) or `Skip`s (reason, location).

`read(paths)` walks files, folders (recursively), globs and `-` (stdin), sniffs each file's
format and yields in a stable order, so re-running over the same input is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from storyline.ingest.base import Item, Skip, Source
from storyline.ingest.paths import iter_sources
from storyline.ingest.sniff import FORMATS, sniff
from storyline.settings import Settings

__all__ = ["FORMATS", "Item", "Skip", "read", "read_source"]


def read_source(src: Source, fmt: str, settings: Settings) -> Iterator[Item]:
    from storyline.ingest import feed, html, jsonl, text, warc

    if fmt == "auto":
        fmt = sniff(src)
    readers = {"text": text.read, "html": html.read, "jsonl": jsonl.read,
               "warc": warc.read, "feed": feed.read}
    if fmt not in readers:
        yield Skip(src.name, None, f"unrecognised format ({fmt})")
        return
    try:
        yield from readers[fmt](src, settings)
    except OSError as exc:
        yield Skip(src.name, None, f"read error: {exc.strerror or exc}")


def read(paths: list[str], settings: Settings, *, fmt: str = "auto",
         outlet: str | None = None) -> Iterator[Item]:
    for item in iter_sources(paths, settings):
        if isinstance(item, Skip):
            yield item
            continue
        for out in read_source(item, fmt, settings):
            if not isinstance(out, Skip) and not out.outlet:
                out.outlet = outlet or item.folder_outlet
            yield out


def resolve_paths(paths: list[str]) -> list[Path]:
    return [Path(p) for p in paths]
