"""WARC files (plain or gzipped): HTML response records become articles.

warcio parses; `BoundedWarcReader` keeps its lines and its inflation within `Limits`, so a
decompression bomb or a giant header line ends in a skip after the good records."""

from __future__ import annotations

from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storyline.datebounds import valid_month
from storyline.errors import failure
from storyline.ingest.base import Item, Skip, Source, decode
from storyline.ingest.html import from_html
from storyline.ingest.limits import BoundedWarcReader, InputLimit, Limits
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    limits = Limits.of(settings)
    number = 0
    with src.open() as fh:  # raw: warcio inflates (bounded below)
        records = ArchiveIterator(fh)
        # the same reader warcio builds, bounded; set before the lazy iteration starts
        reader = records.reader = BoundedWarcReader(records.fh, limits)
        try:
            for record in records:
                number += 1
                item = _record(src, number, record, limits.article)
                if item is not None:
                    yield item
        except InputLimit as exc:
            yield Skip(src.name, number + 1, f"WARC record over a limit: {exc}; rest of the "
                                             "file skipped")
            return
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError) as exc:
            # warcio reads lazily: a truncated file fails here after the good records (and
            # on some junk warcio itself trips: AttributeError on a header it cannot split)
            yield Skip(src.name, number + 1, f"truncated or corrupt WARC ({failure(exc)})")
            return
        yield from _leftover(src, number, records.offset, reader)


def _leftover(src: Source, number: int, offset: int, reader: BoundedWarcReader) -> Iterator[Skip]:
    """A gzip member cut short ends warcio's iteration silently: the bytes left say so, or
    the member left open (a .warc.gz cut inside its first record yields no record at all)."""
    if src.size is not None and offset < src.size:
        yield Skip(src.name, number + 1,
                   f"truncated or corrupt WARC ({src.size - offset} bytes after the last record)")
    elif reader.unfinished or (number == 0 and src.size):
        yield Skip(src.name, number + 1, "truncated or corrupt WARC (file ends inside a record)")


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
