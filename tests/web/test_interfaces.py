"""/docs from local assets under the page CSP, response models in the OpenAPI schema that
the real answers fit, and HEAD answered like GET."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from storyline.web import schemas
from storyline.web.app import CSP


def test_head_is_answered_like_get(client: TestClient) -> None:
    story = client.get("/api/stories").json()["stories"][0]["id"]
    for path in ("/", f"/stories/{story}", "/api/stories", "/docs", "/static/style.css",
                 "/search?q=Lawrow", "/no/such/page"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        if "content-length" in get.headers:
            assert head.headers["content-length"] == str(len(get.content)), path


def test_docs_come_from_local_assets_under_the_csp(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and r.headers["content-security-policy"] == CSP
    refs = re.findall(r'(?:src|href)="([^"]*)"', r.text)
    assert "/static/vendor/swagger-ui-bundle.js" in refs and "/static/docs.js" in refs
    assert not [u for u in refs if u.startswith(("http:", "https:", "//"))]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text)  # no inline script
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css",
                  "/static/docs.js"):
        got = client.get(asset)
        assert got.status_code == 200 and len(got.content) > 200, asset
    assert client.get("/static/vendor/../app.py").status_code == 404
    assert client.get("/static/vendor/other.js").status_code == 404


API_MODELS: dict[str, type[BaseModel]] = {
    "/api/stats": schemas.Stats, "/api/stories": schemas.StoryList,
    "/api/stories/{story_id}": schemas.Story,
    "/api/stories/{story_id}/timeline": schemas.Timeline,
    "/api/stories/{story_id}/comparison": schemas.Comparison,
    "/api/events/{event_id}": schemas.Event, "/api/articles/{article_id}": schemas.Article,
    "/api/entities/{key}": schemas.EntityPage, "/api/search": schemas.SearchResult}


def test_the_openapi_schema_has_a_response_model_per_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = {p.replace("{key:path}", "{key}"): v for p, v in spec["paths"].items()}
    assert set(API_MODELS) <= set(paths)
    for path, model in API_MODELS.items():
        ok = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{model.__name__}"}, path
        assert model.__name__ in spec["components"]["schemas"]
    story = spec["components"]["schemas"]["Story"]["properties"]
    assert {"title", "label", "events", "quotes"} <= set(story)


def _real(client: TestClient) -> dict[str, Any]:
    story = client.get("/api/stories", params={"entity": "PER:s.lavrov"}).json()["stories"][0]
    full = client.get(f"/api/stories/{story['id']}").json()
    ev = full["events"][0]
    return {"/api/stats": "/api/stats", "/api/stories": "/api/stories",
            "/api/stories/{story_id}": f"/api/stories/{story['id']}",
            "/api/stories/{story_id}/timeline": f"/api/stories/{story['id']}/timeline",
            "/api/stories/{story_id}/comparison": f"/api/stories/{story['id']}/comparison",
            "/api/events/{event_id}": f"/api/events/{ev['id']}",
            "/api/articles/{article_id}": f"/api/articles/{ev['articles'][0]['id']}",
            "/api/entities/{key}": "/api/entities/PER:s.lavrov",
            "/api/search": "/api/search?q=Lawrow"}


@pytest.mark.parametrize("route", sorted(API_MODELS))
def test_real_answers_fit_their_models(client: TestClient, route: str) -> None:
    r = client.get(_real(client)[route])
    assert r.status_code == 200, r.text[:300]
    API_MODELS[route].model_validate(r.json())  # raises on a missing or mistyped field
