"""The reader's view in Chromium (Debian's, via Playwright): the timeline chart on the demo,
the seeds and a one-day story; copies folded; long pages in parts; right-to-left text and
emoji; outlet profiles; the screenshots in docs/screenshots."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.web.conftest import RLO, Watched
from tests.web.test_browser import SCREENSHOTS

pytestmark = pytest.mark.browser
SHOTS = SCREENSHOTS


def story_with(server: str, **params: Any) -> str:
    return str(httpx.get(f"{server}/api/stories", params=params).json()["stories"][0]["id"])


def check_chart(page: Any, server: str, story_id: str, shot: str) -> dict[str, Any]:
    """Draw the story's chart; every bar inside the plot, whole-article count ticks, date
    ticks without times, one diamond per announced date. Returns the chart data."""
    page.goto(f"{server}/stories/{story_id}")
    page.locator("#timeline-chart .main-svg").first.wait_for()
    data = page.evaluate("JSON.parse(document.getElementById('chart-data').textContent)")
    plot = page.locator("#timeline-chart .draglayer .xy .nsewdrag").first.bounding_box()
    bars = page.locator("#timeline-chart .barlayer .point path").all()
    drawn = [b.bounding_box() for b in bars]
    assert len([b for b in drawn if b and b["height"] > 0]) == len([n for n in data["y"] if n])
    for box in drawn:
        if box and box["height"] > 0:
            assert plot["x"] - 1 <= box["x"] and box["x"] + box["width"] <= \
                plot["x"] + plot["width"] + 1, (story_id, box, plot)
    yticks = page.locator("#timeline-chart .ytick text").all_text_contents()
    assert yticks and all(re.fullmatch(r"\d+", t) for t in yticks), yticks
    xticks = page.locator("#timeline-chart .xtick text").all_text_contents()
    assert xticks and not any(":" in t or "." in t for t in xticks), xticks
    diamonds = page.locator("#timeline-chart .scatterlayer .trace").nth(1).locator(".point")
    assert diamonds.count() == len(data["announced"])
    page.locator("#h-timeline").locator("..").screenshot(path=str(SHOTS / shot))
    return dict(data)


def test_timeline_on_the_demo_the_seeds_and_a_one_day_story(
        watched: Watched, server: str, demo_server: str, odd_server: str) -> None:
    page = watched.page
    demo = check_chart(page, demo_server, story_with(demo_server, limit=1),
                       "timeline-demo.png")
    assert demo["unit"] == "day" and demo["announced"]
    seeds = check_chart(page, server, story_with(server, entity="PER:s.lavrov"),
                        "timeline-seeds.png")
    assert seeds["announced"], "Putin's trip announced for 19 October"
    one = story_with(odd_server, **{"from": "2025-06-03", "to": "2025-06-03"})
    day = check_chart(page, odd_server, one, "timeline-one-day.png")
    assert day["x"] == ["2025-06-03"] and len(page.locator(
        "#timeline-chart .xtick text").all_text_contents()) >= 5
    watched.clean()


def test_demo_screenshots_and_folded_copies(watched: Watched, demo_server: str) -> None:
    """Story list, story, event and article page of the demo; the event page shows a
    wire quote once with the copies that repeat it, and the outlet profiles' tables."""
    page = watched.page
    page.goto(demo_server + "/")
    assert page.locator(".story-row").count() >= 4
    page.screenshot(path=str(SHOTS / "stories.png"), full_page=True)
    story_id = story_with(demo_server, limit=1)
    page.goto(f"{demo_server}/stories/{story_id}")
    page.locator("#timeline-chart .main-svg").first.wait_for()
    assert page.locator(".coverage-dim[data-dim=country] tbody tr").count() >= 2
    assert page.locator(".coverage-dim[data-dim=type] th", has_text="newspaper").count() == 1
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)
    event = page.locator(".event h3 a").first.get_attribute("href")
    page.goto(demo_server + str(event))
    also = page.locator("details.also-in").first
    also.locator("summary").click()
    assert re.fullmatch(r"also in \d+ cop(y|ies)", also.locator("summary").inner_text())
    assert also.locator("li a").first.is_visible()
    page.screenshot(path=str(SHOTS / "event.png"), full_page=True)
    page.locator(".art-title").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article-text mark").count() >= 3
    page.screenshot(path=str(SHOTS / "article.png"), full_page=True)
    watched.clean()


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, selector
    return dict(box)


def test_right_to_left_text_and_emoji_keep_their_direction(
        watched: Watched, odd_server: str) -> None:
    """An outlet name opening with U+202E (RIGHT-TO-LEFT OVERRIDE) reversed the rest of its
    line; Arabic headlines and text read right to left, an emoji among them."""
    page = watched.page
    a = [h for h in httpx.get(f"{odd_server}/api/search", params={"q": "حلب"}).json()["hits"]]
    assert a and a[0]["outlet"].startswith(RLO)
    page.goto(f"{odd_server}/articles/{a[0]['id']}")
    outlet, lang = _box(page, ".lede .outlet"), _box(page, ".lede .lang")
    assert outlet["x"] < lang["x"], "the outlet name reordered the line around it"
    assert page.locator(".lede .outlet").inner_text() == "evil-outlet"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    h1 = page.locator("h1").inner_text()
    assert "🌍" in h1 and h1.startswith("مدينة")
    text_dir = page.evaluate("getComputedStyle(document.querySelector('.article-text'))"
                             ".direction")
    assert text_dir == "rtl"
    emoji = page.evaluate("""() => { const c = document.createElement('canvas').getContext('2d');
        c.font = '32px sans-serif'; c.fillText('🌍', 0, 32);
        const d = c.getImageData(0, 0, 40, 40).data; let colours = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i+3] && (d[i] !== d[i+1] || d[i+1] !== d[i+2])) colours++; }
        return colours; }""")
    assert emoji > 20, "the emoji drew no colour: no emoji font"
    page.screenshot(path=str(SHOTS / "rtl-article.png"), full_page=False)
    watched.clean()


def test_long_article_and_bad_titles_in_the_browser(watched: Watched, odd_server: str) -> None:
    page = watched.page
    hits = httpx.get(f"{odd_server}/api/search", params={"q": "Mainz baut"}).json()["hits"]
    page.goto(f"{odd_server}/articles/{hits[0]['id']}")
    assert page.locator(".parts").first.inner_text().count("Part 1 of") == 1
    page.locator(".show-more a").click()
    page.wait_for_url("**part=2")
    assert "Part 2 of" in page.locator(".parts").first.inner_text()
    for q in ("Kegelbahn", "Tierpark Hirschfeld", "Fähre Kaub", "Leuchtturm Gröde"):
        hit = httpx.get(f"{odd_server}/api/search", params={"q": q}).json()["hits"][0]
        page.goto(f"{odd_server}/articles/{hit['id']}")
        h1 = page.locator("h1").inner_text()
        assert 10 < len(h1) <= 200 and not re.search(r"[\x00-\x1f\x7f-\x9f]", h1), (q, h1)
        page.goto(f"{odd_server}/stories/{hit['story_id']}")
        page.locator("#timeline-chart").first.wait_for()
    assert "No dated articles" in page.locator("#timeline-chart").inner_text()
    watched.clean()
