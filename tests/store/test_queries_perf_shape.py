"""The read queries keep the shape that makes them fast at 100k articles: every statement
they run is planned on an index (EXPLAIN QUERY PLAN), never a scan of the article table and
never a sort of a whole table for a page. No timings: plans are what a change would break.

The database is seeded with a tiny hand-written corpus (plans do not depend on row counts
here: there are no ANALYZE statistics, as in a freshly ingested database)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.corpus.assign import refresh_groups
from storyline.store import Store, queries

TEXT = "Die Regierung in Berlin beriet am Montag über das neue Krankenhaus. Lawrow sagte nichts."


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "shape.db")
    conn = s.conn
    for i in range(6):
        aid, story = f"a{i:015d}", f"st-{i % 2}"
        conn.execute(
            "INSERT INTO articles (id, source, source_name, source_key, outlet, title, lang, "
            "published, text, raw_text, sort_key, duplicate_of, event_id, story_id, features, "
            "ingested_at) "
            "VALUES (?, 'test', ?, ?, ?, ?, 'de', ?, ?, ?, ?, ?, ?, ?, '{}', 'now')",
            (aid, aid, aid, f"outlet-{i % 3}", f"Titel {i}", f"2016-09-0{i + 1}", TEXT, TEXT,
             f"2016-09-0{i + 1}|{aid}", "a000000000000000" if i == 2 else None,
             f"ev-{i % 3}", story))
        conn.execute("INSERT INTO articles_fts (rowid, title, text, lemmas) VALUES "
                     "(last_insert_rowid(), ?, ?, 'regierung krankenhaus')", (f"Titel {i}", TEXT))
        conn.execute("INSERT INTO mentions VALUES (?, 46, 52, 'Berlin', 'LOC', 'Berlin', "
                     "'LOC:berlin', NULL)", (aid,))
        conn.execute("INSERT INTO quotes VALUES (?, 70, 88, 'sagte nichts', 'indirect', "
                     "'Lawrow', 'Lawrow', 'PER:lavrov', 70, 76, 'sagte')", (aid,))
    refresh_groups(conn, None, None)
    yield s
    s.close()


def plans(store: Store, run: Callable[[], Any]) -> list[tuple[str, str]]:
    """Run `run`, then EXPLAIN QUERY PLAN every SELECT it executed (with its bound values)."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        run()
    finally:
        store.conn.set_trace_callback(None)
    out = []
    for sql in seen:
        if re.match(r"\s*(WITH|SELECT)\b", sql, re.I):
            detail = " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
            out.append((sql, detail))
    return out


def assert_indexed(found: list[tuple[str, str]]) -> None:
    assert found
    for sql, plan in found:
        assert not re.search(r"SCAN (a|articles)\b(?! USING)", plan), (sql, plan)
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan or "LIMIT" not in sql, (sql, plan)


@pytest.mark.parametrize("filters", [{}, {"sort": "recent"}, {"lang": "de"},
                                     {"outlet": "outlet-1"}, {"entity": "LOC:berlin"},
                                     {"date_from": "2016-09", "date_to": "2016-12"}])
def test_story_list_walks_an_ordered_index(store: Store, filters: dict[str, Any]) -> None:
    found = plans(store, lambda: queries.stories(store, limit=2, **filters))
    assert_indexed(found)
    assert any("stories_size" in p or "stories_recent" in p for _, p in found)


def test_story_page_reads_covering_indexes_and_aggregates(store: Store) -> None:
    found = plans(store, lambda: queries.story(store, "st-0", events_limit=1, per_event=1,
                                               facts_limit=1))
    assert_indexed(found)
    text = " ".join(p for _, p in found)
    assert "articles_story_cover" in text and "story_entities" in text
    assert not re.search(r"(FROM|JOIN) mentions\b", " ".join(sql for sql, _ in found))


def test_search_joins_through_the_covering_index(store: Store) -> None:
    found = plans(store, lambda: queries.search(store, "Regierung", story="st-1"))
    assert any("COVERING INDEX articles_meta" in p for _, p in found)
    assert_indexed(found)


def test_search_caps_ranking_counts_and_facets(store: Store) -> None:
    full = queries.search(store, "Regierung")
    assert full["total"] == 6 and full["total_exact"]
    capped = queries.search(store, "Regierung", cap=4)
    assert capped["total"] == 4 and not capped["total_exact"]
    assert sum(capped["facets"]["outlet"].values()) == 4
    assert all("\x02" in h["snippet"] for h in capped["hits"])
    in_story = queries.search(store, "Krankenhaus", story="st-1")
    assert in_story["total"] == 3 and {h["story_id"] for h in in_story["hits"]} == {"st-1"}


def test_article_copies_use_the_duplicate_index(store: Store) -> None:
    found = plans(store, lambda: queries.article(store, "a000000000000000"))
    assert any("articles_dup" in p for _, p in found)
    assert_indexed(found)


def test_event_entities_need_no_per_entity_subquery(store: Store) -> None:
    ids = [f"a{i:015d}" for i in range(6)]
    found = plans(store, lambda: queries.top_entities(store, ids))
    assert not any("CORRELATED" in p for _, p in found)
    assert queries.top_entities(store, ids) == [
        {"key": "LOC:berlin", "type": "LOC", "mentions": 6, "articles": 6, "name": "Berlin"}]


def test_story_facts_come_in_publication_order(store: Store) -> None:
    quotes = queries.story_facts(store, "st-0", "quotes")
    order = [r["sort_key"] for r in store.query(
        "SELECT sort_key FROM articles WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([q["article_id"] for q in quotes])])]
    assert len(quotes) == 3 and order == sorted(order)
    assert len(queries.story_facts(store, "st-0", "quotes", limit=2)) == 2


def test_listed_prefix_completions_match_what_fts5_prefix_queries_match(store: Store) -> None:
    """Search lists a word's indexed completions instead of asking FTS5 for a prefix (which
    merges every completion's postings over the whole table first); both must find the
    same articles, umlauts folded as the tokenizer folds them."""
    from storyline.store.search import expression, fts_query, lemma_text, record_lemmas

    texts = ["Der Regierungssprecher schwieg.", "Krankenhäuser in Aleppo getroffen.",
             "Regierungen und Krankenhausbetten.", "Über die Überflutung."]
    for i, text in enumerate(texts):
        store.conn.execute("INSERT INTO articles_fts (rowid, title, text, lemmas) "
                           "VALUES (?, '', ?, '')", (1000 + i, text))
    # the word -> lemma pairs the writer keeps beside the search rows (write_late)
    record_lemmas(store.conn, [(None, t, "de", lemma_text(None, t, "de"))
                               for t in [*texts, TEXT]])
    for q in ("Regierung", "Krankenhäuser", "krankenhaus", "über", "Aleppo Regierung", "xyz"):
        expr = expression(store.conn, str(store.path), q)
        assert expr is not None

        def rows(match: str) -> set[int]:
            return {r[0] for r in store.conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [match])}

        assert rows(expr.match) == rows(fts_query(q)), q
    hits = queries.search(store, "Regierung")
    assert hits["total"] == 6  # the fixture's articles; the bare FTS rows have no article
    assert expression(store.conn, str(store.path), "  ") is None
