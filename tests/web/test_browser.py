"""The UI in a real browser (Debian chromium via Playwright): navigation, the timeline chart,
search, keyboard use, and hostile article text that must never execute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import IMG, REPO, SCRIPT, Watched

pytestmark = pytest.mark.browser
SCREENSHOTS = REPO / "docs" / "screenshots"


def lavrov_story_id(server: str) -> str:
    stories = httpx.get(f"{server}/api/stories", params={"entity": "PER:s.lavrov"}).json()
    return str(stories["stories"][0]["id"])


def test_story_list_to_story_page(watched: Watched, server: str) -> None:
    """The largest story (the screenshot the README shows): timeline, quotes, chart."""
    page = watched.page
    story_id = httpx.get(f"{server}/api/stories", params={"limit": 1}).json()["stories"][0]["id"]
    page.goto(server + "/")
    assert page.locator(".story-row").count() >= 3
    page.locator(f'a.story-title[href="/stories/{story_id}"]').click()
    page.wait_for_url(f"**/stories/{story_id}")
    timeline = httpx.get(f"{server}/api/stories/{story_id}/timeline")
    if timeline.status_code == 200 and timeline.json()["entries"]:
        assert page.locator(".tl-entry").count() == len(timeline.json()["entries"])
        first = timeline.json()["entries"][0]
        assert first["date"] in page.locator(".tl-entry").first.inner_text()
    assert page.locator(".quote").count() >= 1
    assert page.locator(".chips .chip").count() >= 1
    page.locator("#timeline-chart .main-svg").first.wait_for()  # plotly drew the chart
    assert page.locator("#timeline-chart .point").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story-seeds.png"), full_page=True)
    copies = page.locator("details.copies")
    if copies.count():
        copies.first.locator("summary").click()
        assert copies.first.locator("li").first.is_visible()
    watched.clean()


def test_story_page_at_phone_width(browser: Any, server: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    w = Watched(page)
    page.goto(f"{server}/stories/{lavrov_story_id(server)}")
    page.locator("#timeline-chart .main-svg").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at phone width ({width}px)"
    page.screenshot(path=str(SCREENSHOTS / "story-phone.png"), full_page=False)
    w.clean()
    context.close()


def test_search_finds_the_seed_articles(watched: Watched, server: str) -> None:
    page = watched.page
    seeds = httpx.get(f"{server}/api/search", params={"q": "Lawrow", "outlet": "seeds",
                                                        "limit": 200}).json()["hits"]
    assert seeds
    page.goto(server + "/")
    page.fill("#top-q", "Lawrow")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=Lawrow")
    assert page.locator(".hit").count() >= len(seeds)
    page.locator(".facet a", has_text="seeds").first.click()
    page.wait_for_url("**outlet=seeds**")
    shown = {h.get_attribute("href") for h in page.locator(".hit a.art-title").all()}
    assert shown == {f"/articles/{h['id']}" for h in seeds}
    assert page.locator(".hit mark").count() >= 1
    watched.clean()


def test_keyboard_reaches_a_story(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('story-title')"):
            break
    else:
        pytest.fail("no story link reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stories/**")
    watched.clean()


def test_hostile_text_never_executes(watched: Watched, server: str, hostile_id: str) -> None:
    page = watched.page
    article = httpx.get(f"{server}/api/articles/{hostile_id}").json()
    for path in (f"/articles/{hostile_id}", "/search?q=Testartikel",
                 f"/stories/{article['story_id']}", f"/events/{article['event_id']}", "/"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        assert page.locator("img[src='x'], [onerror], [onmouseover]").count() == 0, path
        assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    page.goto(f"{server}/articles/{hostile_id}")
    assert SCRIPT in page.locator("h1").inner_text()
    body = page.locator(".article-text").inner_text()
    assert SCRIPT in body and IMG in body and "<b>kein</b>" in body
    assert page.locator("a[href^='javascript']").count() == 0
    page.wait_for_timeout(300)  # an onerror handler would fire right after load
    watched.clean()
