"""Names across a story and search folding, in Chromium: two Johnsons of one story (text
written for the test, tests/store/test_storynames.py) are two chips, the bare "Johnson"'s
quote leads to his own page, not the prime minister's; the demo's search folds copies and
keeps an event's hits together."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from storyline.web.app import create_app
from tests.store.test_storynames import BARE, BORIS, MARY, TEXTS
from tests.web.conftest import Watched, _serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def johnsons(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("johnsons")
    src = folder / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"t{i}", "published": day, "title": title,
                                       "text": text}, ensure_ascii=False) + "\n"
                           for i, (day, title, text) in enumerate(TEXTS)), "utf-8")
    store = Store(folder / "j.db")
    try:
        run_ingest(store, [str(src)], settings)
    finally:
        store.close()
    yield from _serve(create_app(Path(folder / "j.db"), settings))


def test_two_johnsons_in_the_browser(watched: Watched, johnsons: str) -> None:
    page = watched.page
    sid = httpx.get(f"{johnsons}/api/stories").json()["stories"][0]["id"]
    page.goto(f"{johnsons}/stories/{sid}")
    chips = page.locator("#h-entities ~ ul.chips a.chip")
    hrefs = [chips.nth(i).get_attribute("href") or "" for i in range(chips.count())]
    keys = {httpx.URL(johnsons + h).path.rsplit("/", 1)[-1] for h in hrefs}
    assert {BORIS, MARY, BARE} <= {k.replace("%3A", ":") for k in keys}, keys
    quote = page.locator("li.quote", has_text="keine Dauerlösung")
    quote.locator(".quote-by a").first.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text().startswith("Johnson")
    assert page.locator("#h-quotes ~ ul.quotes li", has_text="Dauerlösung").count() == 1
    page.goto(f"{johnsons}/entities/{BORIS}")
    assert page.locator("h1").inner_text().startswith("Boris Johnson")
    assert page.locator("#h-quotes ~ ul.quotes li", has_text="Dauerlösung").count() == 0
    watched.clean()


def test_search_folds_copies_in_the_browser(watched: Watched, demo_server: str) -> None:
    page = watched.page
    page.goto(f"{demo_server}/search?q=Vardenien")
    note = page.locator("p.muted", has_text="distinct text").inner_text()
    assert re.search(r"\d+ distinct texts: \d+ cop(y|ies) folded", note), note
    folded = page.locator("li.hit details.copies").first
    folded.locator("summary").click()
    assert re.fullmatch(r"also in \d+ cop(y|ies)", folded.locator("summary").inner_text())
    assert folded.locator("li a").first.is_visible()
    assert page.locator("li.hit .snippet mark").count() >= 1
    assert not re.search("[\x02\x03]", page.content())
    watched.clean()
