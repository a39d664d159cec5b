"""Ingest end to end: read -> per-article stages (in worker processes) -> batched writes ->
corpus stages (dedup, events, stories) in publication order.

Workers only compute (`storyline.work`); the parent process is the single writer of articles.
Per-article results do not depend on the worker count, and the corpus stages run in the parent
in sorted order, so the output is the same with 1 or N workers.

The corpus stages need every article first and run on one core. What they do not read (the
LATE stages' dates and figures, and the search index) is therefore filled afterwards by the
workers, from the stored text, while the parent groups: the second core does not sit idle
then. The `late_facts` mark in the store says which articles still wait, so a crash loses
none.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, TypeVar

from storyline import ingest, stages, work
from storyline.corpus import assign
from storyline.corpus.boilerplate import OutletLines
from storyline.ingest import Skip
from storyline.interrupt import (
    Interrupted,
    StopFlag,
    ignore_in_worker,
    prepare_pool,
    terminate_pool,
)
from storyline.model import Article
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.db import ArticleRows, late_facts_mark, set_late_facts_mark
from storyline.work import LATE, Known, analyse, late_facts, process, warm_up

__all__ = ["LATE", "IngestReport", "Known", "analyse", "process", "run_ingest", "run_items",
           "warm_up"]

Progress = Callable[[str, int], None]
OnWrite = Callable[[sqlite3.Connection, list[ingest.Item]], None]


@dataclass
class IngestReport:
    seen: int = 0
    ingested: int = 0
    unchanged: int = 0
    new_versions: int = 0
    duplicates: int = 0
    skipped: list[Skip] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(
        ("read", "process", "write", "group", "facts"), 0.0))

    def as_dict(self) -> dict[str, Any]:
        return {"seen": self.seen, "ingested": self.ingested, "unchanged": self.unchanged,
                "new_versions": self.new_versions, "duplicates": self.duplicates,
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
                "skipped": [{"source": s.source, "record": s.record, "reason": s.reason}
                            for s in self.skipped]}


_Item = TypeVar("_Item", Article, ArticleRows)
LATE_CHUNK = 100  # articles per late-facts task (and transaction)


# The warm-up's pages, read by its forked child from the memory it inherits: a task is then
# an index range of a few bytes. A task of pickled pages (a chunk can pass 64 KB, the pipe's
# buffer) could leave Pool.terminate waiting for ever on the task thread's blocked write,
# once the child that would read it was gone (CPython's _help_stuff_finish stops draining
# whenever the pipe is momentarily empty); CI hung there twice.
_WARM_PAGES: list[Article] = []


def _extract(lo: int, hi: int) -> list[Article]:
    return [stages.module("extract").run(a) for a in _WARM_PAGES[lo:hi]]


def _warm_up_extracting(batches: Iterator[list[ingest.Item]], settings: Settings,
                        report: IngestReport) -> list[list[ingest.Item]]:
    """`warm_up`, while one more process extracts the text of the first HTML pages read.

    Loading the models takes seconds on one core, before the workers can start; extraction
    (trafilatura) needs none of them, so the other core does it meanwhile and the workers
    later skip it (`extract.run` passes pages whose text is there). Pages not done when
    the models are ready are left to the workers: extraction is pure, either way gives the
    same article. Returns the batches read, in order."""
    started = time.perf_counter()
    head: list[list[ingest.Item]] = []
    wanted, chunk = int(settings.get("ingest.warm_up_pages")), 25
    while sum(map(len, head)) < wanted and (batch := next(batches, None)) is not None:
        head.append(batch)
    report.seconds["read"] += time.perf_counter() - started
    pages = [(b, i) for b, batch in enumerate(head) for i, item in enumerate(batch)
             if isinstance(item, Article) and item.html and not item.raw_text]
    if not pages:
        warm_up(settings)
        return head
    # the child takes the default SIGTERM (ignore_in_worker): a fork of a process with
    # threads can leave it blocked on a lock inherited mid-use, where the parent's Python
    # handler never runs, and Pool.terminate at the end of this block then waited for ever
    _WARM_PAGES[:] = [head[b][i] for b, i in pages]  # type: ignore[misc]  # Articles, above
    try:
        with mp.get_context("fork").Pool(1, ignore_in_worker) as extractor:
            bounds = [(k, min(k + chunk, len(pages))) for k in range(0, len(pages), chunk)]
            jobs = [extractor.apply_async(_extract, bound) for bound in bounds]
            warm_up(settings)
            for (lo, hi), job in zip(bounds, jobs, strict=True):
                if not job.ready():
                    break  # the rest is not started or half done: the workers extract it
                if job.successful():  # else the workers meet the failure and record it
                    for (b, i), article in zip(pages[lo:hi], job.get(), strict=True):
                        head[b][i] = article
    finally:
        _WARM_PAGES.clear()
    return head


def _unknown(store: Store, items: list[_Item], report: IngestReport,
             checkable: Callable[[_Item], bool]) -> list[_Item]:
    """Items not yet in the store (nor earlier in this batch); known ones are counted."""
    ids = [item.id if checkable(item) else "" for item in items]  # Article.id hashes the text
    known = store.known_ids([i for i in ids if i])
    out, seen = [], set()
    for item, aid in zip(items, ids, strict=True):
        if aid and (aid in known or aid in seen):
            report.unchanged += 1
            continue
        if aid:
            seen.add(aid)
        out.append(item)
    return out


def _batches(items: Iterable[ingest.Item], size: int) -> Iterator[list[ingest.Item]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def run_ingest(store: Store, paths: list[str], settings: Settings, *, fmt: str = "auto",
               outlet: str | None = None, workers: int = 1,
               progress: Progress | None = None) -> IngestReport:
    """Read, analyse and store `paths`, then group what is new."""
    db = store.path.resolve()
    own = frozenset(db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm", "-journal"))
    items = ingest.read(paths, settings, fmt=fmt, outlet=outlet, exclude=own)
    return run_items(store, items, settings, workers=workers, progress=progress)


def run_items(store: Store, items: Iterable[ingest.Item], settings: Settings, *,
              workers: int = 1, progress: Progress | None = None,
              on_write: OnWrite | None = None, group: bool = True) -> IngestReport:
    """Analyse and store `items` (articles and skips from any reader, e.g. `follow`'s
    fetched pages), then group what is new. `on_write(conn, batch)` adds writes to each
    batch's transaction, so a caller's own record of the batch commits with its articles.
    `group=False` stores and indexes the articles but leaves them pending for a later
    grouping (any later ingest groups them), for callers that ingest small batches often.

    Batches are double-buffered: workers analyse batch k+1 while the parent writes batch k,
    so the single writer and the worker processes overlap."""
    report = IngestReport()
    with StopFlag() as stop:  # Ctrl-C, SIGTERM: see storyline.interrupt
        try:
            _run(store, items, settings, workers, progress, on_write, report, stop, group)
        except Interrupted as exc:
            exc.report = report
            raise
    return report


def _run(store: Store, items: Iterable[ingest.Item], settings: Settings, workers: int,
         progress: Progress | None, on_write: OnWrite | None, report: IngestReport,
         stop: StopFlag, group: bool = True) -> None:
    size = int(settings.get("ingest.batch_size"))
    db = store.path.resolve()
    batches = _batches(items, size)
    pool = None
    if workers > 1:
        # load models and dictionaries once; forked workers share the pages
        batches = chain(_warm_up_extracting(batches, settings, report), batches)
        prepare_pool()
        pool = mp.get_context("fork").Pool(workers, work.init_worker, (settings, db))
    pending: _Pending | None = None
    lines = OutletLines(store.conn, settings)
    mark = late_facts_mark(store.conn)
    stop.immediate = False  # from here a signal ends the batch loop at a batch boundary
    try:
        while True:
            started = time.perf_counter()
            batch = None if stop.requested else next(batches, None)
            report.seconds["read"] += time.perf_counter() - started
            submitted = _submit(store, batch, settings, pool, report, lines, stop) \
                if batch else None
            if pending is not None:
                _write(store, pending, report, lines, stop, on_write)
                if progress:
                    progress("read", pending.size)
            if submitted is None:
                break
            pending = submitted
        stop.check()
        stop.immediate = True  # grouping and late facts: each redone whole by a rerun
        _group_and_late_facts(store, settings, pool, mark, report, progress, group)
    finally:
        if pool is not None and stop.requested:
            terminate_pool(pool)
        elif pool is not None:
            pool.close()
            pool.join()


def _group_and_late_facts(store: Store, settings: Settings, pool: Any, mark: int,
                          report: IngestReport, progress: Progress | None,
                          group: bool = True) -> None:
    """Group in the parent while the workers fill the late facts; then move the mark."""
    last = int(store.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM articles").fetchone()[0])
    chunks = [(lo, min(lo + LATE_CHUNK, last)) for lo in range(mark, last, LATE_CHUNK)]
    db = store.path.resolve()
    niceness = min(19, os.getpriority(os.PRIO_PROCESS, 0) + 5)
    late = pool.starmap_async(work.late_in_worker, [(db, lo, hi, niceness) for lo, hi in chunks]) \
        if pool is not None and chunks else None
    started = time.perf_counter()
    timeout = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    store.conn.execute(f"PRAGMA busy_timeout={work.LATE_BUSY_MS}")  # the workers commit meanwhile
    try:
        if group:
            report.duplicates = assign.assign_pending(store, settings, progress=progress)
    finally:
        store.conn.execute(f"PRAGMA busy_timeout={int(timeout)}")
    report.seconds["group"] += time.perf_counter() - started
    started = time.perf_counter()
    if late is not None:
        late.get()
    else:
        for lo, hi in chunks:
            late_facts(db, lo, hi, settings)
    if chunks:
        set_late_facts_mark(store.conn, last)
    report.seconds["facts"] += time.perf_counter() - started


@dataclass
class _Pending:
    """A batch handed to the workers: its skips and the (async) analysis results."""

    size: int
    skips: list[Skip]
    batch: list[ingest.Item]
    result: Any  # multiprocessing AsyncResult, or the finished list when single-process


def _submit(store: Store, batch: list[ingest.Item], settings: Settings, pool: Any,
            report: IngestReport, lines: OutletLines, stop: StopFlag) -> _Pending:
    skips = [item for item in batch if isinstance(item, Skip)]
    articles = [item for item in batch if isinstance(item, Article)]
    report.seen += len(articles)
    # Plain text is checked before the work; markup only once its text has been extracted.
    fresh = _unknown(store, articles, report, lambda a: bool(a.raw_text))
    for article in fresh:
        if not article.html:  # as always for HTML, also for pages extracted early: the
            lines.annotate(article)  # extractor already dropped what a site repeats
    if pool is not None:
        return _Pending(len(batch), skips, batch,
                        pool.map_async(work.analyse_in_worker, fresh, chunksize=4))
    started = time.perf_counter()
    done: list[ArticleRows | Skip | Known] = []
    for article in fresh:
        if stop.past_grace():  # abandoned: a rerun reads these articles again
            return _Pending(len(batch), skips, batch, None)
        done.append(analyse(article, settings, lambda i: bool(store.known_ids([i]))))
    report.seconds["process"] += time.perf_counter() - started
    return _Pending(len(batch), skips, batch, done)


def _write(store: Store, pending: _Pending, report: IngestReport, lines: OutletLines,
           stop: StopFlag, on_write: OnWrite | None = None) -> None:
    started = time.perf_counter()
    result = pending.result
    while result is not None and not isinstance(result, list) and not result.ready():
        if stop.past_grace():  # after a signal the workers get GRACE seconds
            result = None
        else:
            result.wait(0.1)
    if result is None:
        return  # abandoned after a signal: nothing of this batch is written, a rerun reads it
    done: list[ArticleRows | Skip | Known] = result if isinstance(result, list) \
        else result.get()
    report.seconds["process"] += time.perf_counter() - started  # time spent waiting on workers
    skips = list(pending.skips) + [d for d in done if isinstance(d, Skip)]
    report.unchanged += sum(1 for d in done if isinstance(d, Known))
    rows = _unknown(store, [d for d in done if isinstance(d, ArticleRows)], report,
                    lambda r: True)
    report.skipped += skips
    started = time.perf_counter()
    def also(conn: sqlite3.Connection) -> None:
        lines.flush(conn)
        if on_write is not None:
            on_write(conn, pending.batch)

    inserted, versions = store.write_batch(rows, [(s.source, s.record, s.reason) for s in skips],
                                           also=also)
    report.seconds["write"] += time.perf_counter() - started
    report.ingested += inserted
    report.new_versions += versions
