"""The API names stories and events by a headline (`title`), the main actors beside it."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_stories_and_events_carry_a_title(client: TestClient) -> None:
    stories = client.get("/api/stories").json()["stories"]
    assert stories and all(s["title"] and s["label"] for s in stories)
    assert all(isinstance(s["titles"], dict) for s in stories)
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert story["title"] == stories[0]["title"]
    events = story["events"]
    assert events and all(ev["title"] for ev in events)
    event = client.get(f"/api/events/{events[0]['id']}").json()
    assert event["title"] == events[0]["title"]
    ids = {a["id"] for top in event["articles"] for a in (top, *top["copies"])}
    assert event["title_article"] in ids
