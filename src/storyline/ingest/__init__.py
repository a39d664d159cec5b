"""Readers turn sources into `Article`s (raw text, metadata) or `Skip`s (reason, location).

`read(paths)` walks files, folders (recursively), globs and `-` (stdin), sniffs each file's
format and yields in a stable order, so re-running over the same input is idempotent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from storyline.errors import InputError, failure
from storyline.ingest.base import Item, Skip, Source, display_name
from storyline.ingest.limits import Limits
from storyline.ingest.outlets import looks_like_host
from storyline.ingest.paths import iter_sources
from storyline.ingest.sniff import FORMATS, sniff
from storyline.model import Article
from storyline.settings import Settings

__all__ = ["FORMATS", "Item", "Skip", "read", "read_source"]


def read_source(src: Source, fmt: str, settings: Settings) -> Iterator[Item]:
    from storyline.ingest import feed, html, jsonl, text, warc

    src.limits = Limits.of(settings)
    readers = {"text": text.read, "html": html.read, "jsonl": jsonl.read,
               "warc": warc.read, "feed": feed.read}
    try:
        if fmt == "auto":
            fmt = sniff(src)
        if fmt not in readers:
            yield Skip(src.name, None, f"unrecognised format ({fmt})")
            return
        for item in readers[fmt](src, settings):
            if not isinstance(item, Skip):
                item.source_key = item.source_key or source_key(src, item)
            yield item
    except OSError as exc:  # unreadable (permissions), vanished, I/O error
        yield Skip(src.name, None, f"read error: {exc.strerror or exc}")
    except InputError as exc:  # a limit of ingest.limits, a truncated gzip
        yield Skip(src.name, None, str(exc))
    except Exception as exc:  # a reader (or its library) tripping on junk: skip, go on
        if os.environ.get("STORYLINE_DEBUG"):
            raise
        yield Skip(src.name, None, f"unreadable {fmt} input ({failure(exc)})")


def read(paths: list[str], settings: Settings, *, fmt: str = "auto",
         outlet: str | None = None, exclude: frozenset[Path] = frozenset()) -> Iterator[Item]:
    """`exclude`: resolved paths never read (the database being written, its WAL files)."""
    for item in iter_sources(paths):
        if isinstance(item, Skip):
            yield item
            continue
        if item.path is not None and item.path.resolve() in exclude:
            continue
        for out in read_source(item, fmt, settings):
            if not isinstance(out, Skip) and not out.outlet:
                out.outlet = fallback_outlet(item, outlet)
            yield out


def fallback_outlet(src: Source, outlet: str | None) -> str | None:
    """The outlet of an article that names none: --outlet, else its folder, but only when
    the folder reads as a host ("spiegel.de", not "seeds"); HTML pages may still name theirs
    (og:site_name) when extracted. (Also the Spark backfill's rule.)"""
    return outlet or (src.folder_outlet if looks_like_host(src.folder_outlet) else None)


def source_key(src: Source, article: Article) -> str:
    """URL when known, else folder/file (+ record name): stable across working directories."""
    if article.url:
        return article.url
    where = display_name(f"{src.path.parent.name}/{src.path.name}") if src.path else "stdin"
    return f"{where}#{article.source_name}" if article.record is not None else where
