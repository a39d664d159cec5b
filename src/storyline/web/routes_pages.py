"""The web UI: server-rendered pages, one per JSON twin (same path without /api)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup

from storyline.store.db import Store
from storyline.web import data, views
from storyline.web.cache import FRAGMENTS, STORY_PAGES
from storyline.web.data import reader
from storyline.web.routes_api import Limit, Offset, Text, config
from storyline.web.sidecar import shared

router = APIRouter(include_in_schema=False)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """Current filters with some changed: for pagination and facet links."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else "?"


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request,
                 date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
                 to: Annotated[str | None, Query(max_length=10)] = None,
                 outlet: Text = None, entity: Text = None, lang: Text = None,
                 sort: Annotated[str | None, Query(max_length=10)] = None,
                 limit: Limit = None, offset: Offset = 0) -> HTMLResponse:
    cfg = config(request)
    f = views.StoryFilters.parse(date_from, to, outlet, entity, lang, sort)
    with reader(cfg) as store:
        result = views.story_list(store, f, limit or cfg.page_size, offset)
        entity_name = data.entity_name(store, f.entity) if f.entity else None
    params = {"from": f.date_from, "to": f.date_to, "outlet": f.outlet, "entity": f.entity,
              "lang": f.lang, "sort": None if f.sort == "size" else f.sort,
              "limit": limit}
    counts = request.app.state.corpus.get()
    return page(request, "stories.html", r=result, f=f, stats=counts["stats"],
                choices=counts["choices"],
                entity_name=entity_name, params=params, qs=query_string)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str, events_offset: Offset = 0) -> HTMLResponse:
    """Rendered once per story version, events page and the versions of the panels shown:
    the page is a pure function of them (grouping bumps the version of every story it
    touches), and during an ingest the same state is asked for again and again. Kept in
    this process and in the sidecar cache the other server processes read."""
    cfg = config(request)
    with reader(cfg) as store:
        version = data.story_version(store, story_id)
        if version is not None:
            state = data.panel_state(store, story_id, version)
            cached = cached_story(cfg.db_path, story_id, version, events_offset, state)
            if cached is not None:
                if any(v != version for v in state):  # earlier panels: still want new ones
                    data.PANEL_WORKER.want(store.path, [(story_id, version)])
                return HTMLResponse(cached)
        s = views.story_page(store, story_id, events_offset)
    return HTMLResponse(render_story_context(request.app.state.templates, cfg.db_path, s,
                                             version, request.url.path))


def _story_key(story_id: str, version: int, events_offset: int,
               state: tuple[int | None, ...]) -> str:
    return f"story|{story_id}|{version}|{events_offset}|{state}"


def cached_story(db_path: Path, story_id: str, version: int, events_offset: int,
                 state: tuple[int | None, ...]) -> bytes | None:
    """The story page rendered for this state by this process or another one."""
    key = (str(db_path), story_id, version, events_offset, state)
    body: bytes | None = STORY_PAGES.get(key)
    if body is None:
        body = shared(db_path).page(_story_key(story_id, version, events_offset, state))
        if body is not None:
            STORY_PAGES.put(key, body)
    return body


def keep_story(db_path: Path, story_id: str, version: int, events_offset: int,
               state: tuple[int | None, ...], body: bytes) -> None:
    """Cache a rendered story page where `cached_story` finds it, here and for the others."""
    STORY_PAGES.put((str(db_path), story_id, version, events_offset, state), body)
    shared(db_path).put_page(_story_key(story_id, version, events_offset, state), body)


def render_story(env: Environment, store: Store, story_id: str, events_offset: int,
                 version: int | None, request_path: str) -> bytes:
    """A story page rendered now (and cached, see `story_page`)."""
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
    key = (str(db_path), s["id"], int(version))
    html = FRAGMENTS.get(key)
    if html is None:
        html = Markup(env.get_template("_comparison.html").render(s=s))
        FRAGMENTS.put(key, html)
    return cast(Markup, html)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    with reader(config(request)) as store:
        ev = views.event_page(store, event_id)
    return page(request, "event.html", ev=ev)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str,
                 mark: Annotated[str | None, Query(max_length=24)] = None) -> HTMLResponse:
    with reader(config(request)) as store:
        a = views.article_page(store, article_id, mark)
    return page(request, "article.html", a=a)


@router.get("/entities/{key:path}", response_class=HTMLResponse)
def entity_page(request: Request, key: str) -> HTMLResponse:
    with reader(config(request)) as store:
        e = views.entity_page(store, key)
    return page(request, "entity.html", e=e)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: Annotated[str, Query(max_length=300)] = "",
                outlet: Text = None, lang: Text = None, story: Text = None,
                limit: Limit = None, offset: Offset = 0) -> HTMLResponse:
    cfg = config(request)
    with reader(cfg) as store:
        result = views.search(store, q, outlet=outlet or None, lang=lang or None,
                              story_id=story or None, limit=limit or cfg.page_size,
                              offset=offset)
        result = views.search_page(store, result)
    params = {"q": q, "outlet": outlet, "lang": lang, "story": story, "limit": limit}
    return page(request, "search.html", r=result, q=q, params=params, qs=query_string)
