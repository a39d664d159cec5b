"""Shared fixtures: one real database per session (seeds, the demo corpus, one hostile
article), the app in-process, and for the browser tests the same app under uvicorn."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from storyline import settings as settings_mod
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.store import Store
from storyline.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / ".." / "shared" / "seeds"
DEMO = REPO / "demo" / "corpus"
CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE: dict[str, Any] = {
    "id": "hostile-1",
    "title": f"{SCRIPT} Hostile headline {IMG}",
    "url": "javascript:alert(1)",
    "outlet": "<b onmouseover=alert(1)>evil-outlet</b>",
    "date": "2016-09-28",
    "text": (f"Berlin - Ein Testartikel mit gefährlichem Inhalt: {SCRIPT} und dazu {IMG} "
             "mitten im Text. Außenminister Sergej Lawrow sagte: \"Das ist <b>kein</b> "
             "Markup.\" Am 27. September 2016 wurden mindestens 12 Menschen verletzt, "
             "berichtete die Agentur."),
}


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_mod.load()


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"seed articles missing at {SEEDS.resolve()}")
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "web.db"
    inputs = [str(SEEDS), *([str(DEMO)] if DEMO.is_dir() else []), str(hostile)]
    store = Store(path)
    try:
        run_ingest(store, inputs, settings)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def app(db_path: Path, settings: Settings) -> FastAPI:
    return create_app(db_path, settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def hostile_id(client: TestClient) -> str:
    hits = client.get("/api/search", params={"q": "Testartikel gefährlichem"}).json()["hits"]
    assert hits, "the hostile test article was not ingested"
    return str(hits[0]["id"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free port of 127.0.0.1."""
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; a missing browser fails loudly unless
    STORYLINE_SKIP_BROWSER=1 (a skip nobody asked for would hide a broken UI)."""
    if os.environ.get("STORYLINE_SKIP_BROWSER") == "1":
        pytest.skip("STORYLINE_SKIP_BROWSER=1")
    if not CHROMIUM.exists():
        found = shutil.which("chromium")
        pytest.fail(f"{CHROMIUM} is missing ({found or 'no chromium on PATH'}): install it with "
                    "`apt-get install -y chromium` (make browser), or set "
                    "STORYLINE_SKIP_BROWSER=1 to skip the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


class Watched:
    """A page with every dialog, console error and uncaught exception recorded."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def clean(self) -> None:
        assert self.dialogs == [], f"a dialog opened: {self.dialogs}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture()
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Watched(page)
    context.close()
