"""Per-article stages, in pipeline order.

Each stage module exposes `run(article, settings) -> Article` (pure: no global mutable state,
so batches can be mapped over worker processes) and `SETS`, the Article fields it fills.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from types import ModuleType

from storyline.model import Article
from storyline.settings import Settings

Stage = Callable[[Article, Settings], Article]

ORDER: tuple[str, ...] = (
    "extract", "clean", "language", "pubdate", "entities", "quotes", "timex", "figures",
)


def module(name: str) -> ModuleType:
    return importlib.import_module(f"storyline.stages.{name}")


# Entities and quotes need a model of the language: the CRF and the speech rules know German
# and English only. On French text they found persons "Les", "Dans" and read « » backwards,
# so other languages get none ("und", text too short to identify, keeps the German default).
MODEL_LANGUAGES = frozenset({"de", "en", "und"})
NEEDS_MODEL = frozenset({"entities", "quotes"})


def has_model(lang: str | None) -> bool:
    return (lang or "und") in MODEL_LANGUAGES


def run_all(article: Article, settings: Settings, *, names: tuple[str, ...] = ORDER,
            spent: dict[str, float] | None = None) -> Article:
    """The stages `names` in order; `spent` (when given) adds up each stage's seconds."""
    for name in names:
        if name in NEEDS_MODEL and not has_model(article.lang):
            continue
        started = time.perf_counter()
        article = module(name).run(article, settings)
        if spent is not None:
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
    return article
