"""/docs in Chromium: Swagger UI from local files draws every route under the page CSP."""

from __future__ import annotations

import pytest

from tests.web.conftest import Watched

pytestmark = pytest.mark.browser


def test_api_docs_render_under_the_csp(watched: Watched, server: str) -> None:
    page = watched.page
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(
        (server, "data:")) else None)
    page.goto(server + "/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/stories/{story_id}" in s.replace("\u200b", "") for s in summaries)
    page.locator(".models, section.models").first.wait_for()
    assert "Story" in page.locator("section.models").inner_text()
    assert external == []
    watched.clean()
