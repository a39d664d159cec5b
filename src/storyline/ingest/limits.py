"""Bounds on what one input may cost: decompressed size and ratio, line length, JSON depth.

Hostile or broken input (a 0.5 MB .warc.gz that inflates to 500 MB, a 300 MB WARC header
line, a JSON line nested 2,000 deep) must cost memory bounded by these limits and time linear
in its size, and end in a `Skip` naming the file; the good records read before are kept.
Every decompression streams and stops at the limit; nothing is inflated whole.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from typing import Any, BinaryIO

from warcio.bufferedreaders import DecompressingBufferedReader

from storyline.errors import InputError
from storyline.settings import Settings

MB = 1024 * 1024


class InputLimit(InputError):
    """An input went past a limit of `Limits`; the message says which and how to raise it."""


@dataclass(frozen=True)
class Limits:
    article: int  # bytes of one article (file, JSONL line, WARC record body)
    decompressed: int  # bytes one compressed file may expand to
    ratio: float  # decompressed / compressed bytes, checked once past `ratio_floor`
    ratio_floor: int
    header_line: int  # bytes of one WARC or HTTP header line
    json_depth: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        cfg = settings.section("ingest")
        return cls(article=int(cfg["max_article_mb"] * MB),
                   decompressed=int(cfg.get("max_decompressed_mb", 2048) * MB),
                   ratio=float(cfg.get("max_compression_ratio", 200)),
                   ratio_floor=int(cfg.get("compression_ratio_after_mb", 16) * MB),
                   header_line=int(cfg.get("max_header_line_kb", 64) * 1024),
                   json_depth=int(cfg.get("max_json_depth", 100)))

    def check_inflated(self, out: int, raw: int) -> None:
        """Raise once `out` decompressed bytes from `raw` compressed ones pass a limit."""
        if out > self.decompressed:
            raise InputLimit(f"expands beyond {self.decompressed // MB} MB "
                             "(ingest.max_decompressed_mb)")
        if out > self.ratio_floor and out > self.ratio * max(raw, 1):
            raise InputLimit(f"decompression bomb: {out // MB} MB from {raw // 1024} KB "
                             f"(over {self.ratio:.0f}x, ingest.max_compression_ratio)")


class LimitedGzip(io.RawIOBase):
    """A gzip file read as a stream that stops at the limits; truncation is an error."""

    def __init__(self, raw: BinaryIO, limits: Limits) -> None:
        self._raw, self._limits, self._out = raw, limits, 0
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._gz.read(min(len(buffer), 1 << 20))
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InputLimit(f"truncated or corrupt gzip ({exc})") from exc
        self._out += len(data)
        self._limits.check_inflated(self._out, self._raw.tell())
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gz.close()
        self._raw.close()
        super().close()


class BoundedWarcReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio's reader with bounded lines and bounded inflation.

    warcio reads header lines with an unbounded readline (a 300 MB line is held whole, and
    grown piece by piece: worse than linear) and inflates without a ratio check; warcio has
    no option for either, hence this subclass."""

    def __init__(self, stream: BinaryIO, limits: Limits, **kwargs: Any) -> None:
        super().__init__(stream, **kwargs)
        self.limits, self.raw_bytes, self.out_bytes = limits, 0, 0
        self.unfinished = False  # a gzip member still open at the end: the file was cut

    def _process_read(self, data: bytes) -> None:
        self.raw_bytes += len(data or b"")
        super()._process_read(data)
        if data:
            self.out_bytes += self.buff_size
            self.limits.check_inflated(self.out_bytes, self.raw_bytes)

    def close_decompressor(self) -> None:
        if self.decompressor is not None and not self.decompressor.eof and self.num_read:
            self.unfinished = True
        super().close_decompressor()

    def readline(self, length: int | None = None) -> bytes:
        cap = self.limits.header_line if not length else min(length, self.limits.header_line)
        parts, size = [], 0
        while size < cap:
            self._fillbuff()
            if self.empty():
                break
            piece = self.buff.readline(cap - size)
            parts.append(piece)
            size += len(piece)
            if piece.endswith(b"\n"):
                break
        line = b"".join(parts)
        if size >= self.limits.header_line and not line.endswith(b"\n"):
            raise InputLimit(f"header line longer than {self.limits.header_line // 1024} KB "
                             "(ingest.max_header_line_kb)")
        return line


def json_depth_over(value: Any, limit: int) -> bool:
    """Whether a parsed JSON value nests deeper than `limit` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, dict | list))
    return False
