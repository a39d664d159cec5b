"""The HTML pages: each route renders, carries the security headers, escapes hostile text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.web.app import CSP
from tests.web.conftest import IMG, SCRIPT


def page(client: TestClient, path: str, status: int = 200, **params: Any) -> str:
    r = client.get(path, params=params)
    assert r.status_code == status, (path, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP
    assert "script-src 'self';" in CSP and "unsafe-inline" not in CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"]
    return r.text


def first_story(client: TestClient) -> dict[str, Any]:
    stories = client.get("/api/stories", params={"entity": "PER:s.lavrov"}).json()["stories"]
    return dict(client.get(f"/api/stories/{stories[0]['id']}").json())


def test_story_list_has_sparklines_and_links(client: TestClient) -> None:
    html = page(client, "/")
    stories = client.get("/api/stories").json()["stories"]
    for s in stories:
        assert f'href="/stories/{s["id"]}"' in html
    assert html.count('<svg class="spark"') >= 1 and 'class="spark-bar"' in html
    assert 'name="outlet"' in html and 'name="lang"' in html


def test_story_list_filters_and_pages(client: TestClient) -> None:
    html = page(client, "/", limit=1)
    assert 'rel="next"' in html and "offset=1" in html
    assert 'rel="prev"' in page(client, "/", limit=1, offset=1)
    filtered = page(client, "/", entity="PER:s.lavrov")
    assert "Stories mentioning" in filtered
    assert "No stories match" in page(client, "/", lang="xx")
    page(client, "/", 400, **{"from": "yesterday"})


def test_story_page_shows_timeline_events_entities_quotes(client: TestClient) -> None:
    story = first_story(client)
    html = page(client, f"/stories/{story['id']}")
    assert 'id="timeline-chart"' in html
    assert re.search(r'<script type="application/json" id="chart-data">\{.*?\}</script>', html,
                     re.S)
    assert '<script src="/static/vendor/plotly.min.js"' in html
    for ev in story["events"]:
        assert f'href="/events/{ev["id"]}"' in html
    assert 'href="/entities/PER%3As.lavrov"' in html
    assert 'class="quote"' in html
    assert "How outlets covered it" in html
    if any(a["copies"] for ev in story["events"] for a in ev["articles"]):
        assert '<details class="copies">' in html


def test_event_article_entity_pages(client: TestClient) -> None:
    story = first_story(client)
    ev = story["events"][0]
    assert ev["label"].split(" · ")[0] in page(client, f"/events/{ev['id']}")
    aid = ev["articles"][0]["id"]
    html = page(client, f"/articles/{aid}")
    assert '<div class="article-text"' in html and "hl-ent" in html
    marked = page(client, f"/articles/{aid}", mark="0-5")
    assert 'id="target"' in marked
    ent = page(client, "/entities/PER:s.lavrov")
    assert "Lawrow" in ent and "Written as" in ent


def test_search_page_with_facets(client: TestClient) -> None:
    html = page(client, "/search", q="Lawrow")
    assert "seeds" in html and "<mark>" in html.lower()
    assert "Outlet" in html and "Language" in html and "Story" in html
    narrowed = page(client, "/search", q="Lawrow", outlet="seeds")
    assert 'aria-current="true"' in narrowed


@pytest.mark.parametrize("path", ["/stories/st-nope", "/events/ev-nope",
                                  "/articles/0000000000000000", "/entities/PER:nobody",
                                  "/no/such/page"])
def test_unknown_pages_are_friendly_404s(client: TestClient, path: str) -> None:
    html = page(client, path, 404)
    assert "Back to the stories" in html


def test_hostile_article_is_escaped_everywhere(client: TestClient, hostile_id: str) -> None:
    a = client.get(f"/api/articles/{hostile_id}").json()
    pages = [page(client, f"/articles/{hostile_id}"), page(client, "/search", q="Testartikel"),
             page(client, f"/stories/{a['story_id']}"), page(client, f"/events/{a['event_id']}")]
    for html in pages:
        assert SCRIPT not in html and IMG not in html and "<b onmouseover" not in html
        assert "javascript:alert" not in html
        assert re.findall(r"<script[^>]*>", html) == [
            s for s in re.findall(r"<script[^>]*>", html)
            if s.startswith(('<script src="/static/', '<script type="application/json"'))]
    article = pages[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "&lt;b&gt;kein&lt;/b&gt;" in article


def test_static_assets_are_local(client: TestClient) -> None:
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert len(js.content) > 100_000
    assert client.get("/static/app.js").status_code == 200
    css = client.get("/static/style.css")
    assert css.status_code == 200 and "@media" in css.text
    for path in ("/", "/search?q=Lawrow"):
        assert "http" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', client.get(
            path).text.split("<main")[0]))


def test_story_page_marks_announced_dates(client: TestClient) -> None:
    """A date ahead of the articles that name it is shown as announced, with its sentence,
    and never as an entry's own date (the seeds: Putin's trip "am 19. Oktober")."""
    story = first_story(client)
    timeline = client.get(f"/api/stories/{story['id']}/timeline").json()
    announced = [(e, an) for e in timeline["entries"] for an in e["announced"]]
    assert announced, "no announced date in the seed story"
    html = page(client, f"/stories/{story['id']}")
    for entry, an in announced:
        assert an["date"] != entry["date"] and an["evidence"]["text"]
        assert f"<time>{an['date']}</time>" in html and "announced for" in html
