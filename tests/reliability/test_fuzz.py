"""Property tests (Hypothesis): no input makes a reader or `analyze()` raise.

Every reader gets random bytes, truncations of a valid file, random encodings and random
JSON nesting; whatever comes back is an `Article` or a `Skip` naming the file. `analyze()`
gets any string and must return facts whose offsets lie inside the text. CI runs a short
budget; `make fuzz` runs the same properties with STORYLINE_FUZZ_EXAMPLES (and a fixed seed).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline import analyze, ingest
from storyline import settings as settings_mod
from storyline.ingest import Skip
from storyline.model import Article
from tests.reliability.helpers import good_text

SETTINGS = settings_mod.load()
BUDGET = hsettings(max_examples=int(os.environ.get("STORYLINE_FUZZ_EXAMPLES", "25")),
                   deadline=None, suppress_health_check=list(HealthCheck))
SUFFIXES = (".txt", ".html", ".jsonl", ".warc", ".warc.gz", ".rss", ".txt.gz", "")
CODECS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-8-sig")


def _read(data: bytes, suffix: str, fmt: str = "auto") -> list[Article | Skip]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(ingest.read([str(path)], SETTINGS, fmt=fmt))
    for item in items:
        assert isinstance(item, Article | Skip)
        assert "input" in item.source
        if isinstance(item, Skip):
            assert item.reason
    return items


def _warc(n: int) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for i in range(n):
        page = f"<html><body><article><p>{good_text(i)}</p></article></body></html>"
        heads = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(
            f"http://example.org/{i}", "response", payload=io.BytesIO(page.encode()),
            http_headers=heads))
    return out.getvalue()


VALID = {
    ".warc.gz": _warc(3),
    ".jsonl": "".join(json.dumps({"id": str(i), "text": good_text(i)}) + "\n"
                      for i in range(3)).encode(),
    ".txt.gz": gzip.compress(good_text(1).encode()),
    ".rss": ("<?xml version='1.0'?><rss><channel><item><title>T</title><link>http://e.org/1"
             f"</link><description>{good_text(1)}</description></item></channel></rss>"
             ).encode(),
    ".html": f"<html><body><article><p>{good_text(1)}</p></article></body></html>".encode(),
}


@BUDGET
@given(st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_random_bytes_never_raise(data: bytes, suffix: str) -> None:
    _read(data, suffix)


@BUDGET
@given(st.sampled_from(sorted(VALID)), st.data())
def test_truncated_and_flipped_files_never_raise(suffix: str, draw: st.DataObject) -> None:
    data = VALID[suffix]
    cut = draw.draw(st.integers(0, len(data)))
    flips = draw.draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)),
                               max_size=4))
    mutated = bytearray(data[:cut])
    for at, value in flips:
        if at < len(mutated):
            mutated[at] = value
    _read(bytes(mutated), suffix)


@BUDGET
@given(st.text(max_size=2000), st.sampled_from(CODECS))
def test_any_text_in_any_encoding_never_raises(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode(codec, errors="replace")
    items = _read(data, ".txt")
    assert len(items) == 1


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                    lambda kids: st.lists(kids, max_size=4)
                    | st.dictionaries(st.text(max_size=8), kids, max_size=4), max_leaves=40)


@BUDGET
@given(st.lists(st.dictionaries(st.sampled_from(["id", "text", "html", "date", "title",
                                                 "url", "outlet", "x"]), JSON), max_size=5),
       st.integers(0, 3000))
def test_any_json_records_and_nesting_never_raise(records: list[dict[str, object]],
                                                  depth: int) -> None:
    lines = [json.dumps(r) for r in records] + ["[" * depth + "]" * depth]
    items = _read(("\n".join(lines) + "\n").encode(), ".jsonl")
    for item in items:
        if isinstance(item, Article):
            assert isinstance(item.raw_text, str) and isinstance(item.html or "", str)


@BUDGET
@given(st.text(max_size=3000), st.sampled_from([None, "2016-07-28", "9999-12-31", "0001-01"]))
def test_analyze_any_string(text: str, published: str | None) -> None:
    article = analyze(text, published=published)
    clean = article.text
    for fact in (*article.entities, *article.quotes, *article.dates, *article.figures):
        assert 0 <= fact.start <= fact.end <= len(clean)
        assert clean[fact.start:fact.end] == fact.text
