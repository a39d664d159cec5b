"""The per-article feature record that dedup and clustering work from.

`featurize` runs once per article; the pipeline stores its JSON-serialisable result so that
re-clustering (a replay after a late article) never re-reads or re-lemmatises text.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections import Counter
from datetime import date
from functools import lru_cache
from importlib import import_module
from typing import Any

import simplemma
from datasketch import MinHash

from storyline.model import Article
from storyline.settings import Settings

VERSION = 1
MAX_TERMS = 300  # per article; the long tail adds nothing to similarity but bulk to storage
LEAD_WORDS = 40  # title + first words weigh more: they name the event
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")
_SEED = 1  # MinHash seed: fixed, so signatures from any run are comparable
CRAWL_SOURCES = ("crawl", "header")  # pubdate sources that only give the crawl month
SCHEME = "affine32"  # datasketch >= 2.0 permutation scheme; stored signatures depend on it


def fold(text: str) -> str:
    """Casefold and drop diacritics: 'Erdoğan' and 'Erdogan' must be one key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy ships stop word lists for many languages without any model download."""
    try:
        words = import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
    except (ImportError, AttributeError, ValueError):
        return frozenset()
    return frozenset(fold(w) for w in words)


def number_key(token: str, lang: str) -> str | None:
    """'1.563' (de) and '1,563' (en) are both 1563; '66,1' (de) is 66.1: one key for both."""
    if not _NUMBER.match(token):
        return None
    thousands, decimal = (",", ".") if lang == "en" else (".", ",")
    digits = token.replace(thousands, "").replace(decimal, ".").strip(".")
    try:
        value = float(digits)
    except ValueError:
        return None
    return f"#{value:g}"


def _lemma(token: str, lang: str) -> str:
    try:
        return simplemma.lemmatize(token, lang=lang)
    except (ValueError, KeyError):  # language simplemma does not know
        return token


def lemmas(text: str, lang: str) -> list[str]:
    """Content lemmas in text order: folded, stop words and one-letter tokens dropped."""
    stops = stop_words(lang)
    out: list[str] = []
    for token in _WORD.findall(text):
        num = number_key(token, lang)
        if num is not None:
            out.append(num)
            continue
        word = fold(_lemma(token, lang))
        if len(word) < 2 or word in stops or fold(token) in stops:
            continue
        out.append(word)
    return out


def shingles(text: str, size: int) -> set[str]:
    """Word n-grams over folded words (not lemmas: copies share surface text)."""
    words = [fold(w) for w in re.findall(r"\w+", text)]
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def minhash(items: set[str], num_perm: int) -> list[int]:
    mh = MinHash(num_perm=num_perm, seed=_SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sorted(items)])
    return [int(v) for v in mh.hashvalues]


def _title(article: Article) -> str:
    if article.title:
        return article.title
    first, _, rest = article.text.strip().partition("\n")
    return first if rest and len(first.split()) <= 20 else ""


def date_fields(article: Article) -> tuple[str | None, str]:
    """The date to order and compare by, and how far to trust it.

    A crawl month is only an upper bound (pages get crawled years later), so it is kept apart
    from a real publication date.
    """
    if article.published and article.published_source not in CRAWL_SOURCES:
        return article.published, "published"
    month = article.published or article.crawl_month
    return (month, "crawl") if month else (None, "none")


def featurize(article: Article, settings: Settings) -> dict[str, Any]:
    """One JSON-serialisable record per article (see module docstring)."""
    cfg = settings.section("dedup")
    lang = article.lang if article.lang and article.lang != "und" else "und"
    text = article.text or ""
    title = _title(article)
    body = lemmas(text, lang)
    counts = Counter(body)
    lead = body[:LEAD_WORDS]
    if title and not text.strip().startswith(title.strip()):
        extra = lemmas(title, lang)  # a title given apart from the text
        counts.update(extra)
        lead = extra + lead
    terms = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
    ents = Counter(fold(m.canonical or m.text) for m in article.entities if (m.canonical or m.text))
    grams = shingles(text, int(cfg.get("shingle_words", 5)))
    when, kind = date_fields(article)
    return {
        "v": VERSION,
        "lang": lang,
        "date": when,
        "date_kind": kind,
        "length": len(text),
        "terms": terms,
        "lead": sorted(set(lead)),
        "entities": dict(sorted(ents.items())),
        "shingles": len(grams),
        "minhash": minhash(grams, int(cfg.get("num_perm", 128))) if grams else [],
    }


def day_range(value: str | None) -> tuple[int, int] | None:
    """'2016-09-28' -> that day twice; '2016-09' -> first and last day (as ordinals)."""
    if not value:
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) >= 3:
            day = date(parts[0], parts[1], parts[2]).toordinal()
            return day, day
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            first = date(parts[0], parts[1], 1)
            return first.toordinal(), first.replace(day=last).toordinal()
        return date(parts[0], 1, 1).toordinal(), date(parts[0], 12, 31).toordinal()
    except (ValueError, TypeError):
        return None
