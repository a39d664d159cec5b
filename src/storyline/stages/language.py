"""Language identification with py3langid, restricted to the configured language set."""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from storyline.model import Article
from storyline.settings import Settings, default

SETS = ("lang", "lang_score")


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> LanguageIdentifier:
    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def _has_letters(text: str, n: int) -> bool:
    """At least `n` letters; stops at the n-th instead of counting the whole sample."""
    for ch in text:
        if ch.isalpha():
            n -= 1
            if n == 0:
                return True
    return False


def detect(text: str, languages: tuple[str, ...]) -> tuple[str, float]:
    """('und', 0.0) for text too short to judge; otherwise the best allowed language."""
    sample = text[:1200]  # enough for a confident guess; cost grows with length
    if not _has_letters(sample, 20):
        return "und", 0.0
    lang, prob = _identifier(languages).classify(sample)
    return str(lang), float(prob)


def run(article: Article, settings: Settings | None = None) -> Article:
    settings = settings or default()
    languages = tuple(settings.get("language.allowed"))
    article.lang, article.lang_score = detect(article.text or article.raw_text, languages)
    return article
