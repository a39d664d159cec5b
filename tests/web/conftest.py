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
from tests.conftest import require_shared

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
    require_shared()  # the pages are checked on the seeds (beside the demo)
    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    path = folder / "web.db"
    inputs = [*([str(DEMO)] if DEMO.is_dir() else []), str(hostile)]
    store = Store(path)
    try:
        # the seeds' folder name is no host name: the tests know their outlet as "seeds"
        run_ingest(store, [str(SEEDS)], settings, outlet="seeds")
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


def _serve(app: FastAPI) -> Iterator[str]:
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
def server(app: FastAPI) -> Iterator[str]:
    yield from _serve(app)


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


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: unisolated, it reverses the text after it
LONG_TITLE = "Brückensperrung " * 125  # 2,000 characters
CONTROL_TITLE = "\x01\x02\x03\x07\x08\x1b[31m\x7f\x9b"


def huge_text(chars: int) -> str:
    """A wall of short direct quotes (the issue's 1 MB article had 3,791 of them)."""
    parts: list[str] = []
    i = size = 0
    while size < chars:
        i += 1
        part = (f"„Wir bauen die Brücke Nummer {i} bis zum Sommer neu“, sagte Bürgermeister "
                "Hans Keller am Montag in Mainz. " + ("\n\n" if i % 8 == 0 else ""))
        parts.append(part)
        size += len(part)
    return "".join(parts)


ODD: list[dict[str, Any]] = [
    {"id": "oneday-1", "outlet": "rheinblatt.de", "date": "2025-06-03",
     "title": "Brücke in Koblenz gesperrt",
     "text": "Koblenz - Die Pfaffendorfer Brücke in Koblenz ist seit Dienstagmorgen gesperrt. "
             "Ein Gutachter hatte Risse im Tragwerk gefunden, sagte Oberbürgermeister David "
             "Langner. Die Sperrung soll bis zum 20. Juni dauern. Pendler müssen Umwege von bis "
             "zu 30 Minuten einplanen, teilte die Stadtverwaltung mit."},
    {"id": "oneday-2", "outlet": "koblenzer-zeitung.de", "date": "2025-06-03",
     "title": "Pfaffendorfer Brücke: Risse im Tragwerk",
     "text": "Koblenz - Wegen Rissen im Tragwerk hat die Stadt Koblenz die Pfaffendorfer "
             "Brücke am Dienstag gesperrt. Oberbürgermeister David Langner sagte, die "
             "Sicherheit gehe vor. Die Brücke bleibt bis zum 20. Juni zu, Pendler müssen "
             "Umwege einplanen."},
    {"id": "undated-1", "outlet": "ohne-datum.example", "title": "Ein Leuchtturm ohne Datum",
     "text": "Der Leuchtturm auf der Hallig Gröde wird von Freiwilligen gestrichen. Die "
             "Gemeinde stellt Farbe und Gerüste, die Arbeiten ruhen bei Sturm. Wann der "
             "Anstrich fertig wird, steht noch nicht fest."},
    {"id": "rtl-1", "outlet": f"{RLO}evil-outlet", "date": "2025-07-01",
     "title": "مدينة حلب 🌍 تستعد لفصل الشتاء",
     "text": "تستعد مدينة حلب لفصل الشتاء. قال رئيس البلدية إن المدارس ستفتح أبوابها في "
             "الأول من أكتوبر 🏫. وأضاف أن المياه والكهرباء متوفرة في معظم الأحياء."},
    {"id": "empty-title", "outlet": "leer.example", "date": "2025-08-01", "title": "",
     "text": "Die Kegelbahn in Oberwiesenthal schließt nach 60 Jahren. Der Verein sucht "
             "neue Räume für seine Mitglieder, sagte die Vorsitzende Ilse Körner."},
    {"id": "long-title", "outlet": "lang.example", "date": "2025-08-02", "title": LONG_TITLE,
     "text": "Die Fähre zwischen Kaub und Engelsburg fährt wieder nach Fahrplan. Das "
             "Hochwasser ist zurückgegangen, teilte die Reederei am Freitag mit."},
    {"id": "control-title", "outlet": "steuer\x07zeichen.example", "date": "2025-08-03",
     "title": CONTROL_TITLE,
     "text": "Im Tierpark Hirschfeld ist ein Wisent geboren worden. Das Kalb sei gesund, "
             "sagte Tierpflegerin Anke Lorenz am Sonntag.\x07"},
    {"id": "big-1", "outlet": "mainzer-echo.de", "date": "2025-05-05",
     "title": "Mainz baut Brücken", "text": huge_text(300_000)},
]


@pytest.fixture(scope="session")
def odd_db(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Path:
    """A database of the issue's bad inputs: a one-day story, an undated one-article story,
    right-to-left text with an override in the outlet, emoji, empty/2,000-character/control
    character titles, and a 300 KB article of a thousand quotes."""
    folder = tmp_path_factory.mktemp("odd")
    src = folder / "odd.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ODD), "utf-8")
    path = folder / "odd.db"
    store = Store(path)
    try:
        run_ingest(store, [str(src)], settings)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def odd_client(odd_db: Path, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(odd_db, settings)) as c:
        yield c


@pytest.fixture(scope="session")
def odd_server(odd_db: Path, settings: Settings) -> Iterator[str]:
    yield from _serve(create_app(odd_db, settings))


def whole_article(client: TestClient, article_id: str) -> dict[str, Any]:
    """An article from the API, its parts (a long one comes in parts) put together."""
    first: dict[str, Any] = client.get(f"/api/articles/{article_id}").json()
    following = first["next_part"]
    while following:
        part = client.get(f"/api/articles/{article_id}", params={"part": following}).json()
        assert part["part_start"] == len(first["text"])
        first["text"] += part["text"]
        for kind in ("entities", "quotes", "dates", "figures"):
            first[kind] += part[kind]
        following = part["next_part"]
    return first


def odd_article(client: TestClient, source_name: str) -> dict[str, Any]:
    """The stored article ingested from the ODD record with this id."""
    for s in client.get("/api/stories", params={"limit": 200}).json()["stories"]:
        for ev in client.get(f"/api/stories/{s['id']}").json()["events"]:
            for a in ev["articles"]:
                for x in (a, *a["copies"]):
                    if x["source_name"] == source_name:
                        return whole_article(client, x["id"])
    raise AssertionError(f"{source_name} not ingested")


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[str]:
    """The bundled demo corpus alone (for the screenshots in docs/screenshots)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path)
    try:
        run_ingest(store, [str(DEMO)], settings)
    finally:
        store.close()
    yield from _serve(create_app(path, settings))
