"""HTML pages. Readers only wrap the markup in an `Article`; the `extract` stage (trafilatura
for the main text, htmldate for the publication date) runs later in the worker processes, so
the costly part of HTML ingest is parallel."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.base import Item, Skip, Source, file_name, outlet_from_url, read_document
from storyline.model import Article
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    markup = read_document(src, settings, "HTML")
    if isinstance(markup, Skip):
        yield markup
        return
    yield from_html(markup, source=src.name, source_name=file_name(src))


def from_html(markup: str, *, source: str, source_name: str, url: str | None = None,
              record: int | None = None) -> Article:
    return Article(source=source, source_name=source_name, record=record, raw_text="",
                   html=markup, url=url, outlet=outlet_from_url(url))
