"""The story page as HTML, rendered once per story version and kept where every server
process finds it: the request route and the panel worker's pre-rendering both come here.

Below the routes and above the views: it knows templates and caches, never a request."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from jinja2 import Environment
from markupsafe import Markup

from storyline.store.db import Store
from storyline.web import data, outlets, views
from storyline.web.cache import FRAGMENTS, STORY_PAGES
from storyline.web.render import query_string
from storyline.web.sidecar import shared


def _story_key(story_id: str, version: int, events_offset: int,
               state: tuple[int | None, ...]) -> str:
    """The sidecar key: the page also shows the outlet profiles (a file the user edits)."""
    return f"story|{story_id}|{version}|{events_offset}|{state}|{outlets.current().digest}"


def _local_key(db_path: Path, story_id: str, version: int, events_offset: int,
               state: tuple[int | None, ...]) -> tuple[Any, ...]:
    return (str(db_path), story_id, version, events_offset, state, outlets.current().digest)


def cached_story(db_path: Path, story_id: str, version: int, events_offset: int,
                 state: tuple[int | None, ...]) -> bytes | None:
    """The story page rendered for this state by this process or another one."""
    key = _local_key(db_path, story_id, version, events_offset, state)
    body: bytes | None = STORY_PAGES.get(key)
    if body is None:
        body = shared(db_path).page(_story_key(story_id, version, events_offset, state))
        if body is not None:
            STORY_PAGES.put(key, body)
    return body


def keep_story(db_path: Path, story_id: str, version: int, events_offset: int,
               state: tuple[int | None, ...], body: bytes) -> None:
    """Cache a rendered story page where `cached_story` finds it, here and for the others."""
    STORY_PAGES.put(_local_key(db_path, story_id, version, events_offset, state), body)
    shared(db_path).put_page(_story_key(story_id, version, events_offset, state), body)


def render_story(env: Environment, store: Store, story_id: str, events_offset: int,
                 version: int | None, request_path: str) -> bytes:
    """A story page rendered now (and cached, see `routes_pages.story_page`)."""
    s = views.story_page(store, story_id, events_offset)
    return render_story_context(env, store.path, s, version, request_path)


def render_story_context(env: Environment, db_path: Path, s: dict[str, Any],
                         version: int | None, request_path: str) -> bytes:
    s["comparison_html"] = comparison_html(env, db_path, s)
    body = env.get_template("story.html").render(request_path=request_path, s=s,
                                                 qs=query_string).encode()
    if version is not None and s.get("version") == version:  # stored under what it shows:
        # a page saying its panels are on their way is not served once they are there (the
        # state differs then)
        keep_story(db_path, s["id"], version, s["events_offset"], data.shown_state(s), body)
    return body


def comparison_html(env: Environment, db_path: Path, s: dict[str, Any]) -> Markup | None:
    """The outlet comparison rendered once per story version (it is a pure function of the
    cached panel, and a long story's table and word lists took longer to render than all
    the page's queries); None while the panel is on its way."""
    if s.get("comparison") is None:
        return None
    version = (s.get("panels_earlier") or {}).get("compare", s.get("version") or 0)
    key = (str(db_path), s["id"], int(version), outlets.current().digest)
    html = FRAGMENTS.get(key)
    if html is None:
        html = Markup(env.get_template("_comparison.html").render(s=s))
        FRAGMENTS.put(key, html)
    return cast(Markup, html)
