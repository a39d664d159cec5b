"""Plain text as crawled: one article per file, any common encoding."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.base import Item, Skip, Source, decode, file_name, looks_binary, read_limited
from storyline.model import Article
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    limit = int(settings.get("ingest.max_article_mb") * 1024 * 1024)
    if src.size is not None and src.size > limit:
        yield Skip(src.name, None, f"too large for one article ({src.size / 2**20:.1f} MB > "
                                   f"{limit / 2**20:.0f} MB limit; split it or raise "
                                   "ingest.max_article_mb)")
        return
    with src.open() as fh:
        data, more = read_limited(fh, limit)
    if more:
        yield Skip(src.name, None, f"too large for one article (> {limit / 2**20:.0f} MB)")
        return
    yield from from_bytes(src, data)


def from_bytes(src: Source, data: bytes) -> Iterator[Item]:
    if not data.strip():
        yield Skip(src.name, None, "empty file")
        return
    if looks_binary(data):
        yield Skip(src.name, None, "binary content, not text")
        return
    text = decode(data)
    yield Article(source=src.name, source_name=file_name(src), raw_text=text)
