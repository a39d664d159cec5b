"""The bundled demo corpus keeps the shape demo/README.md promises once it goes through ingest.

The demo is what a new user runs first, so its deliberate traps (bad files, a malformed JSONL
line, a cp1252 file, a scrape-time stamp) must stay traps that storyline handles, and every
good article must land with its language and outlet so `demo/labels.jsonl` can score it.
Clustering answers are not asserted here: that is what `storyline eval clustering` measures.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from storyline import settings
from storyline.eval.clustering import join_key
from storyline.pipeline import IngestReport, run_ingest
from storyline.store import Store
from storyline.store.export import records

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "demo"
STAMP_FILE = "sp-vardenien-beobachter.txt"
STAMP_DATE = "2027-02-03"  # its first line, "09:12 03 Februar 2027", is the scrape time


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, list[dict[str, Any]]]:
    store = Store(tmp_path_factory.mktemp("demo") / "d.db")
    try:
        report = run_ingest(store, [str(DEMO / "corpus")], settings.load(), workers=1)
        return report, list(records(store))
    finally:
        store.close()


@pytest.fixture(scope="module")
def labels() -> dict[str, dict[str, Any]]:
    with (DEMO / "labels.jsonl").open(encoding="utf-8") as fh:
        return {rec["id"]: rec for rec in map(json.loads, filter(str.strip, fh))}


@pytest.fixture(scope="module")
def by_key(ingested: tuple[IngestReport, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {join_key(rec["source_name"]): rec for rec in ingested[1]}


def test_labels_cover_exactly_the_ingested_articles(
        labels: dict[str, dict[str, Any]], by_key: dict[str, dict[str, Any]],
        ingested: tuple[IngestReport, list[dict[str, Any]]]) -> None:
    assert len(by_key) == len(ingested[1]), "two demo articles share a source name"
    assert set(by_key) == set(labels)


def test_every_article_lands_with_its_language_and_outlet(
        labels: dict[str, dict[str, Any]], by_key: dict[str, dict[str, Any]]) -> None:
    wrong = {k: (by_key[k]["lang"], by_key[k]["outlet"]) for k, gold in labels.items()
             if k in by_key and (by_key[k]["lang"], by_key[k]["outlet"])
             != (gold["lang"], gold["outlet"])}
    assert wrong == {}
    langs = Counter(gold["lang"] for gold in labels.values())
    assert langs["de"] >= 24 and langs["en"] >= 8


def _skip_for(report: IngestReport, name: str) -> list[str]:
    return [s.message() for s in report.skipped if Path(s.source).name == name]


def test_empty_binary_and_navigation_only_files_are_skipped_by_name(
        ingested: tuple[IngestReport, list[dict[str, Any]]]) -> None:
    report = ingested[0]
    for name, word in (("bad-empty.txt", "empty"), ("bad-binary-scan.bin", "binary"),
                       ("bad-nav-only.html", "no article text")):
        messages = _skip_for(report, name)
        assert len(messages) == 1 and name in messages[0] and word in messages[0]


def test_malformed_jsonl_line_is_skipped_with_its_line_number(
        ingested: tuple[IngestReport, list[dict[str, Any]]],
        by_key: dict[str, dict[str, Any]]) -> None:
    skips = [s for s in ingested[0].skipped if Path(s.source).name == "agency.jsonl"]
    assert [(s.record, "agency.jsonl:3" in s.message()) for s in skips] == [(3, True)]
    assert "malformed JSON" in skips[0].reason
    # the good records around it still land, under their own ids
    agency = sorted(k for k, rec in by_key.items() if rec["source"].endswith("agency.jsonl"))
    assert agency == ["agency-20250212-mulde-pegel", "agency-20250324-vardenia-round2",
                      "agency-20250409-hahnfeld-tag2"]


def test_cp1252_file_is_decoded_with_its_umlauts(by_key: dict[str, dict[str, Any]]) -> None:
    raw = (DEMO / "corpus" / "bad" / "bad-cp1252-obermueller-mulderode.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the trap is real: this file is not UTF-8
    text = by_key["bad-cp1252-obermueller-mulderode"]["text"]
    for word in ("Obermüller", "Landrätin Birgit Hänel", "Schloßgasse", "„Wir lassen", "10.000 €"):
        assert word in text
    assert "\ufffd" not in text


def test_bom_file_loses_its_bom_and_keeps_its_crawl_header(
        by_key: dict[str, dict[str, Any]]) -> None:
    assert (DEMO / "corpus" / "bad" / "bad-bom-lissabon-gipfel-eroeffnet.txt").read_bytes()[:3] \
        == b"\xef\xbb\xbf"
    rec = by_key["bad-bom-lissabon-gipfel-eroeffnet"]
    assert not rec["text"].startswith("\ufeff") and "date 2025-03" not in rec["text"]
    assert rec["published"] == "2025-03"


def test_scrape_stamp_is_not_taken_as_publication_date(
        by_key: dict[str, dict[str, Any]]) -> None:
    stamped = DEMO / "corpus" / "suedpfalz-post.example" / STAMP_FILE
    first_line = stamped.read_text("utf-8").split("\n")[0]
    assert first_line == "09:12 03 Februar 2027"
    rec = by_key[join_key(STAMP_FILE)]
    assert rec["published"] != STAMP_DATE
    assert not (rec["published"] or "").startswith("2027")
    assert "2027" not in rec["text"][:200]


def test_all_dates_fall_in_the_demo_period(by_key: dict[str, dict[str, Any]]) -> None:
    dated = {k: rec["published"] for k, rec in by_key.items() if rec["published"]}
    assert len(dated) == len(by_key)
    assert {k: v for k, v in dated.items() if not "2025-02" <= v[:7] <= "2025-04"} == {}


def test_articles_are_short_news_texts(by_key: dict[str, dict[str, Any]]) -> None:
    words = {k: len(rec["text"].split()) for k, rec in by_key.items()}
    assert {k: n for k, n in words.items() if not 100 <= n <= 350} == {}


def test_wire_copies_recur_at_two_to_four_outlets(labels: dict[str, dict[str, Any]]) -> None:
    groups: dict[str, list[str]] = {}
    for rec in labels.values():
        if rec["dup_group"]:
            groups.setdefault(rec["dup_group"], []).append(rec["outlet"])
    assert len(groups) >= 3
    for outlets in groups.values():
        assert 2 <= len(outlets) <= 4 and len(set(outlets)) == len(outlets)


def test_one_story_spans_two_events_weeks_apart(labels: dict[str, dict[str, Any]]) -> None:
    events_by_story: dict[str, set[str]] = {}
    dates: dict[str, list[str]] = {}
    for rec in labels.values():
        events_by_story.setdefault(rec["story"], set()).add(rec["event"])
        if rec["event_date"]:
            dates.setdefault(rec["event"], []).append(rec["event_date"])
    multi = [evs for story, evs in events_by_story.items() if len(evs) > 1 and story != "noise"]
    assert len(multi) == 1
    first, second = sorted(multi[0], key=lambda e: min(dates[e]))
    assert min(dates[second]) > max(dates[first])
