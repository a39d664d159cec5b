"""Issue 12's junk gate: trafilatura's evaluation pages (../shared/gold/trafilatura-eval, about
1,000 mostly German web pages on no common story) go through the whole pipeline, and pages a
reader would never put together stay apart, while the few real shared events there hold.

The pairs are the merges read and rejected on this set (issue 12 and its notes): topic pages
joined on vocabulary, related languages on common words, any two pages on years and counts.
Slow (the pipeline over 1,033 pages, about two minutes on two cores)."""

from __future__ import annotations

import json
import tarfile

import pytest

from storyline.eval.runner import build_export
from tests.conftest import SHARED, needs_shared

PAGES = SHARED / "gold" / "trafilatura-eval" / "html.tar.xz"

# (page, page): never one event
APART = [
    ("aktion-hummelschutz.de.hummeln.html", "diarioextra.com-cidh.html"),  # the case
    ("regards.fr.enquetes.html", "parcoabruzzo.it.58354.html"),  # years and counts only
    ("elpais.com.ciencia.html", "lastampa.it.temperature.html"),  # es/it common words
    ("infobae.com-ucrania.html",
     "„Sieci”_ IPN, czyli element infrastruktury krytycznej Tygodnik Sieci.html"),
    ("comparis.ch.autofinanzierung.html", "vergleich.de.leasen.html"),  # car finance
    ("bmjv.de.konsum.html", "energieverbraucher.de.energie.html"),  # gas prices
    ("bmbf.de.energiewende.html", "iass-potsdam.de.energiewende.html"),  # energy transition
]
# (page, page): never one story (the issue: oil statistics chained to Nicaraguan debt)
APART_STORIES = [("bafa.de-mineraloelabsatz.html", "100noticias.com-millones.html"),
                 ("aktion-hummelschutz.de.hummeln.html", "diarioextra.com-cidh.html")]
# (page, page): one event (the Brexit vote in two papers; the BVI premier's arrest)
TOGETHER = [("d42c68f1b0f4408b81cf8f00bbe1a631.html", "d70fab3adde74d5fb63552855c981395.html"),
            ("thestkittsnevisobserver.com-bvi.html", "stluciatimes.com-dea.html")]
MAX_EVENTS = 25  # multi-article events: 28 before issue 12's junk work, 22 after it


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    if not PAGES.exists():
        pytest.skip("trafilatura-eval pages not in ../shared")
    from storyline import settings as settings_mod

    work = tmp_path_factory.mktemp("junk")
    with tarfile.open(PAGES) as tar:
        # extractall(filter="data") needs Python 3.11.4; Debian's 3.11.2 is CI's python3
        members = [m for m in tar.getmembers() if m.isfile() and ".." not in m.name
                   and not m.name.startswith("/")]
        tar.extractall(work / "pages", members=members)  # noqa: S202 (checked above)
    export = build_export([str(work / "pages")], settings_mod.load(), work, workers=2)
    return {r["source_name"]: r for r in map(json.loads, export.open(encoding="utf-8"))}


@needs_shared
@pytest.mark.slow
def test_unrelated_pages_stay_apart_and_real_events_hold(
        rows: dict[str, dict[str, object]]) -> None:
    for a, b in APART:
        assert rows[a]["event_id"] != rows[b]["event_id"], (a, b)
    for a, b in APART_STORIES:
        assert rows[a]["story_id"] != rows[b]["story_id"], (a, b)
    for a, b in TOGETHER:
        assert rows[a]["event_id"] == rows[b]["event_id"], (a, b)
    sizes: dict[object, int] = {}
    for row in rows.values():
        sizes[row["event_id"]] = sizes.get(row["event_id"], 0) + 1
    assert sum(1 for n in sizes.values() if n > 1) <= MAX_EVENTS
