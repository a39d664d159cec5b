from __future__ import annotations

from pathlib import Path

from storyline.model import Article
from storyline.pipeline import run_ingest
from storyline.settings import Settings
from storyline.stages import clean
from storyline.store import Store

DISCLAIMER = "Diese Meldung wurde automatisch aus dem Agenturdienst übernommen."
TOPICS = ["Hochwasser an der Elbe", "Streik am Flughafen", "Haushalt im Landtag",
          "Brand in der Altstadt", "Neue Buslinie im Kreis", "Wahl im Stadtrat"]


def test_clean_cuts_lines_the_outlet_repeats() -> None:
    raw = f"Die Stadt hat am Montag beschlossen, das Bad länger zu öffnen, sagte er.\n{DISCLAIMER}"
    a = Article(source="x", raw_text=raw,
                outlet_boilerplate=frozenset({clean.line_key(DISCLAIMER)}))
    clean.run(a)
    assert DISCLAIMER not in a.text and "Bad länger" in a.text
    assert a.removed[-1].reason == "line repeated across this outlet's articles"


def test_outlet_repeated_line_learned_during_ingest(tmp_path: Path, settings: Settings) -> None:
    folder = tmp_path / "kreisblatt.example"  # a host name: the folder names the outlet
    folder.mkdir()
    for i, topic in enumerate(TOPICS):
        (folder / f"{i}.txt").write_text(
            f"{topic}: Die Behörden haben am Dienstag neue Maßnahmen angekündigt, wie ein "
            f"Sprecher in der Kreisstadt mitteilte, und weitere Schritte geprüft ({i}).\n"
            f"{DISCLAIMER}\n", "utf-8")
    store = Store(tmp_path / "b.db")
    run_ingest(store, [str(folder)], settings.with_overrides({"ingest.batch_size": 2}))
    texts = [r["text"] for r in store.query("SELECT text FROM articles ORDER BY source_name")]
    kept = [DISCLAIMER in t for t in texts]
    assert kept == [True, True, True, True, False, False]  # learned after four articles
    assert store.query("SELECT n FROM outlet_articles") == [{"n": 6}]
