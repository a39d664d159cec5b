"""Full-text search: FTS5 over title, text and lemmas, so 'Krankenhaus' finds 'Krankenhäuser'.

unicode61 with remove_diacritics folds umlauts for the surface forms; the `lemmas` column holds
simplemma lemmas, and a query term matches either its prefix or its lemma.

Prefixes are expanded here, not by FTS5: for `"wahl"*` FTS5 merges the doclists of every
indexed word starting with "wahl" over the whole table before it can return the newest row,
and again for bm25 and for snippets (about 100 ms at 100k articles). The same words listed
from the vocabulary (fts5vocab) and OR-ed stream lazily in rowid order, so a capped candidate
set costs a few milliseconds.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from storyline.corpus.features import lemmatized

_TOKEN = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_LEMMA_LANGS = {"de", "en", "fr", "es", "it", "nl", "pl", "ru", "tr"}
MAX_WORDS = 12
MAX_COMPLETIONS = 300  # more indexed words under one prefix: FTS5's own prefix query instead
COMPLETIONS_TTL = 30.0  # s: a word first indexed meanwhile matches by its lemma until then
VOCAB = "temp.storyline_vocab"


@lru_cache(maxsize=200_000)
def _lemma(token: str, lang: str) -> str:
    return str(simplemma.lemmatize(token, lang=lang)).lower()


def lemma_lang(lang: str) -> str:
    """The language an article's words are lemmatised in."""
    return lang if lang in _LEMMA_LANGS and lemmatized(lang) else "de"


def lemma_text(title: str | None, text: str, lang: str) -> str:
    tokens = _TOKEN.findall(f"{title or ''} {text}")
    return " ".join(_lemma(t, lemma_lang(lang)) for t in tokens)


def record_lemmas(conn: sqlite3.Connection,
                  rows: list[tuple[str | None, str, str, str]]) -> None:
    """Keep the word -> lemma pairs of these (title, text, lang, lemma_text) articles that
    change the word, so a query is lemmatised from the table: simplemma decodes its
    dictionaries on a process's first lookup (3-4 s), which every `storyline search` paid."""
    pairs: set[tuple[str, str, str]] = set()
    for title, text, lang, lemmas in rows:
        tokens, found = _TOKEN.findall(f"{title or ''} {text}"), lemmas.split(" ")
        if len(tokens) == len(found):  # else a lemma held a space: skip the article's pairs
            code = lemma_lang(lang)
            pairs.update((t.lower(), code, m) for t, m in zip(tokens, found, strict=True)
                         if m != t.lower())
    conn.executemany("INSERT OR IGNORE INTO word_lemmas VALUES (?, ?, ?)", sorted(pairs))


def _words(query: str) -> list[str]:
    return [t.replace('"', "") for t in _TOKEN.findall(query)[:MAX_WORDS]]


def _lemmas(term: str) -> set[str]:
    return {f'lemmas:"{_lemma(term, lang)}"' for lang in ("de", "en")}


def query_lemmas(conn: sqlite3.Connection, term: str) -> set[str]:
    """`_lemmas` without simplemma for a word the corpus has: its lemmas from `word_lemmas`,
    else (a word no article changes) itself. Only a word the corpus lacks, or a store whose
    older articles were indexed before the table (`word_lemmas_since` above 0), loads
    simplemma."""
    lower = term.lower()
    try:
        known = {r[0] for r in conn.execute("SELECT lemma FROM word_lemmas WHERE form = ?",
                                            [lower])}
        complete = conn.execute("SELECT after FROM word_lemmas_since").fetchone()
    except sqlite3.OperationalError:  # a read-only store from before the table
        return _lemmas(term)
    if known:
        return {f'lemmas:"{m}"' for m in known | {lower}}
    if complete is not None and complete[0] == 0 and _indexed(conn, fold(term)):
        return {f'lemmas:"{lower}"'}
    return _lemmas(term)


def _indexed(conn: sqlite3.Connection, word: str) -> bool:
    conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} "
                 "USING fts5vocab(main, articles_fts, 'row')")
    return conn.execute(f"SELECT 1 FROM {VOCAB} WHERE term = ?", [word]).fetchone() is not None


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression: every term must match (as prefix or as German/English
    lemma); user syntax is not passed through, so quotes or operators cannot break it."""
    return " AND ".join("(" + " OR ".join(sorted({f'"{t}"*'} | _lemmas(t))) + ")"
                        for t in _words(query))


def fold(term: str) -> str:
    """The indexed form of a one-word term (unicode61: lower case, diacritics removed)."""
    decomposed = unicodedata.normalize("NFD", term.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Expression:
    """`match` selects the hits (prefix completions or lemma of every word); `core` ranks them
    (the words themselves or their lemmas, any of them): bm25 over a few phrases is cheap,
    over hundreds of completions it is not."""

    match: str
    core: str


class Completions:
    """Indexed words under a prefix, per database, kept for COMPLETIONS_TTL seconds (listing
    them counts their postings: a few ms for a common prefix)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: dict[tuple[str, str], tuple[float, tuple[str, ...] | None]] = {}
        self._lock = threading.Lock()

    def get(self, conn: sqlite3.Connection, db: str, prefix: str) -> tuple[str, ...] | None:
        """The words, or None when there are too many (or none: a prefix query is then
        just as cheap and exact)."""
        key, now = (db, prefix), time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is not None and now - hit[0] < COMPLETIONS_TTL:
            return hit[1]
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} "
                     "USING fts5vocab(main, articles_fts, 'row')")
        words = tuple(r[0] for r in conn.execute(
            f"SELECT term FROM {VOCAB} WHERE term >= ? AND term < ? LIMIT ?",
            [prefix, prefix + "\U0010ffff", MAX_COMPLETIONS + 1]))
        found = words if 0 < len(words) <= MAX_COMPLETIONS else None
        with self._lock:
            if len(self._items) >= self.size:
                self._items.clear()
            self._items[key] = (now, found)
        return found


COMPLETIONS = Completions()


def expression(conn: sqlite3.Connection, db: str, query: str) -> Expression | None:
    """The query as MATCH expressions (see Expression); None when it has no words. Words
    the tokenizer would split (hyphens) keep FTS5's prefix syntax."""
    match, core = [], []
    for term in _words(query):
        folded = fold(term)
        words = COMPLETIONS.get(conn, db, folded) if folded.isalnum() else None
        surface = {f'"{w}"' for w in words} if words else {f'"{term}"*'}
        lemmas = query_lemmas(conn, term)
        match.append("(" + " OR ".join(sorted(surface | lemmas)) + ")")
        core.append(" OR ".join(sorted({f'"{term}"'} | lemmas)))
    if not match:
        return None
    return Expression(" AND ".join(match), " OR ".join(core))


def clean_snippet(text: str | None) -> tuple[str, list[tuple[int, int]]]:
    """An FTS snippet (matches between \\x02 and \\x03) as plain text and the [start, end)
    of each match in it; other control characters dropped. JSON readers got the raw
    markers; the page marks the spans after escaping the text."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    size, start = 0, None
    for piece in re.split("([\x02\x03])", text or ""):
        if piece == "\x02":
            start = size
        elif piece == "\x03":
            if start is not None and size > start:
                marks.append((start, size))
            start = None
        else:
            piece = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", piece)
            plain.append(piece)
            size += len(piece)
    return "".join(plain), marks
