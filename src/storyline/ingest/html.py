"""HTML pages: main text and metadata via trafilatura, publication date via htmldate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import trafilatura
from htmldate import find_date

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
    item = from_html(decode(data), source=src.name, source_name=file_name(src))
    yield item


def from_html(markup: str, *, source: str, source_name: str, url: str | None = None,
              record: int | None = None) -> Item:
    """Extract one article from a page; a page with no main text is a Skip, not an error."""
    try:
        doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True,
                                          include_comments=False, favor_precision=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return Skip(source, record, f"HTML could not be parsed ({type(exc).__name__})")
    fields: dict[str, Any] = {}
    if doc is not None:
        fields = doc if isinstance(doc, dict) else doc.as_dict()
    text = fields.get("text") or ""
    if len(text.strip()) < 20:
        return Skip(source, record, "HTML page has no article text")
    url = url or fields.get("url")
    title = fields.get("title") or None
    meta_date = _html_date(markup, url)
    return Article(source=source, source_name=source_name, record=record, raw_text=text,
                   html=markup, url=url, title=title, outlet=outlet_from_url(url),
                   given_date=meta_date, given_date_source="html-meta")


def _html_date(markup: str, url: str | None) -> str | None:
    """htmldate's original publication date from markup and URL (no fetching, no guessing)."""
    try:
        found = find_date(markup, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except Exception:  # htmldate can fail on odd markup; a missing date is the honest answer
        return None
    return str(found) if found else None
