"""What runs in the Spark executors: read a task's files and run every per-article stage.

The work is `ingest`'s own: the same readers, the same stage modules in the same order, the
same clustering features, the LATE facts computed as `late_facts` computes them (from the
title, clean text, language and date only). Models and dictionaries load once per Python
worker process (Spark reuses its Python workers across tasks), on the first record.

A record whose stages raise becomes a skip with the error (`work.guarded`, as in ingest), so
one bad page never fails the task (Spark would retry it and then fail the whole job); LATE
facts that crash are a skip beside the kept article (`work.late`).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO
from urllib.parse import urlparse

from storyline import ingest, work
from storyline.ingest.base import Skip, Source
from storyline.ingest.sniff import sniff
from storyline.model import Article
from storyline.settings import Settings
from storyline.spark.inputs import ITEM_BITS, FileRef
from storyline.stages.clean import line_keys
from storyline.store.db import article_rows, sort_key
from storyline.store.search import lemma_text

_STATE: dict[str, Any] = {}  # this Python worker's warm-up flag
NO_LINES = ("warc", "html")  # formats whose articles are markup: no outlet-line annotation
# feature fields only dedup's confirmation reads: the driver's events pass goes without
# them when the candidates are confirmed in the executors (a third of the bytes it pulls)
DEDUP_ONLY = frozenset({"shingle_hashes", "lead_shingles", "narrative", "sentences",
                        "sentence_lengths"})


class TaskSource(Source):
    """A Source named as `ingest` names it (`path` = the path as given, for source keys),
    opened where the executor finds it: the absolute path, or bytes Spark read remotely."""

    def __init__(self, ref: FileRef, data: bytes | None = None) -> None:
        where = Path(urlparse(ref.name).path) if ref.remote else Path(ref.name)
        super().__init__(where, ref.name, ref.folder_outlet, ref.size)
        self.ref, self.data = ref, data

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        return Path(self.ref.location).open("rb")

    def head(self, n: int = 4096) -> bytes:
        with self.open() as fh:
            return fh.read(n)


def _items(ref: FileRef, settings: Settings, fmt: str, outlet: str | None,
           data: bytes | None) -> Iterator[tuple[int, ingest.Item]]:
    """(ordinal, item) as `ingest.read` yields them for this file."""
    src = TaskSource(ref, data)
    for number, item in enumerate(ingest.read_source(src, fmt, settings)):
        if not isinstance(item, Skip) and not item.outlet:
            item.outlet = ingest.fallback_outlet(src, outlet)
        yield (ref.number << ITEM_BITS) | number, item


def line_records(ref: FileRef, settings: Settings, fmt: str, outlet: str | None,
                 data: bytes | None = None) -> Iterator[tuple[int, str, str, list[str]]]:
    """(ordinal, id, outlet, line keys) of the plain-text articles: what `OutletLines`
    counts in read order before the clean stage (markup is never annotated)."""
    src = TaskSource(ref, data)
    if (fmt if fmt != "auto" else sniff(src)) in NO_LINES:
        return
    for ordinal, item in _items(ref, settings, fmt, outlet, data):
        if isinstance(item, Article) and not item.html and item.outlet and item.raw_text:
            yield ordinal, item.id, item.outlet, sorted(line_keys(item.raw_text))


def warm(settings: Settings, timings: Any) -> None:
    if _STATE.get("ready"):
        return
    started = time.perf_counter()
    work.warm_up(settings)
    _STATE["ready"] = True
    timings.add({"models_load": time.perf_counter() - started, "model_loads": 1.0})


def analyse(article: Article, settings: Settings, spent: dict[str, float],
            with_store: bool) -> list[dict[str, Any] | Skip]:
    """`work.guarded` and `work.late` for one article, as ingest's workers and late-facts
    pass run them: its output row, or its skip; and the skip of LATE facts that crashed
    (the article is kept without them, as ingest keeps it)."""
    done = work.guarded(article, settings, spent)
    if isinstance(done, Skip):
        return [done]
    article, feats = done
    late, failed = work.late(article.title, article.text, article.lang, article.published,
                             settings, spent)
    article.dates, article.figures = late.dates, late.figures
    row = export_row(article, feats)
    if with_store:
        started = time.perf_counter()
        row["store"] = store_json(article, feats, late)
        spent["store_rows"] = spent.get("store_rows", 0.0) + time.perf_counter() - started
    return [row, Skip(article.source, article.record, failed)] if failed else [row]


def export_row(article: Article, feats: dict[str, Any]) -> dict[str, Any]:
    record = article.to_dict()
    for kind in ("entities", "quotes", "dates", "figures"):
        record[kind].sort(key=lambda f: f["start"])  # the store's ORDER BY start (stable)
    for figure in record["figures"]:
        figure["value"] = float(figure["value"])
    record.update(source_key=article.source_key, sort_key=sort_key(article),
                  published_month=(article.published or "")[:7] or "unknown",
                  features=json.dumps(feats, ensure_ascii=False),
                  group_features=json.dumps({k: v for k, v in feats.items()
                                             if k not in DEDUP_ONLY}, ensure_ascii=False))
    return record


def store_json(article: Article, feats: dict[str, Any], late: Article) -> str:
    """What `storyline.store` writes for this article (with --db): its rows, dates, figures
    and search lemmas."""
    rows = article_rows(article, feats)
    return json.dumps({"article": rows.article, "mentions": rows.mentions,
                       "quotes": rows.quotes,
                       "dates": [[d.start, d.end, d.text, d.value] for d in late.dates],
                       "figures": [[f.start, f.end, f.text, f.value, f.what, f.qualifier]
                                   for f in late.figures],
                       "lemmas": lemma_text(article.title, article.text, article.lang)},
                      ensure_ascii=False)


def process_file(ref: FileRef, settings: Settings, fmt: str, outlet: str | None,
                 lines: dict[int, list[str]], with_store: bool, timings: Any,
                 data: bytes | None = None) -> Iterator[dict[str, Any]]:
    """Every output row of one file: analysed articles and skips, with their ordinal."""
    warm(settings, timings)
    spent: dict[str, float] = {}
    started = time.perf_counter()
    count = 0
    items = _items(ref, settings, fmt, outlet, data)
    while True:
        read_started = time.perf_counter()
        nxt = next(items, None)
        spent["read"] = spent.get("read", 0.0) + time.perf_counter() - read_started
        if nxt is None:
            break
        ordinal, item = nxt
        rows: list[dict[str, Any] | Skip] = [item] if isinstance(item, Skip) else []
        if isinstance(item, Article):
            count += 1
            if not item.html:
                item.outlet_boilerplate = frozenset(lines.get(ordinal, ()))
            rows = analyse(item, settings, spent, with_store)
        for done in rows:
            if isinstance(done, Skip):
                yield {"ordinal": ordinal, "skip_source": done.source,
                       "skip_record": done.record, "skip_reason": done.reason}
            else:
                yield {"ordinal": ordinal, **done}
    spent["task_total"] = time.perf_counter() - started
    timings.add({**spent, "articles": float(count), "files": 1.0})


def source_of(name: str) -> str:
    """The file name part of a URI or path (for messages)."""
    return PurePosixPath(urlparse(name).path).name or name
