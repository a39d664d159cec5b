"""The web UI: server-rendered pages, one per JSON twin (same path without /api)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from storyline.web import data, views
from storyline.web.data import reader
from storyline.web.jobs import PANEL_WORKER
from storyline.web.render import query_string
from storyline.web.routes_api import Limit, Offset, Text, config
from storyline.web.storypage import cached_story, render_story_context

router = APIRouter(include_in_schema=False)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    html = env.get_template(template).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


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
                    PANEL_WORKER.want(store.path, [(story_id, version)])
                return HTMLResponse(cached)
        s = views.story_page(store, story_id, events_offset)
        if s.get("panels_pending") or s.get("panels_earlier"):
            PANEL_WORKER.want(store.path, [(story_id, int(s.get("version") or 0))])
    return HTMLResponse(render_story_context(request.app.state.templates, cfg.db_path, s,
                                             version, request.url.path))


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str, offset: Offset = 0,
               quotes_offset: Offset = 0) -> HTMLResponse:
    with reader(config(request)) as store:
        ev = views.event_page(store, event_id, offset, quotes_offset)
    return page(request, "event.html", ev=ev, qs=query_string)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str,
                 mark: Annotated[str | None, Query(max_length=24)] = None,
                 part: Annotated[int | None, Query(ge=1, le=100_000)] = None) -> HTMLResponse:
    with reader(config(request)) as store:
        a = views.article_page(store, article_id, mark, part)
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
