"""Pages a journalist reads, on the issue's bad input (tests/web/conftest.py ODD): bounded
pages, titles that are empty, 2,000 characters or control characters, an undated story of
one article, right-to-left text with an override; each shown sensibly, never a 500."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from storyline.web.app import create_app
from tests.web.conftest import (
    CONTROL_TITLE,
    LONG_TITLE,
    RLO,
    huge_text,
    odd_article,
    whole_article,
)

MB = 1_000_000
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def html(client: TestClient, path: str, **params: Any) -> str:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    assert len(r.content) < MB, (path, len(r.content))
    assert not _RAW_CONTROL.search(r.text), (path, _RAW_CONTROL.findall(r.text)[:5])
    return r.text


def every_page(client: TestClient) -> list[str]:
    paths = ["/", "/search?q=Brücke", "/search?q=Hallig"]
    for s in client.get("/api/stories", params={"limit": 200}).json()["stories"]:
        paths.append(f"/stories/{s['id']}")
        for ev in client.get(f"/api/stories/{s['id']}").json()["events"]:
            paths.append(f"/events/{ev['id']}")
            paths += [f"/articles/{a['id']}" for a in ev["articles"]]
    return paths


def test_every_page_of_the_bad_input_renders_under_a_megabyte(odd_client: TestClient) -> None:
    paths = every_page(odd_client)
    assert len(paths) > 15
    for path in paths:
        html(odd_client, path)


def every_api_response(client: TestClient) -> list[str]:
    """The JSON twin of every page, the article's parts and the entity and list routes."""
    paths = ["/api/stories?limit=200", "/api/search?q=Brücke&limit=200", "/api/stats"]
    for page in every_page(client):
        path = "/api" + (page if page != "/" else "/stories")
        paths.append(path)
        if page.startswith("/stories/"):
            paths += [f"{path}/timeline", f"{path}/comparison"]
        if page.startswith("/articles/"):
            a = client.get(path).json()
            paths += [f"{path}?part={n}" for n in range(2, a["parts"] + 1)]
            paths += [f"/api/entities/{e['entity_key']}" for e in a["entities"][:5]]
    return paths


def test_every_api_response_of_the_bad_input_is_under_a_megabyte(
        odd_client: TestClient) -> None:
    paths = every_api_response(odd_client)
    assert any("?part=" in p for p in paths), "the big article comes in parts"
    for path in paths:
        r = odd_client.get(path)
        # the big article's story panels exceed the 2 s query limit (corpus/timeline.py and
        # compare.py read its 20k facts): a 503 that says so, not a huge answer
        panel = path.endswith(("/timeline", "/comparison")) and r.status_code == 503
        assert r.status_code == 200 or panel, (path, r.status_code, r.text[:300])
        assert len(r.content) < MB, (path, len(r.content))


def test_a_big_articles_parts_put_together_are_the_article(odd_client: TestClient,
                                                          odd_db: Path) -> None:
    a = odd_article(odd_client, "big-1")
    store = Store(odd_db, readonly=True)
    try:
        row = store.query("SELECT text FROM articles WHERE id = ?", [a["id"]])[0]
        n_quotes = store.query("SELECT COUNT(*) AS n FROM quotes WHERE article_id = ?",
                               [a["id"]])[0]["n"]
    finally:
        store.close()
    first = odd_client.get(f"/api/articles/{a['id']}").json()
    assert first["parts"] > 1 and first["raw_text"] is None and first["next_part"] == 2
    assert a["text"] == row["text"] and len(a["quotes"]) == n_quotes
    assert all(a["text"][q["start"]:q["end"]] == q["text"] for q in a["quotes"])


def test_a_big_article_is_shown_in_parts(odd_client: TestClient) -> None:
    a = odd_article(odd_client, "big-1")
    assert len(a["text"]) > 290_000 and len(a["quotes"]) > 1000
    first = html(odd_client, f"/articles/{a['id']}")
    parts = int(re.search(r"Part 1 of (\d+)", first)[1])  # type: ignore[index]
    assert parts >= 6 and "Show more: part 2 of" in first
    second = html(odd_client, f"/articles/{a['id']}", part=2)
    assert "Part 2 of" in second and 'rel="prev" href="?part=1"' in second
    tail = re.search(r"Nummer \d+ bis", a["quotes"][-1]["text"])[0]  # type: ignore[index]
    assert tail not in first and tail in html(odd_client, f"/articles/{a['id']}", part=parts)
    late = a["quotes"][-1]
    marked = html(odd_client, f"/articles/{a['id']}", mark=f"{late['start']}-{late['end']}")
    assert f"Part {parts} of {parts}" in marked and 'id="target"' in marked


def test_a_big_event_pages_its_quotes(odd_client: TestClient) -> None:
    a = odd_article(odd_client, "big-1")
    page = html(odd_client, f"/events/{a['event_id']}")
    assert page.count('class="quote"') == 40 and "Show more quotes" in page
    more = html(odd_client, f"/events/{a['event_id']}", quotes_offset=40)
    assert 'class="quote"' in more and "41–80 of" in more


def test_titles_empty_long_or_control_characters(odd_client: TestClient) -> None:
    empty = html(odd_client, f"/articles/{odd_article(odd_client, 'empty-title')['id']}")
    assert re.search(r"<h1[^>]*>Die Kegelbahn in Oberwiesenthal", empty)
    assert "has no title" in empty
    long = html(odd_client, f"/articles/{odd_article(odd_client, 'long-title')['id']}")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", long, re.S)[1]  # type: ignore[index]
    assert 100 < len(h1) <= 200 and h1.endswith("…")
    assert "Full title (1999 characters)" in long or "Full title (2000 characters)" in long
    ctrl = odd_article(odd_client, "control-title")
    assert ctrl["title"] in (None, "", CONTROL_TITLE)  # stored as given, or dropped
    page = html(odd_client, f"/articles/{ctrl['id']}")
    assert re.search(r"<h1[^>]*>Im Tierpark Hirschfeld", page)
    assert "steuerzeichen.example" in page  # the outlet's BEL is gone, its name kept
    assert LONG_TITLE.strip()[:40] in html(odd_client, "/search", q="Fähre Kaub")


def test_an_undated_story_of_one_article(odd_client: TestClient) -> None:
    a = odd_article(odd_client, "undated-1")
    assert a["published"] is None
    story = html(odd_client, f"/stories/{a['story_id']}")
    assert "without a publication date is not in the chart" in story
    assert '"empty": true' in story
    html(odd_client, f"/events/{a['event_id']}")
    assert odd_client.get(f"/api/stories/{a['story_id']}").status_code == 200


def test_right_to_left_text_is_isolated(odd_client: TestClient) -> None:
    a = odd_article(odd_client, "rtl-1")
    assert a["outlet"].startswith(RLO)
    page = html(odd_client, f"/articles/{a['id']}")
    assert '<span class="outlet"><bdi>evil-outlet</bdi></span>' in page
    assert re.search(r'<h1 dir="auto">مدينة حلب 🌍', page)
    assert 'class="article-text" lang="ar" dir="auto"' in page or 'dir="auto">تستعد' in page


def test_search_folds_copies_and_groups_by_event(client: TestClient) -> None:
    """The demo's Mulderode flood ran as a wire story on three sites: one hit with its
    copies, under its event; snippets are plain text with match offsets in the JSON."""
    api = client.get("/api/search", params={"q": "Mulderode", "limit": 50}).json()
    assert api["n_hits"] > len(api["hits"])  # copies folded under their canonical hit
    folded = [h for h in api["hits"] if h["copies"]]
    assert folded and all(c["duplicate_of"] == (h["duplicate_of"] or h["id"])
                          for h in folded for c in h["copies"])
    ids = [h["id"] for h in api["hits"]] + [c["id"] for h in api["hits"] for c in h["copies"]]
    assert len(ids) == len(set(ids)) == api["n_hits"]
    for h in api["hits"]:
        assert "\x02" not in h["snippet"] and "\x03" not in h["snippet"]
        assert h["marks"] and all(h["snippet"][s:e].lower().startswith("mulderode")
                                  for s, e in h["marks"])
    page = html(client, "/search", q="Mulderode", limit=50)
    assert page.count('class="hit"') == len(api["hits"]) and "also in " in page
    assert 'class="hit-event">Event: <a href="/events/' in page
    assert "<mark>Mulderode</mark>" in page


def test_quotes_repeated_by_copies_appear_once(client: TestClient) -> None:
    """The demo's wire stories repeat their quotes on several sites: each is shown once,
    with the copies that repeat it, on the event page, the story page and in the JSON."""
    from storyline.web.shape import quote_key

    folded_any = False
    for s in client.get("/api/stories").json()["stories"]:
        story = client.get(f"/api/stories/{s['id']}").json()
        keys = [quote_key(q["text"]) for q in story["quotes"]]
        assert len(keys) == len(set(keys)), s["id"]
        for ev in story["events"]:
            e = client.get(f"/api/events/{ev['id']}").json()
            assert len({quote_key(q["text"]) for q in e["quotes"]}) == len(e["quotes"])
            # every folded repeat is a quote row (an article repeating itself is one more)
            assert e["n_quotes"] >= len(e["quotes"]) + sum(q["also_in"] for q in e["quotes"])
            if any(q["also_in"] for q in e["quotes"]):
                folded_any = True
                page = html(client, f"/events/{ev['id']}")
                assert re.search(r"also in \d+ cop(y|ies)</summary>", page)
    assert folded_any, "no quote repeated by copies in the demo"


@pytest.mark.slow
def test_the_issues_megabyte_article_makes_no_megabyte_page(
        tmp_path: Path, settings: Settings) -> None:
    """The issue's case: a 1 MB article of ~3,800 quotes gave a 4.5 MB page. Each part of
    it, and its event page, now stays under 1 MB."""
    src = tmp_path / "big.jsonl"
    src.write_text(json.dumps({"id": "mb", "outlet": "mainzer-echo.example", "title": "Mainz",
                               "date": "2025-05-05", "text": huge_text(1_000_000)},
                              ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "big.db"
    store = Store(db)
    try:
        run_ingest(store, [str(src)], settings)
    finally:
        store.close()
    # the page sizes are under test, not the 2 s read limit: a loaded CI machine gave a 503
    roomy = settings.with_overrides({"web.query_timeout_ms": 60_000})
    with TestClient(create_app(db, roomy)) as client:
        hit = client.get("/api/search", params={"q": "Mainz"}).json()["hits"][0]
        a = whole_article(client, hit["id"])
        assert len(a["text"]) > 990_000 and len(a["quotes"]) > 3000
        for n in range(1, client.get(f"/api/articles/{a['id']}").json()["parts"] + 1):
            r = client.get(f"/api/articles/{a['id']}", params={"part": n})
            assert r.status_code == 200 and len(r.content) < MB, (n, len(r.content))
        first = html(client, f"/articles/{a['id']}")
        parts = int(re.search(r"Part 1 of (\d+)", first)[1])  # type: ignore[index]
        for part in range(2, parts + 1):
            html(client, f"/articles/{a['id']}", part=part)
        html(client, f"/events/{a['event_id']}")
        html(client, f"/stories/{a['story_id']}")
