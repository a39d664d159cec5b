"""Main text and metadata of an HTML page: trafilatura for the text, htmldate for the date.

Runs first, and only for articles that arrived as markup (`Article.html` set, no raw text).
A page without article text is marked with `skip_reason`; the pipeline records it as skipped.
"""

from __future__ import annotations

from typing import Any

import trafilatura
from htmldate import find_date

from storyline.ingest.base import outlet_from_url
from storyline.ingest.outlets import repair_url
from storyline.model import Article
from storyline.settings import Settings
from storyline.stages.titles import page_info, tidy

SETS = ("raw_text", "title", "url", "outlet", "given_date", "skip_reason")


def run(article: Article, settings: Settings | None = None) -> Article:
    if not article.html or article.raw_text:
        return article
    try:
        doc = trafilatura.bare_extraction(article.html, url=article.url, with_metadata=True,
                                          include_comments=False, favor_precision=True)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        article.skip_reason = f"HTML could not be parsed ({type(exc).__name__})"
        return article
    fields: dict[str, Any] = {}
    if doc is not None:
        fields = doc if isinstance(doc, dict) else doc.as_dict()
    text = fields.get("text") or ""
    if len(text.strip()) < 20:
        article.skip_reason = "HTML page has no article text"
        return article
    article.raw_text = text
    if not article.url and fields.get("url"):
        # the page's canonical link (its "//" inside archive paths repaired); its host, the
        # archived site's for an archive page, names the outlet
        article.url = repair_url(fields["url"])
        article.outlet = outlet_from_url(article.url) or article.outlet
    # the page's own headline (og:title, JSON-LD, h1 agreeing); trafilatura's when none
    title, site_name = page_info(article.html, article.url)
    article.title = tidy(article.title) or title or tidy(fields.get("title"))
    article.outlet = article.outlet or site_name
    meta = _html_date(article.html, article.url)
    if meta and not article.given_date:
        article.given_date, article.given_date_source = meta, "html-meta"
    return article


def _html_date(markup: str, url: str | None) -> str | None:
    """htmldate's original publication date from markup and URL (no fetching, no guessing)."""
    try:
        found = find_date(markup, url=url, original_date=True, extensive_search=False,
                          outputformat="%Y-%m-%d")
    except Exception:  # htmldate can fail on odd markup; a missing date is the honest answer
        return None
    return str(found) if found else None
