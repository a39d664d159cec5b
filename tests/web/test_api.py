"""The JSON API over a real database: every route, pagination, filters, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.settings import Settings
from storyline.store import Store, queries
from storyline.store.entities import resolved_facts
from storyline.web import data, views
from storyline.web.app import create_app


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"
    return r.json()


def all_stories(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    return list(get(client, "/api/stories", limit=200, **filters)["stories"])


def lavrov_story(client: TestClient) -> dict[str, Any]:
    """The Aleppo story of the seeds: the one story whose articles mention Lawrow most."""
    stories = all_stories(client, entity="PER:s.lavrov")
    assert stories, "no story mentions Lawrow"
    return dict(get(client, f"/api/stories/{stories[0]['id']}"))


def test_stats_counts_the_corpus(client: TestClient) -> None:
    stats = get(client, "/api/stats")
    assert stats["articles"] >= 6  # five seeds and the hostile article at least
    assert stats["stories"] >= 1 and stats["events"] >= stats["stories"]
    assert "de" in stats["languages"]


def test_stories_paginate_without_overlap(client: TestClient) -> None:
    everything = all_stories(client)
    assert len(everything) >= 3
    first = get(client, "/api/stories", limit=2, offset=0)
    second = get(client, "/api/stories", limit=2, offset=2)
    assert [s["id"] for s in first["stories"]] == [s["id"] for s in everything[:2]]
    assert [s["id"] for s in second["stories"]] == [s["id"] for s in everything[2:4]]
    assert first["next_offset"] == 2
    last = get(client, "/api/stories", limit=2, offset=len(everything) - 1)
    assert last["next_offset"] is None and len(last["stories"]) == 1


def test_stories_carry_coverage_bins(client: TestClient) -> None:
    for s in all_stories(client):
        cov = s["coverage"]
        assert cov["unit"] in {"day", "month"}
        assert sum(b["n"] for b in cov["bins"]) + cov["undated"] + cov["not_shown"] \
            == s["n_articles"]


def test_story_filters(client: TestClient) -> None:
    everything = all_stories(client)
    german = all_stories(client, lang="de")
    assert 0 < len(german) <= len(everything)
    for s in german[:5]:
        story = get(client, f"/api/stories/{s['id']}")
        langs = {a["lang"] for ev in story["events"] for a in ev["articles"]}
        assert "de" in langs or any(c["lang"] == "de" for ev in story["events"]
                                    for a in ev["articles"] for c in a["copies"])
    assert all_stories(client, lang="xx") == []
    for s in all_stories(client, **{"from": "2016-09-01", "to": "2016-12-31"}):
        assert s["last_date"] >= "2016-09" and s["first_date"] <= "2016-12-31~"
    seeds = all_stories(client, outlet="seeds")
    assert seeds and len(seeds) < len(everything)


def test_entity_filter_keeps_only_stories_that_mention_it(client: TestClient) -> None:
    for s in all_stories(client, entity="PER:s.lavrov"):
        story = get(client, f"/api/stories/{s['id']}")
        assert "PER:s.lavrov" in {e["key"] for e in story["entities"]} or story["n_articles"] > 0


def test_bad_parameters(client: TestClient) -> None:
    r = client.get("/api/stories", params={"from": "last week"})
    assert r.status_code == 400 and "YYYY" in r.json()["detail"]
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/stories", params={"sort": "random"}).status_code == 422


def test_story_events_fold_copies(client: TestClient) -> None:
    story = lavrov_story(client)
    assert story["events"] and story["quotes"]
    ids = set()
    for ev in story["events"]:
        assert ev["story_id"] == story["id"]
        for a in ev["articles"]:
            assert a["duplicate_of"] is None or a["duplicate_of"] not in ids
            ids.add(a["id"])
            for c in a["copies"]:
                assert c["duplicate_of"] == a["id"]


def test_timeline_and_comparison(client: TestClient) -> None:
    story = lavrov_story(client)
    for part, key in (("timeline", "entries"), ("comparison", "outlets")):
        r = client.get(f"/api/stories/{story['id']}/{part}")
        if r.status_code == 503:  # the corpus module is not in this build
            assert "not installed" in r.json()["detail"]
            continue
        assert r.status_code == 200, r.text[:300]
        assert r.json()["story_id"] == story["id"] and key in r.json()
    assert client.get("/api/stories/st-nope/timeline").status_code in {404, 503}


def test_event_and_article(client: TestClient) -> None:
    story = lavrov_story(client)
    ev = get(client, f"/api/events/{story['events'][0]['id']}")
    assert ev["story_id"] == story["id"] and ev["articles"]
    article = get(client, f"/api/articles/{ev['articles'][0]['id']}")
    assert article["event_id"] == ev["id"]
    for kind in ("entities", "quotes", "dates", "figures"):
        for fact in article[kind]:
            assert article["text"][fact["start"]:fact["end"]] == fact["text"]


def test_entity(client: TestClient) -> None:
    e = get(client, "/api/entities/PER:s.lavrov")
    assert e["type"] == "PER"
    assert any("Lawrow" in v for v, _ in e["variants"])
    assert e["mentions"] and e["timeline"]


def test_search_finds_seeds_with_facets(client: TestClient) -> None:
    r = get(client, "/api/search", q="Lawrow")
    assert r["total"] >= 2
    assert "seeds" in r["facets"]["outlet"]
    assert sum(r["facets"]["outlet"].values()) == r["total"]
    narrowed = get(client, "/api/search", q="Lawrow", outlet="seeds")
    assert narrowed["total"] == r["facets"]["outlet"]["seeds"]
    assert {h["outlet"] for h in narrowed["hits"]} == {"seeds"}
    story_id, n = next(iter(r["facets"]["story_id"].items()))
    in_story = get(client, "/api/search", q="Lawrow", story=story_id, limit=200)
    assert in_story["total"] == n == len(in_story["hits"])
    assert {h["story_id"] for h in in_story["hits"]} == {story_id}
    assert get(client, "/api/search", q="")["total"] == 0


@pytest.mark.parametrize("path", ["/api/stories/st-nope", "/api/events/ev-nope",
                                  "/api/articles/0000000000000000", "/api/entities/PER:nobody",
                                  "/api/no-such-route"])
def test_unknown_ids_give_json_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["status"] == 404 and r.json()["error"]


def test_openapi_lists_the_routes(client: TestClient) -> None:
    paths = get(client, "/openapi.json")["paths"]
    for p in ("/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/timeline",
              "/api/stories/{story_id}/comparison", "/api/events/{event_id}",
              "/api/articles/{article_id}", "/api/entities/{key}", "/api/search", "/api/stats"):
        assert p in paths


def test_runaway_query_gives_503(db_path: Path, settings: Settings,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def endless(store: Store, *args: Any, **kwargs: Any) -> dict[str, Any]:
        store.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                    "SELECT COUNT(*) FROM c")
        raise AssertionError("the endless query returned")

    monkeypatch.setattr(views, "story_list", endless)
    quick = create_app(db_path, settings.with_overrides({"web.query_timeout_ms": 50}))
    with TestClient(quick) as c:
        r = c.get("/api/stories")
        assert r.status_code == 503 and "too long" in r.json()["error"]
        page = c.get("/")
        assert page.status_code == 503 and "text/html" in page.headers["content-type"]
        assert "too long" in page.text


def test_reads_go_on_while_a_writer_holds_the_lock(client: TestClient, db_path: Path) -> None:
    writer = Store(db_path)
    try:
        with writer.transaction() as conn:
            conn.execute("INSERT INTO skipped (source, record, reason, at) "
                         "VALUES ('test', 1, 'held open by a test', 'now')")
            assert get(client, "/api/stats")["articles"] >= 6
            assert client.get("/").status_code == 200
            conn.execute("DELETE FROM skipped WHERE source = 'test'")
    finally:
        writer.close()


def test_story_events_page_through_without_overlap(client: TestClient) -> None:
    biggest = max(all_stories(client), key=lambda s: s["n_events"])
    assert biggest["n_events"] >= 2, "the test corpus needs a story with two events"
    whole = get(client, f"/api/stories/{biggest['id']}")
    assert whole["next_events_offset"] is None
    pages, offset = [], 0
    while offset is not None:
        part = get(client, f"/api/stories/{biggest['id']}", events_limit=1,
                   events_offset=offset)
        assert len(part["events"]) == 1
        pages.append(part["events"][0])
        offset = part["next_events_offset"]
    assert [e["id"] for e in pages] == [e["id"] for e in whole["events"]]
    assert pages == whole["events"]


def test_story_aggregates_match_the_live_queries(client: TestClient, db_path: Path) -> None:
    """Entities, speakers and coverage kept at grouping time equal a fresh count."""
    store = Store(db_path, readonly=True)
    try:
        for s in all_stories(client)[:5]:
            story = get(client, f"/api/stories/{s['id']}")
            ids = [r["id"] for r in store.query(
                "SELECT id FROM articles WHERE story_id = ? AND superseded_by IS NULL",
                [s["id"]])]
            assert story["entities"] == queries.top_entities(store, ids)
            quotes = resolved_facts(store, ids, "quotes")  # speakers as the story names them
            assert story["n_quotes"] == len(quotes)
            assert sorted(data.speakers(store, s["id"])) == sorted(data.quote_speakers(quotes))
            assert sum(b["n"] for b in story["coverage"]["bins"]) + story["coverage"][
                "undated"] + story["coverage"]["not_shown"] == len(ids)
    finally:
        store.close()


def test_entity_counts_everything_and_samples_the_lists(client: TestClient,
                                                        db_path: Path) -> None:
    store = Store(db_path, readonly=True)
    try:
        full = queries.entity(store, "PER:s.lavrov")
        sample = queries.entity(store, "PER:s.lavrov", limit=1)
    finally:
        store.close()
    assert full is not None and sample is not None
    assert not full["sampled"] and len(full["mentions"]) == full["n_mentions"]
    assert sample["sampled"] and len(sample["mentions"]) == 1
    assert sample["n_mentions"] == full["n_mentions"] and sample["n_stories"] >= 1


def test_event_answers_come_in_pages_of_texts_and_of_quotes(client: TestClient) -> None:
    biggest = max((ev for s in all_stories(client)
                   for ev in get(client, f"/api/stories/{s['id']}")["events"]),
                  key=lambda ev: ev["n_articles"])
    whole = get(client, f"/api/events/{biggest['id']}")
    assert whole["next_offset"] is None and whole["n_top"] == len(whole["articles"]) > 1
    texts, offset = [], 0
    while offset is not None:
        page = get(client, f"/api/events/{biggest['id']}", limit=1, offset=offset)
        texts += page["articles"]
        offset = page["next_offset"]
    assert texts == whole["articles"]
    assert sum(1 + a["n_copies"] for a in texts) == biggest["n_articles"]
    quotes, offset = [], 0
    while offset is not None:
        page = get(client, f"/api/events/{biggest['id']}", quotes_limit=2,
                   quotes_offset=offset)
        quotes += page["quotes"]
        offset = page["next_quotes_offset"]
    assert quotes == whole["quotes"] and len(quotes) == whole["n_distinct_quotes"]


def test_a_story_answer_ends_its_page_at_the_card_budget(client: TestClient,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    from storyline.web import bounded

    biggest = max(all_stories(client), key=lambda s: s["n_events"])
    whole = get(client, f"/api/stories/{biggest['id']}")
    monkeypatch.setattr(bounded, "API_CARDS", 2)  # as if each event were a huge one
    events, offset, pages = [], 0, 0
    while offset is not None:
        page = get(client, f"/api/stories/{biggest['id']}", events_offset=offset)
        events += page["events"]
        offset, pages = page["next_events_offset"], pages + 1
    assert pages > 1 and events == whole["events"]
