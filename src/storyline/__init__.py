"""storyline: turn a pile of crawled news into stories.

The public Python API is small: `analyze()` runs the per-article stages on one text without a
database; `open()` gives the store that the CLI, the REST API and the web UI all use.
"""

from __future__ import annotations

from pathlib import Path

from storyline.errors import StorylineError
from storyline.model import Article, Figure, Mention, Quote, TimeRef
from storyline.settings import Settings

__all__ = ["Article", "Figure", "Mention", "Quote", "Settings", "StorylineError", "TimeRef",
           "analyze", "open"]
__version__ = "0.1.0"


def analyze(text: str, *, lang: str | None = None, published: str | None = None,
            url: str | None = None, title: str | None = None, clean: bool = False,
            settings: Settings | None = None) -> Article:
    """Entities, quotes, dates and figures of one text; offsets refer to `Article.text`.

    `clean=True` also strips crawl boilerplate; `published` anchors relative dates
    ("am Mittwoch") when the text itself does not settle them.
    """
    from storyline import settings as settings_mod
    from storyline import stages

    settings = settings or settings_mod.default()
    article = Article(source=url or "<text>", raw_text=text, url=url, title=title,
                      given_date=published)
    names = stages.ORDER if clean else tuple(n for n in stages.ORDER if n != "clean")
    if not clean:
        article.text = text
    if lang:
        names = tuple(n for n in names if n != "language")
        article.lang = lang
    return stages.run_all(article, settings, names=names)


def open(db_path: str | Path, *, readonly: bool = False):  # noqa: A001 - mirrors sqlite3/io
    """The store at `db_path` (created if missing unless `readonly`)."""
    from storyline.store import Store

    return Store(db_path, readonly=readonly)
