"""Shared reader types and helpers: a `Source` to read from, a `Skip` when it can't be."""

from __future__ import annotations

import io
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from storyline.ingest.limits import LimitedGzip, Limits
from storyline.model import Article
from storyline.settings import Settings, default


@dataclass
class Skip:
    """An input that could not be used; `record` is the 1-based line/record number."""

    source: str
    record: int | None
    reason: str

    def message(self) -> str:
        where = f"{self.source}:{self.record}" if self.record else self.source
        return f"skipped {where}: {self.reason}"


Item = Article | Skip


@dataclass
class Source:
    """A file (or stdin, path '-') to read; `folder_outlet` is the fallback outlet name."""

    path: Path | None
    name: str
    folder_outlet: str | None = None
    size: int | None = None

    limits: Limits | None = None  # set by `read_source`; None: the default settings

    def open(self) -> BinaryIO:
        if self.path is None:
            return sys.stdin.buffer
        return self.path.open("rb")

    def head(self, n: int = 4096) -> bytes:
        if self.path is None:
            return b""
        with self.path.open("rb") as fh:
            return fh.read(n)

    def stream(self) -> BinaryIO:
        """`open()`, with a gzip file inflated as a bounded stream (`LimitedGzip`); warcio
        inflates WARC itself, within the same limits."""
        fh = self.open()
        peek = getattr(fh, "peek", None)
        if peek is not None:
            magic = peek(2)[:2]
        elif fh.seekable():
            magic = fh.read(2)
            fh.seek(0)
        else:
            return fh
        if magic == GZIP_MAGIC:
            raw = LimitedGzip(fh, self.limits or Limits.of(default()))
            return io.BufferedReader(raw, 1 << 16)  # type: ignore[return-value]
        return fh


def inflate_head(data: bytes, n: int = 4096) -> bytes:
    """The first `n` bytes of `data`, inflated when gzipped (a cut member gives what it has)."""
    if data[:2] != GZIP_MAGIC:
        return data[:n]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, n)
    except zlib.error:
        return b""


GZIP_MAGIC = b"\x1f\x8b"


def display_name(path: Path | str) -> str:
    """A path as text that SQLite and the terminal take: undecodable bytes of a file name
    (kept by Python as lone surrogates) become U+FFFD."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def _utf16(data: bytes) -> str | None:
    """The UTF-16 codec of `data` (with a BOM, or NUL bytes on one side of most pairs as
    ASCII-heavy UTF-16 has), else None; its NULs would otherwise make it look binary."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.6 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.6 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not text in any encoding we accept."""
    if not data or _utf16(data):
        return False
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped) first; otherwise the best guess, which covers Latin-1/cp1252."""
    if codec := _utf16(data):
        return data.decode(codec, errors="replace").lstrip("\ufeff")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best else "cp1252"
    if encoding in {"latin_1", "iso8859_1", "ascii"}:
        encoding = "cp1252"  # cp1252 is a superset that also knows „ “ – € as web text uses them
    return data.decode(encoding, errors="replace")


def outlet_from_url(url: str | None) -> str | None:
    """The URL's host (the archived site's, for web archive pages); see ingest.outlets."""
    from storyline.ingest.outlets import outlet_from_url as host_outlet

    return host_outlet(url)


def read_limited(fh: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Read at most `limit` bytes; say whether there was more (bounded memory on huge files)."""
    data = fh.read(limit + 1)
    return data[:limit], len(data) > limit


def read_document(src: Source, settings: Settings, kind: str) -> str | Skip:
    """One file that is one article (text or HTML): its decoded text, or why it was skipped.

    Bounded memory: a file over `ingest.max_article_mb` is skipped after a stat (or, for
    stdin, after reading one byte past the limit), never read whole."""
    limit = int(settings.get("ingest.max_article_mb") * 1024 * 1024)
    hint = "split it or raise ingest.max_article_mb"
    if src.size is not None and src.size > limit:
        return Skip(src.name, None, f"too large for one article ({src.size / 2**20:.1f} MB > "
                                    f"{limit / 2**20:.0f} MB limit; {hint})")
    with src.stream() as fh:
        data, more = read_limited(fh, limit)
    if more:
        return Skip(src.name, None, f"too large for one article (> {limit / 2**20:.0f} MB; "
                                    f"{hint})")
    if not data.strip():
        return Skip(src.name, None, "empty file")
    if looks_binary(data):
        return Skip(src.name, None, f"binary content, not {kind}")
    return decode(data)


def iter_lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, bytes) with over-long lines replaced by None, never buffering them."""
    number = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drain the rest of the long line
                line = fh.readline(1 << 20)
            yield number, None
            continue
        yield number, line


def file_name(src: Source) -> str:
    return display_name(src.path.name) if src.path is not None else "stdin"
