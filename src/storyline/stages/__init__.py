"""Per-article stages, in pipeline order.

Each stage module exposes `run(article, settings) -> Article` (pure: no global mutable state,
so batches can be mapped over worker processes) and `SETS`, the Article fields it fills.
"""

from __future__ import annotations

import importlib
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


def run_all(article: Article, settings: Settings, *, names: tuple[str, ...] = ORDER) -> Article:
    for name in names:
        article = module(name).run(article, settings)
    return article
