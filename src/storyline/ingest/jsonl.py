"""JSON Lines: one article per line; field names configurable in settings [ingest]."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from storyline.errors import failure
from storyline.ingest.base import Item, Skip, Source, file_name, iter_lines, outlet_from_url
from storyline.ingest.html import from_html
from storyline.ingest.limits import Limits, json_depth_over
from storyline.model import Article
from storyline.settings import Settings


def _first(record: dict[str, Any], names: list[str], numbers: bool = True) -> str | None:
    """The first field of `names` holding a non-blank string (or, with `numbers`, an int
    such as a numeric id; never a bool: `"text": true` is no article "True")."""
    kinds = (str, int) if numbers else (str,)
    for name in names:
        value = record.get(name)
        if isinstance(value, kinds) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None


def read(src: Source, settings: Settings) -> Iterator[Item]:
    cfg = settings.section("ingest")
    limits = Limits.of(settings)
    with src.stream() as fh:
        for number, line in iter_lines(fh, limits.article):
            if line is None:
                yield Skip(src.name, number, f"line longer than {cfg['max_article_mb']} MB")
                continue
            if not line.strip():
                continue
            yield parse_line(src, number, line, cfg, limits.json_depth)


def parse_line(src: Source, number: int, line: bytes, cfg: dict[str, Any],
               max_depth: int = 100) -> Item:
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Skip(src.name, number, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return Skip(src.name, number, f"malformed JSON: {exc.msg} (column {exc.colno})")
    except RecursionError:  # the C parser gives up near 1,000 levels
        return Skip(src.name, number, f"JSON nested deeper than {max_depth} levels "
                                      "(ingest.max_json_depth)")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return Skip(src.name, number, f"malformed JSON: {failure(exc)}")
    if json_depth_over(record, max_depth):
        return Skip(src.name, number, f"JSON nested deeper than {max_depth} levels "
                                      "(ingest.max_json_depth)")
    if not isinstance(record, dict):
        return Skip(src.name, number, "line is JSON but not an object")
    rec_id = _first(record, cfg["jsonl_id_fields"])
    name = rec_id or f"{file_name(src)}:{number}"
    url = _first(record, cfg["jsonl_url_fields"])
    text = _first(record, cfg["jsonl_text_fields"], numbers=False)
    markup = None if text else _first(record, cfg["jsonl_html_fields"], numbers=False)
    if markup:
        article = from_html(markup, source=src.name, source_name=name, url=url, record=number)
    elif text:
        article = Article(source=src.name, source_name=name, record=number, raw_text=text,
                          url=url, outlet=outlet_from_url(url))
    else:
        return Skip(src.name, number, "no text or html field")
    article.title = _first(record, cfg["jsonl_title_fields"]) or article.title
    article.outlet = _first(record, cfg["jsonl_outlet_fields"]) or article.outlet
    given = _first(record, cfg["jsonl_date_fields"])
    if given:
        article.given_date, article.given_date_source = given, "given"
    return article
