"""RSS and Atom feeds: each entry's content (or summary) is one article."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import feedparser
import lxml.html

from storyline.ingest.base import Item, Skip, Source, outlet_from_url, read_limited
from storyline.model import Article
from storyline.settings import Settings


def read(src: Source, settings: Settings) -> Iterator[Item]:
    limit = int(settings.get("ingest.max_article_mb") * 1024 * 1024) * 4
    with src.stream() as fh:
        data, more = read_limited(fh, limit)
    if more:
        yield Skip(src.name, None, "feed file too large")
        return
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "feed has no entries"
        if parsed.get("bozo"):
            reason = f"not a readable feed ({parsed.get('bozo_exception')})"
        yield Skip(src.name, None, reason)
        return
    for number, entry in enumerate(parsed.entries, start=1):
        yield _entry(src, number, entry)


def _entry(src: Source, number: int, entry: Any) -> Item:
    markup = ""
    if entry.get("content"):
        markup = " ".join(c.get("value", "") for c in entry["content"])
    markup = markup or entry.get("summary", "") or ""
    text = html_to_text(markup)
    if len(text.strip()) < 20:
        return Skip(src.name, number, "feed entry has no text")
    url = entry.get("link")
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    article = Article(source=src.name, source_name=entry.get("id") or url or f"entry-{number}",
                      record=number, raw_text=text, url=url, title=entry.get("title"),
                      outlet=outlet_from_url(url))
    if stamp:
        article.given_date = time.strftime("%Y-%m-%d", stamp)
    return article


def html_to_text(markup: str) -> str:
    """Feed content is an HTML fragment: keep paragraph breaks, drop the tags."""
    if "<" not in markup:
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises ParserError or ValueError on junk fragments
        return ""
    for tag in root.iter("p", "br", "div", "li", "h1", "h2", "h3"):
        tag.tail = "\n\n" + (tag.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines()).strip()
