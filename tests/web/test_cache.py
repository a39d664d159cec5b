"""The web caches: a story panel is reused only for the same story version; corpus counts
follow the database after a change (in the background) and serve the last value meanwhile."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storyline.store import Store, queries
from storyline.web import cache, data, jobs, storypage, views
from storyline.web.cache import LRU, Snapshot


def new_process(monkeypatch: pytest.MonkeyPatch, db_path: Path | None = None) -> None:
    """This process's caches emptied, as in another server process; with `db_path` the
    sidecar shared between the processes is emptied too (as if no process had rendered)."""
    for name in ("PANELS", "LATEST", "STORY_PAGES", "FRAGMENTS"):
        monkeypatch.setattr(cache, name, cache.LRU(512))
    monkeypatch.setattr(storypage, "STORY_PAGES", cache.STORY_PAGES)
    monkeypatch.setattr(storypage, "FRAGMENTS", cache.FRAGMENTS)
    if db_path is not None:
        # a panel job an earlier test left running would write into the cleared sidecar
        # mid-test (a flaky 'earlier panels' page under load): it is ended first
        jobs.PANEL_WORKER.close()
        cache.shared(db_path).clear()


def test_lru_keeps_the_most_recently_used() -> None:
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # "a" is now the most recent
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1 and lru.get("c") == 3


def test_snapshot_recounts_after_a_commit(tmp_path: Path) -> None:
    path = tmp_path / "snap.db"
    Store(path).close()
    snap = Snapshot(path, lambda s: queries.stats(s)["skipped"], min_interval=0)
    assert snap.get() == 0
    writer = Store(path)
    try:
        with writer.transaction() as conn:
            conn.execute("INSERT INTO skipped (source, record, reason, at) "
                         "VALUES ('x', 1, 'test', 'now')")
    finally:
        writer.close()
    first = snap.get()  # starts the recount; serves the last value meanwhile
    assert first in (0, 1)
    deadline = time.monotonic() + 10
    while snap.get() != 1:
        assert time.monotonic() < deadline, "the snapshot never caught up"
        time.sleep(0.02)


def test_story_panels_are_cached_per_version(db_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake(store: Store, story_id: str) -> dict[str, str]:
        calls.append(story_id)
        return {"story_id": story_id}

    monkeypatch.setattr(data, "panel_function", lambda module, func: fake)
    store = Store(db_path, readonly=True)
    try:
        for version in (1, 1, 2):
            assert data.panel(store, "timeline", "x", "st-test", version) == {
                "story_id": "st-test"}
        data.panel(store, "timeline", "x", "st-test")  # no version: never cached
    finally:
        store.close()
    assert calls == ["st-test", "st-test", "st-test"]


def test_long_story_panels_come_from_the_background(client: TestClient, db_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the inline size the page does not wait for the panels: it says they are on
    their way, and a later view shows them once the worker has computed them."""
    monkeypatch.setattr(views, "INLINE_PANELS_MAX_ARTICLES", 0)
    new_process(monkeypatch, db_path)
    story = client.get("/api/stories", params={"limit": 1}).json()["stories"][0]
    first = client.get(f"/stories/{story['id']}").text
    assert "being computed" in first or 'class="tl-entry"' in first
    deadline = time.monotonic() + 30
    while "being computed" in client.get(f"/stories/{story['id']}").text:
        assert time.monotonic() < deadline, "the panels never arrived"
        time.sleep(0.1)


def test_readers_are_kept_between_requests_but_not_mid_read(db_path: Path) -> None:
    """A connection returns to the pool after a request; one still holding a read snapshot
    (a statement not yet finished) is closed instead, so it cannot pin the WAL."""
    readers = data.Readers(keep=2)
    first = readers.take(db_path)
    readers.give(first)
    assert readers.take(db_path) is first
    busy = readers.take(db_path)
    busy.conn.execute("BEGIN")
    busy.conn.execute("SELECT COUNT(*) FROM articles").fetchone()
    readers.give(busy)
    assert readers.take(db_path) is not busy


def test_a_changed_story_shows_its_earlier_panels_meanwhile(
        client: TestClient, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While the panels of a story's new version are computed, its page shows the last
    ones computed (marked as earlier) instead of none."""
    monkeypatch.setattr(views, "INLINE_PANELS_MAX_ARTICLES", 0)
    new_process(monkeypatch, db_path)
    monkeypatch.setattr(jobs.PANEL_WORKER, "want", lambda *a, **k: None)  # never arrives
    story = client.get("/api/stories", params={"limit": 1}).json()["stories"][0]
    store = Store(db_path, readonly=True)
    try:
        for module, func in data.PANEL_FUNCS:  # computed for an earlier version
            assert data.panel(store, module, func, story["id"], -1) is not None
    finally:
        store.close()
    for name in ("PANELS", "STORY_PAGES"):  # this process forgets the current panels
        monkeypatch.setattr(cache, name, cache.LRU(512))
    monkeypatch.setattr(storypage, "STORY_PAGES", cache.STORY_PAGES)
    html = client.get(f"/stories/{story['id']}").text
    assert "show an earlier state" in html and "being computed" not in html
    assert 'class="tl-entry"' in html and "How outlets covered it" in html
    monkeypatch.setattr(views, "story_page", None)  # the same state again: from the cache
    assert client.get(f"/stories/{story['id']}").text == html


def test_story_pages_are_rendered_once_per_version(client: TestClient, db_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    new_process(monkeypatch, db_path)
    story = client.get("/api/stories", params={"limit": 1}).json()["stories"][0]
    first = client.get(f"/stories/{story['id']}").text
    calls: list[str] = []
    real = views.story_page

    def counted(store: Store, story_id: str, events_offset: int = 0) -> dict[str, object]:
        calls.append(story_id)
        return real(store, story_id, events_offset)

    monkeypatch.setattr(views, "story_page", counted)
    again = client.get(f"/stories/{story['id']}")
    assert again.text == first and calls == []
    assert again.headers["content-security-policy"]  # headers still come per response
    version = data.story_version
    monkeypatch.setattr(data, "story_version", lambda store, sid: (version(store, sid) or 0) + 1)
    assert client.get(f"/stories/{story['id']}").text == first and calls == [story["id"]]


def test_article_leads_are_read_once(db_path: Path) -> None:
    store = Store(db_path, readonly=True)
    ids = [r["id"] for r in store.query("SELECT id FROM articles LIMIT 3")]
    first = data.leads(store, ids)
    assert set(first) == set(ids) and all(first.values())
    store.close()  # a second read would fail: the leads come from the cache
    assert data.leads(store, ids) == first


def test_a_story_page_rendered_by_one_process_serves_another(
        client: TestClient, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new_process(monkeypatch, db_path)
    monkeypatch.setattr(jobs, "PANEL_IDLE", 0.0)
    story, version = _first_story(client, db_path)
    # the panels first: a background panel job finishing between the two requests changed
    # the page's state (panels shown), so the second process rendered anew (a flaky test)
    jobs.panel_job(db_path, story["id"], version)
    first = client.get(f"/stories/{story['id']}").text
    new_process(monkeypatch)  # another process: nothing rendered in it
    monkeypatch.setattr(views, "story_page", None)
    assert client.get(f"/stories/{story['id']}").text == first


def _first_story(client: TestClient, db_path: Path) -> tuple[dict[str, Any], int]:
    """The front page's first story and its current version."""
    story = client.get("/api/stories", params={"limit": 1}).json()["stories"][0]
    store = Store(db_path, readonly=True)
    try:
        version = data.story_version(store, story["id"])
    finally:
        store.close()
    assert version is not None
    return story, version


def test_the_panel_worker_prerenders_the_first_story_page(
        client: TestClient, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The panel job computes the panels, shares them and renders the story's first page:
    a process that never saw the story serves it without rendering, and it is the page a
    request renders from scratch (so panels read back from the sidecar render the same)."""
    new_process(monkeypatch, db_path)
    monkeypatch.setattr(jobs, "PANEL_IDLE", 0.0)
    story, version = _first_story(client, db_path)
    panels = jobs.panel_job(db_path, story["id"], version)
    assert all(p is not None for p in panels)
    new_process(monkeypatch)
    real = views.story_page
    monkeypatch.setattr(views, "story_page", None)
    served = client.get(f"/stories/{story['id']}").text
    assert 'class="tl-entry"' in served and "How outlets covered it" in served
    monkeypatch.setattr(views, "story_page", real)
    new_process(monkeypatch)  # panels from the sidecar (JSON), the page rendered here
    cache.shared(db_path)._run("DELETE FROM pages", [])
    assert client.get(f"/stories/{story['id']}").text == served
    new_process(monkeypatch, db_path)  # and from nothing at all
    assert client.get(f"/stories/{story['id']}").text == served


def test_the_panel_worker_prerenders_front_pages_before_their_panels(
        client: TestClient, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`page_job` renders the page a request would get now (here: panels still on their
    way), once: a process that never saw the story serves it without rendering."""
    monkeypatch.setattr(views, "INLINE_PANELS_MAX_ARTICLES", 0)
    new_process(monkeypatch, db_path)
    story, version = _first_story(client, db_path)
    items = [(story["id"], version), (story["id"], version - 1)]  # the second is outdated
    assert cache._as_job(jobs.page_job, False, db_path, items) == 1
    assert cache._as_job(jobs.page_job, False, db_path, items) == 0  # rendered already
    new_process(monkeypatch)
    monkeypatch.setattr(jobs.PANEL_WORKER, "want", lambda *a, **k: None)
    monkeypatch.setattr(views, "story_page", None)
    assert "being computed" in client.get(f"/stories/{story['id']}").text
