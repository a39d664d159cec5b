"""The app factory behind `storyline serve`, the API tests and the browser tests.

Pages are server-rendered (Jinja2, autoescape on); every page has a JSON twin under /api/.
Headers: a strict Content-Security-Policy on HTML (no inline script, no CDN: plotly.js is
served from the installed `plotly` package), nosniff and a referrer policy on everything.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storyline.settings import Settings
from storyline.store import queries
from storyline.store.db import QueryTimeout, Store, writable
from storyline.store.search import fts_query
from storyline.web import data, outlets, render, routes_api, routes_pages
from storyline.web.cache import Snapshot
from storyline.web.data import WebConfig
from storyline.web.jobs import PANEL_WORKER
from storyline.web.views import BadRequest, NotFound

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
# plotly.js styles its elements through the CSSOM (allowed under CSP), but it first appends
# an EMPTY <style id="plotly.js-style-global"> and fills it with insertRule, and it appends the
# (unused) maplibre stylesheet. Instead of 'unsafe-inline' we allow exactly those two inline
# <style> contents by hash: the empty string, and plotly 7.1's maplibre CSS (if an upgrade
# changes it, the browser tests report the CSP violation; only map traces would lose style).
PLOTLY_STYLE_HASHES = ("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
                       "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='")
CSP = ("default-src 'self'; script-src 'self'; "
       f"style-src 'self' {' '.join(PLOTLY_STYLE_HASHES)}; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering): headers on every response, CSP on HTML."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                ctype = dict(headers).get(b"content-type", b"")
                headers += [(b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"),
                            (b"x-frame-options", b"DENY")]
                if ctype.startswith(b"text/html"):
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD answered like GET without the body (routes are declared for GET only; FastAPI
    answers HEAD with 405). Headers, Content-Length included, are those of the GET."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def plotly_js() -> Path | None:
    path = Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))
    return path if path.is_file() else None


VENDOR_TYPES = {".js": "text/javascript", ".css": "text/css"}


def vendor_file(name: str) -> Path | None:
    """A third-party asset served from its installed package (no CDN): plotly.js, and the
    Swagger UI of /docs from fastapi-offline's copy."""
    if name == "plotly.min.js":
        return plotly_js()
    if name not in ("swagger-ui-bundle.js", "swagger-ui.css"):
        return None
    try:
        path = Path(str(resources.files("fastapi_offline") / "static" / name))
    except ModuleNotFoundError:
        return None
    return path if path.is_file() else None


def corpus_counts(store: Store) -> dict[str, Any]:
    """Header counts and filter choices: corpus-wide, so cached (see web.cache.Snapshot).
    Runs after each change, so it also asks for the front page's stories: their pages
    rendered, then their panels."""
    PANEL_WORKER.want(store.path, data.front_stories(store), pages=True)
    return {"stats": queries.stats(store), "choices": data.choices(store)}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    PANEL_WORKER.close()


def app_from_env() -> FastAPI:
    """Factory for multi-process serving (`storyline serve --workers N`): each uvicorn worker
    builds its app from $STORYLINE_DB and $STORYLINE_CONFIG."""
    from storyline import settings as settings_mod

    return create_app(Path(os.environ.get("STORYLINE_DB", "storyline.db")), settings_mod.load())


def create_app(db_path: Path, settings: Settings) -> FastAPI:
    web = settings.section("web")
    outlets.configure(web.get("outlets_file") or None)
    for problem in outlets.current().errors:  # the comparison panel shows them too
        log.warning("%s", problem)
    if writable(db_path):  # create and migrate once, so per-request readers can open it
        Store(db_path).close()
    app = FastAPI(title="storyline", version="0.1.0", docs_url=None, redoc_url=None,
                  lifespan=_lifespan,
                  description="News stories, events, articles, entities and search. "
                              "Every HTML page has this JSON twin under /api/.")
    app.state.web = WebConfig(Path(db_path), int(web.get("query_timeout_ms", 2000)),
                              int(web.get("page_size", 25)))
    app.state.templates = render.environment()
    app.state.corpus = Snapshot(Path(db_path), corpus_counts)
    threading.Thread(target=app.state.corpus.get, daemon=True, name="storyline-counts").start()
    fts_query("Haus")  # loads simplemma's German and English dictionaries (~2 s) now, not
    # in the first search request

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        path = vendor_file(name)
        if path is None:
            return Response(f"{name} not installed", status_code=404, media_type="text/plain")
        return FileResponse(path, media_type=VENDOR_TYPES[path.suffix],
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        return routes_pages.page(request, "docs.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)
    _error_handlers(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app


def _error(request: Request, status: int, title: str, detail: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": title, "detail": detail, "status": status}, status)
    return routes_pages.page(request, "error.html", status=status, status_code=status,
                             title=title, detail=detail)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, f"Unknown {exc.kind}", str(exc))

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return _error(request, 400, "Bad request", str(exc))

    @app.exception_handler(QueryTimeout)
    async def timeout(request: Request, exc: QueryTimeout) -> Response:
        return _error(request, 503, "Query took too long",
                      f"The database did not answer in time ({exc}). Narrow the filters "
                      "or try again in a moment.")

    @app.exception_handler(sqlite3.OperationalError)
    async def db_error(request: Request, exc: sqlite3.OperationalError) -> Response:
        return _error(request, 503, "Database busy", f"The database could not answer: {exc}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        titles: dict[int, Any] = {404: "Page not found", 405: "Method not allowed"}
        return _error(request, exc.status_code, titles.get(exc.status_code, "Error"),
                      str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "Invalid parameters", "status": 422,
                                 "detail": jsonable_errors(exc)}, 422)
        return _error(request, 422, "Invalid parameters",
                      "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}"
                                for e in exc.errors()))


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
