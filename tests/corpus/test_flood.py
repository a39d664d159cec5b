"""Issue 12's bad input at the grouping level: a story of 500 near-identical copies is
grouped (one event, one story, every copy pointing at one canonical article), `why` says
so, and the cost of placing a copy does not grow with the flood."""

from __future__ import annotations

import json
import time
from pathlib import Path

from typer.testing import CliRunner

from storyline import settings as settings_mod
from storyline.cli import app
from storyline.corpus.dedup import DedupIndex
from storyline.corpus.events import StoryIndex
from storyline.corpus.features import featurize
from storyline.model import Article

COPIES = 500
# Written for this test: a short wire report that 500 sites print with one word changed.
REPORT = (
    "Kleinheim (dpa) - Nach dem Brand einer Lagerhalle im Gewerbegebiet Kleinheim-Nord hat die "
    "Polizei am Dienstag die Ermittlungen aufgenommen. Das Feuer war in der Nacht aus bisher "
    "ungeklärter Ursache ausgebrochen, teilte ein Sprecher der Feuerwehr mit. Rund achtzig "
    "Einsatzkräfte waren bis zum Morgen vor Ort, verletzt wurde niemand. Der Schaden wird auf "
    "mehrere hunderttausend Euro geschätzt. Anwohner wurden gebeten, Fenster und Türen "
    "geschlossen zu halten. Die Bundesstraße zwischen Kleinheim und Großdorf blieb bis zum "
    "Mittag gesperrt.")


def copy(i: int) -> str:
    words = REPORT.split()
    words[(i * 7) % len(words)] = f"Wort{i}"
    return " ".join(words)


def test_five_hundred_copies_are_one_event_at_a_flat_cost() -> None:
    cfg = settings_mod.load(path=Path("/nonexistent"))
    dedup, events = DedupIndex(cfg), StoryIndex(cfg)
    placed, times = set(), []
    for i in range(COPIES):
        art = Article(source=f"c{i}", raw_text=copy(i), text=copy(i), lang="de",
                      published="2024-03-05", published_source="given")
        art.outlet = f"site{i}.example"
        feats = featurize(art, cfg)
        started = time.perf_counter()
        dedup.add(art.id, feats)
        placed.add(events.add(art.id, feats, dedup.followed))
        times.append(time.perf_counter() - started)
    assert len(placed) == 1  # one event and one story
    assert sum(times[-100:]) < 3 * sum(times[100:200]) + 0.05  # flat, not growing


def test_a_flood_of_copies_through_ingest_is_grouped_with_a_reason(tmp_path: Path) -> None:
    folder = tmp_path / "flood"
    folder.mkdir()
    for i in range(COPIES):
        (folder / f"copy{i:03d}.txt").write_text(copy(i) + "\n", "utf-8")
    db, runner = tmp_path / "flood.db", CliRunner()
    result = runner.invoke(app, ["--db", str(db), "ingest", str(folder), "--workers", "1",
                                 "--outlet", "wire.example"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in
            runner.invoke(app, ["--db", str(db), "export"]).output.splitlines()]
    assert len(rows) == COPIES
    assert len({r["event_id"] for r in rows}) == 1 and len({r["story_id"] for r in rows}) == 1
    canonical = {r["duplicate_of"] for r in rows if r["duplicate_of"]}
    assert len(canonical) == 1 and sum(1 for r in rows if r["duplicate_of"]) == COPIES - 1
    some_copy = next(r["id"] for r in rows if r["duplicate_of"])
    why = json.loads(runner.invoke(app, ["--db", str(db), "why", some_copy, "--json"]).output)
    assert any(note.startswith(f"a copy of {canonical.pop()}") for note in why["notes"])
