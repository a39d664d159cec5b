"""The REST API: the JSON twin of every page, under /api/ (OpenAPI at /openapi.json)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from storyline.web import bounded, schemas, views
from storyline.web.data import WebConfig, reader
from storyline.web.schemas import ok

router = APIRouter(prefix="/api", tags=["api"])

Limit = Annotated[int | None, Query(ge=1, le=200, description="page size (default: settings)")]
MAX_OFFSET = 1_000_000  # beyond, 422 (2**63 used to reach SQLite and give a 500)
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Text = Annotated[str | None, Query(max_length=300)]


def config(request: Request) -> WebConfig:
    cfg: WebConfig = request.app.state.web
    return cfg


@router.get("/stats", response_model=None, responses=ok(schemas.Stats))
def api_stats(request: Request) -> dict[str, Any]:
    """Corpus size: articles, duplicates, events, stories, outlets, languages (recounted in
    the background after the database changed, so during an ingest it may lag a batch)."""
    stats: dict[str, Any] = request.app.state.corpus.get()["stats"]
    return stats


@router.get("/stories", response_model=None, responses=ok(schemas.StoryList))
def api_stories(request: Request, date_from: Annotated[str | None, Query(
                    alias="from", max_length=10, description="YYYY[-MM[-DD]]")] = None,
                to: Annotated[str | None, Query(max_length=10)] = None,
                outlet: Text = None, entity: Text = None, lang: Text = None,
                sort: Annotated[str | None, Query(pattern="^(size|recent)?$")] = None,
                limit: Limit = None, offset: Offset = 0) -> dict[str, Any]:
    """Stories, largest first (or `sort=recent`), with coverage per day or month."""
    cfg = config(request)
    f = views.StoryFilters.parse(date_from, to, outlet, entity, lang, sort)
    with reader(cfg) as store:
        return views.story_list(store, f, limit or cfg.page_size, offset)


@router.get("/stories/{story_id}", response_model=None, responses=ok(schemas.Story))
def api_story(request: Request, story_id: str,
              events_offset: Offset = 0,
              events_limit: Annotated[int, Query(ge=1, le=500)] = views.API_EVENTS
              ) -> dict[str, Any]:
    """One story: a page of its events with articles (copies folded; `more` counts articles
    left out of a very large event), top entities, the first quotes and figures
    (`n_quotes` counts all); `next_events_offset` pages through the events."""
    with reader(config(request)) as store:
        return bounded.story(store, story_id, events_offset, events_limit)


@router.get("/stories/{story_id}/timeline", response_model=None,
            responses=ok(schemas.Timeline))
def api_timeline(request: Request, story_id: str) -> dict[str, Any]:
    """Dated timeline entries, each with its evidence and the outlets that reported it."""
    with reader(config(request)) as store:
        return views.corpus_panel(store, story_id, "timeline", "story_timeline")


@router.get("/stories/{story_id}/comparison", response_model=None,
            responses=ok(schemas.Comparison))
def api_comparison(request: Request, story_id: str) -> dict[str, Any]:
    """How outlets covered the story: first reporter, wire copies, words, figure conflicts."""
    with reader(config(request)) as store:
        return views.corpus_panel(store, story_id, "compare", "story_comparison")


@router.get("/events/{event_id}", response_model=None, responses=ok(schemas.Event))
def api_event(request: Request, event_id: str, offset: Offset = 0,
              limit: Annotated[int, Query(ge=1, le=200)] = bounded.API_EVENT_ARTICLES,
              quotes_offset: Offset = 0,
              quotes_limit: Annotated[int, Query(ge=1, le=500)] = views.API_FACTS
              ) -> dict[str, Any]:
    """One event: a page of its articles (copies folded, `n_copies` each; `n_top` counts
    the texts, `next_offset` pages on) and of its distinct quotes (`also_in` counts the
    copies repeating one; `next_quotes_offset`)."""
    with reader(config(request)) as store:
        return bounded.event(store, event_id, offset, limit, quotes_offset, quotes_limit)


@router.get("/articles/{article_id}", response_model=None, responses=ok(schemas.Article))
def api_article(request: Request, article_id: str,
                part: Annotated[int, Query(ge=1, le=MAX_OFFSET)] = 1) -> dict[str, Any]:
    """An article with its clean text and facts (offsets into the whole clean text). One
    whose record would near 1 MB comes in parts (`parts`, `next_part`): `text` is then
    `text[part_start:part_end]` with the facts starting there, `raw_text` null."""
    with reader(config(request)) as store:
        return views.found(bounded.article(store, article_id, part), "article", article_id)


@router.get("/entities/{key:path}", response_model=None, responses=ok(schemas.EntityPage))
def api_entity(request: Request, key: str) -> dict[str, Any]:
    """An entity by key (`PER:lawrow`): name variants, roles, mentions over time, quotes."""
    with reader(config(request)) as store:
        return views.entity(store, key)


@router.get("/search", response_model=None, responses=ok(schemas.SearchResult))
def api_search(request: Request, q: Annotated[str, Query(max_length=300)] = "",
               outlet: Text = None, lang: Text = None, story: Text = None,
               limit: Limit = None, offset: Offset = 0) -> dict[str, Any]:
    """Full-text search (prefix or lemma per word); facets by outlet, language and story."""
    cfg = config(request)
    with reader(cfg) as store:
        return views.search(store, q, outlet=outlet or None, lang=lang or None,
                            story_id=story or None, limit=limit or cfg.page_size,
                            offset=offset)
