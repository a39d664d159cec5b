"""The per-article feature record that dedup and clustering work from.

`featurize` runs once per article; the pipeline stores its JSON-serialisable result so that
re-clustering (a replay after a late article) never re-reads or re-lemmatises text.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Any

import simplemma

from storyline import stopwords
from storyline.corpus.dedup import narrative
from storyline.corpus.dedup.shingles import fold, pack_hashes, shingle_hashes
from storyline.corpus.dedup.shingles import unpack_hashes as unpack_hashes  # re-exported
from storyline.corpus.mentioned import estimate
from storyline.corpus.when import news_weekday
from storyline.model import Article
from storyline.settings import Settings, default

VERSION = 7  # 3: entity surface names for labels; 4: outlet and lead shingles for dedup;
# 5: narrative shingles and sentences for dedup, no MinHash signature; 6: news weekday;
# 7: the news-day range from the calendar dates the text mentions (corpus/mentioned.py)
MAX_TERMS = 300  # per article; the long tail adds nothing to similarity but bulk to storage
LEAD_WORDS = 40  # title + first words weigh more: they name the event
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")
CRAWL_SOURCES = ("crawl", "header")  # pubdate sources that only give the crawl month
MAX_SHINGLES = 3000  # hashes kept for exact containment (a ~20 KB text); longer ones are cut
_CACHE = 1 << 16  # distinct tokens remembered: lemmatising is the bulk of featurize
LEAD_PARAGRAPH_WORDS = 12  # the lead is the first paragraph this long (a title line is shorter)


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's list for `lang`, folded like the terms it filters."""
    return frozenset(fold(w) for w in stopwords.stop_words(lang))


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


@lru_cache(maxsize=1)
def _lemma_langs() -> frozenset[str]:
    return frozenset(default().section("language").get("lemmatize", ["de", "en"]))


def lemmatized(lang: str) -> bool:
    """Whether `lang`'s words are lemmatised ([language] lemmatize): each language's
    dictionary costs memory in every worker (Polish 392 MB), so the set is bounded."""
    return lang in _lemma_langs()


@lru_cache(maxsize=_CACHE)
def fold_word(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=_CACHE)
def term_key(token: str, lang: str) -> str | None:
    """A token's term: number key, else folded lemma; None for stop words and one-letter words.

    Cached: news text repeats its vocabulary, so most tokens are lemmatised only once.
    """
    num = number_key(token, lang)
    if num is not None:
        return num
    stops = stop_words(lang)
    try:
        lemma = simplemma.lemmatize(token, lang=lang) if lemmatized(lang) else token
    except (ValueError, KeyError):  # a language simplemma does not know
        lemma = token
    word = fold(lemma)
    if len(word) < 2 or word in stops or fold_word(token) in stops:
        return None
    return word


def lemmas(text: str, lang: str) -> list[str]:
    """Content lemmas in text order: folded, stop words and one-letter tokens dropped."""
    keys = (term_key(token, lang) for token in _WORD.findall(text))
    return [k for k in keys if k is not None]


def lead_paragraph(text: str) -> str:
    """The first paragraph of at least LEAD_PARAGRAPH_WORDS words: what a copy keeps and an
    outlet's follow-up piece rewrites (dedup compares leads of same-outlet pairs)."""
    for line in text.splitlines():
        if len(line.split()) >= LEAD_PARAGRAPH_WORDS:
            return line
    return text


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
    # a title found in the text's head (plain text) is counted there already
    if title and title.strip() not in text[:2000]:
        extra = lemmas(title, lang)  # a title given apart from the text
        counts.update(extra)
        lead = extra + lead
    terms = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS])
    spellings: dict[str, Counter[str]] = {}
    for m in article.entities:
        name = (m.canonical or m.text).strip()
        if name:
            spellings.setdefault(fold_word(name), Counter())[name] += 1
    ents = {key: sum(c.values()) for key, c in spellings.items()}
    size = int(cfg.get("shingle_words", 5))
    found = narrative.analyse(text, size)
    hashes = found.shingles
    when, kind = date_fields(article)
    bounds = day_range(when)
    return {
        "v": VERSION,
        "lang": lang,
        "date": when,
        "date_kind": kind,
        "weekday": news_weekday(text),
        "mentioned": estimate(text, lang, bounds[1] if bounds else None),
        "length": len(text),
        "terms": terms,
        "lead": sorted(set(lead)),
        "entities": dict(sorted(ents.items())),
        # per key, the spelling used most (ties: the first in sort order), for labels
        "names": {k: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                  for k, c in sorted(spellings.items())},
        "shingles": len(hashes),
        "shingle_hashes": pack_hashes(hashes[:MAX_SHINGLES]),
        "outlet": article.outlet or "",
        "lead_shingles": pack_hashes(shingle_hashes(lead_paragraph(text), size)),
        "narrative": pack_hashes(found.narrative[:MAX_SHINGLES]),
        "sentences": pack_hashes(found.words),
        "sentence_lengths": found.lengths,
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
