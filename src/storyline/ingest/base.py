"""Shared reader types and helpers: a `Source` to read from, a `Skip` when it can't be."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from storyline.model import Article
from storyline.settings import Settings


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

    def open(self) -> BinaryIO:
        if self.path is None:
            return sys.stdin.buffer
        return self.path.open("rb")

    def head(self, n: int = 4096) -> bytes:
        if self.path is None:
            return b""
        with self.path.open("rb") as fh:
            return fh.read(n)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not text in any encoding we accept."""
    if not data:
        return False
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / len(sample) > 0.05


def decode(data: bytes) -> str:
    """UTF-8 (BOM stripped) first; otherwise the best guess, which covers Latin-1/cp1252."""
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
    with src.open() as fh:
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
    return src.path.name if src.path is not None else "stdin"
