"""The per-article work of an ingest, in the worker processes (or in the parent with one):
the EARLY stages and the clustering features (`analyse`), and the LATE facts filled from the
stored text while the parent groups (`late_facts`). Pure functions of their input; the
worker's globals hold only the settings and its read connection, set by `init_worker`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline import stages
from storyline.corpus.features import featurize
from storyline.errors import failure
from storyline.ingest import Skip
from storyline.interrupt import Interrupted, signals_in_pool_worker
from storyline.model import Article
from storyline.settings import Settings
from storyline.store import Store
from storyline.store.db import ArticleRows, article_rows, write_late
from storyline.store.schema import now
from storyline.store.search import lemma_text

Processed = tuple[Article, dict[str, Any]]
LATE = ("timex", "figures")  # read by no corpus stage: filled while the parent groups
EARLY = tuple(name for name in stages.ORDER if name not in LATE)
# raised through the per-article guards: the machine's trouble, or a signal (storyline.interrupt)
_NOT_THE_ARTICLES = (OSError, MemoryError, Interrupted)
LATE_BUSY_MS = 600_000  # lock wait while the parent and the late-facts workers both write


def process(article: Article, settings: Settings,
            spent: dict[str, float] | None = None) -> Processed:
    """The EARLY per-article stages and the clustering features: pure, so it runs in any
    worker (ingest's or a Spark executor); only the writes stay in the parent. `spent` adds
    up the seconds per stage."""
    article = stages.run_all(article, settings, names=EARLY, spent=spent)
    if article.skip_reason:
        return article, {}
    started = time.perf_counter()
    feats = featurize(article, settings)
    if spent is not None:
        spent["features"] = spent.get("features", 0.0) + time.perf_counter() - started
    return article, feats


def guarded(article: Article, settings: Settings,
            spent: dict[str, float] | None = None) -> Processed | Skip:
    """`process`, or the skip (with the reason) of an article a stage cannot handle: one
    hostile article must not abort the run (issue 17). Every runner (ingest's workers, the
    Spark executors) goes through here, so a crash is the same skip everywhere."""
    try:
        article, feats = process(article, settings, spent)
    except Exception as exc:
        if os.environ.get("STORYLINE_DEBUG") or isinstance(exc, _NOT_THE_ARTICLES):
            raise  # the machine's trouble (disk full, permissions), not the article's
        return Skip(article.source, article.record, f"analysis failed: {failure(exc)}")
    if article.skip_reason:
        return Skip(article.source, article.record, article.skip_reason)
    return article, feats


def late(title: str | None, text: str, lang: str, published: str | None, settings: Settings,
         spent: dict[str, float] | None = None) -> tuple[Article, str | None]:
    """The LATE facts (dates, figures) of a stored article, from its title, clean text,
    language and date only: (the article holding them, None) or, when a stage crashed,
    (one without them, the reason to record; the article itself is kept)."""
    article = Article(source="", raw_text="", title=title, text=text, lang=lang,
                      published=published)
    try:
        return stages.run_all(article, settings, names=LATE, spent=spent), None
    except Exception as exc:  # else this chunk fails in every later run (issue 17)
        if os.environ.get("STORYLINE_DEBUG") or isinstance(exc, _NOT_THE_ARTICLES):
            raise
        return article, f"dates and figures not extracted (article kept): {failure(exc)}"


def warm_up(settings: Settings) -> None:
    """Run one German and one English text through every stage so lazy loads happen now."""
    for text in ("Am Mittwoch sagte Außenminister Sergej Lawrow in Moskau, man sei bereit.",
                 "On Wednesday, Foreign Minister John Kerry said in Geneva that talks go on."):
        article, _ = process(Article(source="warm-up", raw_text=text), settings)
        stages.run_all(article, settings, names=LATE)
        lemma_text(article.title, article.text, article.lang)


_WORKER_SETTINGS: Settings | None = None
_WORKER_DB: dict[str, Any] = {}  # the worker's path to the database and its read connection


def init_worker(settings: Settings, db: Path) -> None:
    global _WORKER_SETTINGS
    signals_in_pool_worker()
    _WORKER_SETTINGS = settings
    _WORKER_DB.clear()
    _WORKER_DB["path"] = db


@dataclass(frozen=True)
class Known:
    """A page whose extracted text is stored already: a re-crawl, or a resumed run."""

    id: str


def analyse(article: Article, settings: Settings,
            known: Callable[[str], bool] | None = None) -> ArticleRows | Skip | Known:
    """`process`, then the rows the writer stores (or why the article is skipped).

    Markup has no id before its text is extracted, so the parent cannot tell a page it
    stored already; `known` tells it here, before the costly stages, for what is committed
    (the writer still drops what came in the same run)."""
    if known is not None and article.html and not article.raw_text:
        article = stages.module("extract").run(article, settings)
        if article.raw_text and not article.skip_reason and known(article.id):
            return Known(article.id)
    done = guarded(article, settings)
    return done if isinstance(done, Skip) else article_rows(*done)


def _stored_in_worker(article_id: str) -> bool:
    if "store" not in _WORKER_DB:
        _WORKER_DB["store"] = Store(_WORKER_DB["path"], readonly=True)
    return bool(_WORKER_DB["store"].known_ids([article_id]))


def analyse_in_worker(article: Article) -> ArticleRows | Skip | Known:
    assert _WORKER_SETTINGS is not None
    return analyse(article, _WORKER_SETTINGS, _stored_in_worker)


def late_facts(db: Path, lo: int, hi: int, settings: Settings) -> None:
    """Dates, figures and search rows of the articles stored at rowids lo < r <= hi, in one
    transaction of its own."""
    store = Store(db)
    # the parent may hold the write lock for a while when it stores the groups
    store.conn.execute(f"PRAGMA busy_timeout={LATE_BUSY_MS}")
    try:
        rows = store.conn.execute("SELECT rowid, id, title, text, lang, published, source, "
                                  "record FROM articles WHERE rowid > ? AND rowid <= ?",
                                  (lo, hi)).fetchall()
        done, failed = [], []
        for rowid, aid, title, text, lang, published, source, record in rows:
            article, reason = late(title, text, lang, published, settings)
            if reason:
                failed.append((source, record, reason, now()))
            done.append((rowid, aid, article, lemma_text(title, text, lang)))
        with store.transaction() as conn:
            write_late(conn, lo, hi, done)
            conn.executemany("INSERT OR IGNORE INTO skipped (source, record, reason, at) "
                             "VALUES (?, ?, ?, ?)", failed)
    finally:
        store.close()


def late_in_worker(db: Path, lo: int, hi: int, niceness: int) -> None:
    # below the parent, whose grouping is the critical path while this runs
    os.setpriority(os.PRIO_PROCESS, 0, niceness)
    assert _WORKER_SETTINGS is not None
    late_facts(db, lo, hi, _WORKER_SETTINGS)
