"""Write article records ({url, title, text}) as gzipped WARC files of HTML responses: the
form crawls are stored in (Common Crawl's CC-NEWS), for the Spark bench and tests."""

from __future__ import annotations

import re
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.bench.synth import to_html

_URL_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


def write(records: Iterable[dict[str, Any]], folder: Path, per_file: int,
          prefix: str = "crawl") -> list[Path]:
    """`per_file` records per WARC file; returns the files in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    fh = writer = None
    for n, rec in enumerate(records):
        if n % per_file == 0:
            if fh is not None:
                fh.close()
            paths.append(folder / f"{prefix}-{len(paths):05d}.warc.gz")
            fh = paths[-1].open("wb")
            writer = WARCWriter(fh, gzip=True)
        assert writer is not None
        _record(writer, rec)
    if fh is not None:
        fh.close()
    return paths


def _record(writer: WARCWriter, rec: dict[str, Any]) -> None:
    body = to_html({"title": rec.get("title") or "", "text": rec["text"]}).encode("utf-8")
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                            protocol="HTTP/1.1")
    found = _URL_DATE.search(rec["url"])
    when = f"{found[1]}-{found[2]}-{found[3]}T08:00:00Z" if found else "2016-10-01T08:00:00Z"
    writer.write_record(writer.create_warc_record(
        rec["url"], "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": when}))
