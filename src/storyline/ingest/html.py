"""HTML pages. Readers only wrap the markup in an `Article`; the `extract` stage (trafilatura
for the main text, htmldate for the publication date) runs later in the worker processes, so
the costly part of HTML ingest is parallel."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.base import (
    Item,
    Skip,
    Source,
    decode,
    file_name,
    looks_binary,
    outlet_from_url,
    read_limited,
)
from storyline.model import Article
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    limit = int(settings.get("ingest.max_article_mb") * 1024 * 1024)
    with src.open() as fh:
        data, more = read_limited(fh, limit)
    if more:
        yield Skip(src.name, None, f"HTML page too large (> {limit / 2**20:.0f} MB)")
        return
    if not data.strip():
        yield Skip(src.name, None, "empty file")
        return
    if looks_binary(data):
        yield Skip(src.name, None, "binary content, not HTML")
        return
    yield from_html(decode(data), source=src.name, source_name=file_name(src))


def from_html(markup: str, *, source: str, source_name: str, url: str | None = None,
              record: int | None = None) -> Article:
    return Article(source=source, source_name=source_name, record=record, raw_text="",
                   html=markup, url=url, outlet=outlet_from_url(url))
