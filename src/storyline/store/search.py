"""Full-text search: FTS5 over title, text and lemmas, so 'Krankenhaus' finds 'Krankenhäuser'.

unicode61 with remove_diacritics folds umlauts for the surface forms; the `lemmas` column holds
simplemma lemmas, and a query term matches either its prefix or its lemma.
"""

from __future__ import annotations

import re
from functools import lru_cache

import simplemma

_TOKEN = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
_LEMMA_LANGS = {"de", "en", "fr", "es", "it", "nl", "pl", "ru", "tr"}


@lru_cache(maxsize=200_000)
def _lemma(token: str, lang: str) -> str:
    return str(simplemma.lemmatize(token, lang=lang)).lower()


def lemma_text(title: str | None, text: str, lang: str) -> str:
    langs = (lang,) if lang in _LEMMA_LANGS else ("de", "en")
    tokens = _TOKEN.findall(f"{title or ''} {text}")
    return " ".join(_lemma(t, langs[0]) for t in tokens)


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression: every term must match (as prefix or as German/English
    lemma); user syntax is not passed through, so quotes or operators cannot break it."""
    parts = []
    for term in _TOKEN.findall(query)[:12]:
        term = term.replace('"', "")
        options = {f'"{term}"*'}
        for lang in ("de", "en"):
            options.add(f'lemmas:"{_lemma(term, lang)}"')
        parts.append("(" + " OR ".join(sorted(options)) + ")")
    return " AND ".join(parts)
