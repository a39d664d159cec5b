"""Issue 17.1: a date outside years 1000-2200 is ignored as a date, the article is kept, and
the store keeps working for later ingests and searches."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline import analyze
from storyline.settings import Settings
from storyline.stages import timex
from storyline.store import Store
from tests.reliability.helpers import good_text, ingest, jsonl, search_total, stored_names

PLACEHOLDERS = ["0001-01-01", "9999-12-31", "0999-12-31", "2201-01-01"]


@pytest.mark.parametrize("workers", [1, 2])
def test_out_of_range_dates_keep_the_article_and_the_store(tmp_path: Path, store: Store,
                                                           settings: Settings,
                                                           workers: int) -> None:
    records = [{"id": f"bad-{d}", "date": d, "text": f"Gestern und am Mittwoch: {good_text(i)}"}
               for i, d in enumerate(PLACEHOLDERS)]
    report = ingest(store, [jsonl(tmp_path / "bad.jsonl", records)], settings, workers)
    assert report.ingested == len(PLACEHOLDERS) and not report.skipped
    rows = store.query("SELECT published FROM articles")
    assert {r["published"] for r in rows} == {None}
    # the next ingest and the search index still work
    later = ingest(store, [jsonl(tmp_path / "later.jsonl",
                                 [{"id": "later", "date": "2016-07-28",
                                   "text": "Zollstreit " + good_text(99)}])], settings, workers)
    assert later.ingested == 1
    assert search_total(store, "Zollstreit") == 1
    assert "later" in stored_names(store)


def test_a_year_9999_in_the_text_never_overflows() -> None:
    text = ("Die Frist läuft bis zum 31.12.9999. Am Tag darauf und zwei Tage später, am "
            "Mittwoch, sagte der Minister gestern, es gehe weiter.")
    article = analyze(text, published="2016-07-28")
    assert all(0 <= d.start < d.end <= len(article.text) for d in article.dates)
    assert timex.tag(text, "9999-12-31") == timex.tag(text, None)


def test_crawl_header_with_an_impossible_month_is_ignored(tmp_path: Path, store: Store,
                                                          settings: Settings) -> None:
    (tmp_path / "a.txt").write_text(" date 9999-13\n" + good_text(1), "utf-8")
    (tmp_path / "b.txt").write_text(" date 2016-07\n" + good_text(2), "utf-8")
    report = ingest(store, [tmp_path], settings)
    assert report.ingested == 2
    rows = {r["source_name"]: r for r in store.query("SELECT * FROM articles")}
    assert rows["a.txt"]["crawl_month"] is None and rows["b.txt"]["crawl_month"] == "2016-07"
