"""WARC files (plain or gzipped): HTML response records become articles."""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.datebounds import valid_month
from storyline.ingest.base import Item, Skip, Source, decode
from storyline.ingest.html import from_html
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    limit = int(settings.get("ingest.max_article_mb") * 1024 * 1024)
    number = 0
    with src.open() as fh:
        records = ArchiveIterator(fh)
        try:
            for record in records:
                number += 1
                item = _record(src, number, record, limit)
                if item is not None:
                    yield item
        except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
            # warcio reads lazily: a truncated file fails here after the good records
            yield Skip(src.name, number + 1, f"truncated or corrupt WARC ({exc})")
            return
        if src.size is not None and records.offset < src.size:
            # a gzip member cut short ends the iteration silently: the bytes left say so
            left = src.size - records.offset
            yield Skip(src.name, number + 1,
                       f"truncated or corrupt WARC ({left} bytes after the last record)")


def _record(src: Source, number: int, record: object, limit: int) -> Item | None:
    rec_type = getattr(record, "rec_type", "")
    if rec_type not in {"response", "resource"}:
        return None
    headers = getattr(record, "http_headers", None)
    ctype = (headers.get_header("Content-Type") if headers else None) or ""
    if ctype and "html" not in ctype.lower():
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")  # type: ignore[attr-defined]
    body = record.content_stream().read(limit + 1)  # type: ignore[attr-defined]
    if len(body) > limit:
        return Skip(src.name, number, f"record larger than {limit / 2**20:.0f} MB")
    raw = getattr(record, "raw_stream", None)
    if raw is not None and getattr(raw, "limit", 0) > 0:
        return Skip(src.name, number, "truncated or corrupt WARC (record cut short)")
    item = from_html(decode(body), source=src.name, source_name=url or f"record-{number}",
                     url=url, record=number)
    warc_date = record.rec_headers.get_header("WARC-Date")  # type: ignore[attr-defined]
    item.crawl_month = valid_month(warc_date[:7]) if warc_date else None
    return item
