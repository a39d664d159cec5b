"""Plain text as crawled: one article per file, any common encoding."""

from __future__ import annotations

from collections.abc import Iterator

from storyline.ingest.base import Item, Skip, Source, file_name, read_document
from storyline.model import Article
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    text = read_document(src, settings, "text")
    if isinstance(text, Skip):
        yield text
        return
    yield Article(source=src.name, source_name=file_name(src), raw_text=text)
