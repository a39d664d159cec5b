"""The panel worker's jobs: story panels computed and first pages pre-rendered in a
background process (see `cache.PanelWorker`), shared with every server process through the
caches. Above the data layer and the story page: nothing below imports this module."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from storyline.store.db import Store
from storyline.web import render, storypage
from storyline.web.cache import PanelWorker, keep_panel, shared
from storyline.web.data import PANEL_FUNCS, panel_function, panel_keys, panel_state, story_version

log = logging.getLogger(__name__)

PANEL_IDLE = 2.0  # the panel worker rests this many times as long as its last job took
PANEL_IDLE_MAX = 10.0  # s
_pace = {"rest_until": 0.0}  # the worker process's own pacing (one job at a time)


def panel_job(db_path: Path, story_id: str, version: int) -> list[dict[str, Any] | None]:
    """The story's panels for `version`, computed in the PanelWorker's process (a failure
    costs a panel) and shared with the other server processes, then the first page of the
    story rendered with them (so no request renders it: `storyline serve --workers 2` asked
    each process to render every story once). Paced to at most a third of a core: the
    requests share two cores with an ingest."""
    time.sleep(max(0.0, _pace["rest_until"] - time.monotonic()))
    started = time.monotonic()
    try:
        panels = _panel_job(db_path, story_id)
        for key, value in zip(panel_keys(db_path, story_id, version), panels, strict=True):
            if value is not None:
                keep_panel(key, value)
        _prerender(db_path, story_id, version)
        return panels
    finally:
        took = time.monotonic() - started
        _pace["rest_until"] = time.monotonic() + min(PANEL_IDLE * took, PANEL_IDLE_MAX)


def _panel_job(db_path: Path, story_id: str) -> list[dict[str, Any] | None]:
    store = Store(db_path, readonly=True)
    try:
        out: list[dict[str, Any] | None] = []
        for module, func in PANEL_FUNCS:
            try:
                out.append(panel_function(module, func)(store, story_id))
            except Exception:
                log.exception("%s.%s failed for %s", module, func, story_id)
                out.append(None)
        return out
    finally:
        store.close()


def _prerender(db_path: Path, story_id: str, version: int) -> None:
    store = Store(db_path, readonly=True)
    try:
        _render_first_page(store, story_id, version)
    except Exception:  # the page is then rendered by the first request, as before
        log.exception("pre-rendering %s failed", story_id)
    finally:
        store.close()


def page_job(db_path: Path, stories: list[tuple[str, int]]) -> int:
    """The first page of each story at `version`, as a request would be served it now
    (with the panels there are, of any process), rendered where not yet cached; in the
    PanelWorker's process. The server processes' workers go through the same list at the
    same time, each story claimed by one of them. Returns how many it rendered."""
    store = Store(db_path, readonly=True)
    rendered = 0
    try:
        for story_id, version in stories:
            if story_version(store, story_id) != version or \
                    not shared(db_path).claim(f"page|{story_id}|{version}"):
                continue  # changed since (the next change asks for the new version), or
                # the other process renders it
            state = panel_state(store, story_id, version)
            if storypage.cached_story(db_path, story_id, version, 0, state) is None:
                _render_first_page(store, story_id, version)
                rendered += 1
    finally:
        store.close()
    return rendered


_env: dict[str, Any] = {}  # the worker process's template environment


def _render_first_page(store: Store, story_id: str, version: int) -> None:
    """The story's first page as a request would get it, kept in the caches (worker side)."""
    if "env" not in _env:
        _env["env"] = render.environment()
    storypage.render_story(_env["env"], store, story_id, 0, version, f"/stories/{story_id}")


PANEL_WORKER = PanelWorker(panel_job, panel_keys, page_job)
